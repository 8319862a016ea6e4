/**
 * The §174 / §174A schedule of the study: the capitalised vintages of earlier years (history)
 * and the credit year's research or experimental expenditures, amortised, expensed or deducted
 * under the OBBBA transition as the elections say.
 *
 * The credit year's R&E is built from the records: QRE-related costs (qualified wages, supplies,
 * computer use, and contract research at 100% of the amount paid, since §174 is not limited to
 * the §41(b)(3) percentage) plus the §174 pools the user entered (overhead, depreciation,
 * facilities, other R&E). R&E that is not tied to a qualifying component must be entered as a
 * pool; the schedule says so rather than guessing.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import { add, formatCents, ZERO, type Cents } from '../../money/cents.js';
import { periodLabel, taxPeriod, type TaxPeriod } from '../../periods/index.js';
import { nextTaxYear, section174History, type Section174History, type VintageAmounts } from '../../rules/federal/irc174-schedule.js';
import { section280cDeduction, type Section280cDeductionResult } from '../../rules/federal/irc280c-deduction.js';
import type { Study } from '../model.js';
import type { Schedule } from './result.js';
import { notForeign } from './wages.js';

export interface S174Result {
  history: Val<Section174History>;
  /** The credit year's domestic and foreign R&E as built from the records. */
  currentYear: { domestic: Val<Cents>; foreign: Val<Cents> };
  schedule?: Schedule;
}

export interface CreditFacts {
  /** Form 6765 line 28 (the §41(a) credit, payroll portion included). */
  line28: Val<Cents>;
  /** The reduced-credit election of §280C(c)(2) as chosen; undefined when the choice is not decided. */
  reducedCreditElected: boolean | undefined;
  /** The §41(a)(1) piece (regular line 11 × rate or ASC line 24 portion), for the 2022–2024 rule. */
  credit41a1: Cents | undefined;
  /** Total QREs (the deduction allowable for QREs before 2022). */
  qreTotal: Val<Cents>;
}

export function computeSection174(
  law: Law,
  study: Study,
  period: TaxPeriod,
  qre: { wages: Val<Cents>; supplies: Val<Cents>; computers: Val<Cents> },
  credit?: CreditFacts,
): S174Result {
  const exD = explainer('study.s174.current_domestic', `Domestic R&E of ${periodLabel(period)}`, [{ title: '26 U.S.C. § 174A' }, { title: '26 U.S.C. § 174' }]);
  const exF = explainer('study.s174.current_foreign', `Foreign R&E of ${periodLabel(period)}`, [{ title: '26 U.S.C. § 174' }]);
  const qualifying = new Set(study.components.filter((c) => c.qualification === 'qualifies').map((c) => c.id));
  const missing: string[] = [];
  let domestic = ZERO;
  for (const [k, v] of Object.entries(qre)) {
    exD.child(v);
    if (v.kind === 'known') domestic = add(domestic, v.value);
    else if (v.kind === 'unknown') missing.push(...v.missing.map((m) => `qre.${k}: ${m}`));
  }
  let foreign = ZERO;
  for (const c of study.contracts) {
    if (!c.componentId || !qualifying.has(c.componentId)) continue;
    if (!c.location) {
      missing.push(`contracts.${c.id}.location`);
      continue;
    }
    if (notForeign(c.location)) domestic = add(domestic, c.amount);
    else foreign = add(foreign, c.amount);
  }
  for (const p of study.section174Pools) {
    if (p.foreign) foreign = add(foreign, p.amount);
    else domestic = add(domestic, p.amount);
    (p.foreign ? exF : exD).input(`pool ${p.id}: ${p.description}`, p.amount, 'section174_pools.csv', 'money');
  }
  exD.note('QRE wages, supplies and computer use, contract research at 100% of the amount paid, and the §174 pools entered. R&E not tied to a qualifying component must be entered as a pool.');
  // 2022–2024 were capitalisation years: a history year of that span without its capitalised
  // amounts is unknown, not zero (its vintage still amortises into this year)
  {
    const view = law.for(period, study.elections.options ?? {});
    const from = view.date(null, 'us.federal.irc174a.transition_vintage_start');
    const to = view.date(null, 'us.federal.irc174a.first_year_start');
    for (const h of study.history)
      if (h.section174Capitalized === undefined && h.period.start >= from && h.period.start < to && h.period.start < period.start)
        missing.push(`history.${h.period.start.slice(0, 4)}.section174Capitalized (R&E capitalised under §174 that year)`);
  }
  const currentYear = {
    domestic: missing.length ? exD.unknown(missing) : exD.known(domestic),
    foreign: missing.length ? exF.unknown(missing) : exF.known(foreign),
  };

  // §280C(c)(1): without the reduced-credit election the credit reduces the domestic R&E (2025 on:
  // the §174A amount; 2022–2024: the capital account by the excess over the amortization; before
  // 2022: the deduction). The schedule then carries the reduced amount.
  let reduction: Val<Section280cDeductionResult> | undefined;
  if (credit && currentYear.domestic.kind === 'known') {
    const view = law.for(period, study.elections.options ?? {});
    const firstPass = credit.reducedCreditElected === false ? scheduleFor(law, study, period, currentYear.domestic.value, currentYear) : undefined;
    const amortAll = firstPass?.kind === 'known' ? firstPass.value.rows.filter((r) => r.period === periodLabel(period) && r.kind === 'domestic').reduce((t, r) => add(t, r.amortised), ZERO) : undefined;
    reduction = section280cDeduction(view, {
      reducedCreditElected: credit.reducedCreditElected ?? false,
      credit41a: credit.line28.kind === 'known' ? credit.line28.value : undefined,
      credit41a1: credit.credit41a1,
      domesticRAndE: currentYear.domestic.value,
      ...(credit.qreTotal.kind === 'known' ? { qreDeductionAllowable: credit.qreTotal.value } : {}),
      ...(amortAll !== undefined ? { qreAmortizationAllVintages: amortAll } : {}),
      ...(study.elections.section174aCapitalizeMonths !== undefined ? { section174aElection: { months: study.elections.section174aCapitalizeMonths, benefitsFirstRealized: undefined } } : {}),
    });
    if (credit.reducedCreditElected === undefined) reduction = explainer('study.s174.280c', '§280C(c) effect on the domestic R&E', [{ title: '26 U.S.C. § 280C(c)' }]).unknown(['the §280C(c)(2) choice (decided with the credit method)']);
  }
  const domesticForSchedule: Cents | undefined =
    currentYear.domestic.kind !== 'known' ? undefined : reduction === undefined ? currentYear.domestic.value : reduction.kind === 'known' ? reduction.value.domesticAfter : undefined;
  const history = scheduleFor(law, study, period, domesticForSchedule, currentYear);
  if (reduction) history.why.children.unshift(reduction.why);
  if (reduction?.kind === 'unknown' && history.kind === 'unknown') history.missing.push(...reduction.missing);
  return finishSchedule(history, currentYear, period, reduction);
}

function scheduleFor(law: Law, study: Study, period: TaxPeriod, domestic: Cents | undefined, currentYear: S174Result['currentYear']): Val<Section174History> {
  // Vintages: earlier years' capitalised amounts (history) and the credit year
  const hist = [...study.history].filter((h) => h.section174Capitalized !== undefined).sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  const vintages: VintageAmounts[] = hist.map((h) => ({
    period: taxPeriod(h.period.start, h.period.end),
    domestic: h.section174Capitalized!.domestic ?? ZERO,
    foreign: h.section174Capitalized!.foreign ?? ZERO,
  }));
  vintages.push({
    period,
    domestic,
    foreign: currentYear.foreign.kind === 'known' ? currentYear.foreign.value : undefined,
  });
  // Consecutive tax years from the earliest vintage to the credit year
  const periods: TaxPeriod[] = [];
  const known = new Map(study.history.map((h) => [h.period.start, taxPeriod(h.period.start, h.period.end)]));
  let p = vintages[0]!.period;
  for (let guard = 0; guard < 40; guard++) {
    periods.push(p);
    if (p.start >= period.start) break;
    const nx = nextTaxYear(p);
    p = known.get(nx.start) ?? (nx.start === period.start ? period : nx);
  }
  const exH = explainer('us.federal.irc174.history', '§174 / §174A schedule by vintage', [{ title: '26 U.S.C. § 174' }]);
  let history: Val<Section174History>;
  try {
    history = section174History(law, {
    periods,
    vintages,
    ...(study.elections.section174Transition ? { transition: study.elections.section174Transition } : {}),
    ...(study.elections.section174aCapitalizeMonths !== undefined ? { section174aCapitalizeMonths: study.elections.section174aCapitalizeMonths } : {}),
    options: study.elections.options ?? {},
    });
  } catch (e) {
    // e.g. history years that do not follow one another: say which, do not stop the computation
    history = exH.unknown([`history: the tax years from ${periodLabel(vintages[0]!.period)} to ${periodLabel(period)} must follow one another for the §174 schedule (${(e as Error).message})`]);
  }
  history.why.children.unshift(currentYear.domestic.why, currentYear.foreign.why);
  return history;
}

function finishSchedule(history: Val<Section174History>, currentYear: S174Result['currentYear'], period: TaxPeriod, reduction: Val<Section280cDeductionResult> | undefined): S174Result {
  if (history.kind !== 'known') return { history, currentYear };
  const rows = history.value.rows.map((r) => ({
    cells: { vintage: r.vintage, kind: r.kind, year: r.period, capitalised: r.capitalised, amortised: r.amortised, expensed: r.expensed, transition: r.transition, unrecoveredAtEnd: r.unrecoveredAtEnd },
    source: 'us.federal.irc174.history',
  }));
  const sumOf = (k: 'capitalised' | 'amortised' | 'expensed' | 'transition') => rows.reduce((s, r) => s + (r.cells[k] as number), 0);
  const schedule: Schedule = {
    id: 's174',
    title: '§174 / §174A research and experimental expenditures by vintage',
    citation: [{ title: '26 U.S.C. § 174' }, { title: '26 U.S.C. § 174A' }, { title: 'Public Law 119-21 § 70302' }],
    columns: [
      { key: 'vintage', label: 'Vintage (year incurred)', kind: 'text' },
      { key: 'kind', label: 'Domestic / foreign', kind: 'text' },
      { key: 'year', label: 'Tax year', kind: 'text' },
      { key: 'capitalised', label: 'Capitalised', kind: 'money' },
      { key: 'amortised', label: 'Amortised', kind: 'money' },
      { key: 'expensed', label: 'Expensed', kind: 'money' },
      { key: 'transition', label: 'Transition deduction', kind: 'money' },
      { key: 'unrecoveredAtEnd', label: 'Unrecovered at year end', kind: 'money' },
    ],
    rows,
    totals: { capitalised: sumOf('capitalised'), amortised: sumOf('amortised'), expensed: sumOf('expensed'), transition: sumOf('transition') },
    notes: [
      ...(reduction?.kind === 'known' && reduction.value.regime && reduction.value.domesticAfter !== (currentYear.domestic as { value: Cents }).value
        ? [`§280C(c)(1): the credit reduces the domestic R&E of ${periodLabel(period)} from ${formatCents((currentYear.domestic as { value: Cents }).value)} to ${formatCents(reduction.value.domesticAfter)} (no reduced-credit election).`]
        : []),
      `§174/§174A deduction in ${periodLabel(period)}: ${history.value.deductionByPeriod[periodLabel(period)] ?? 0} cents.`,
      'The credit year’s R&E is built from QRE-related costs and the §174 pools; see the explanation.',
    ],
  };
  return { history, currentYear, schedule };
}
