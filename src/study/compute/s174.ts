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
import { add, ZERO, type Cents } from '../../money/cents.js';
import { periodLabel, taxPeriod, type TaxPeriod } from '../../periods/index.js';
import { nextTaxYear, section174History, type Section174History, type VintageAmounts } from '../../rules/federal/irc174-schedule.js';
import type { Study } from '../model.js';
import type { Schedule } from './result.js';

export interface S174Result {
  history: Val<Section174History>;
  /** The credit year's domestic and foreign R&E as built from the records. */
  currentYear: { domestic: Val<Cents>; foreign: Val<Cents> };
  schedule?: Schedule;
}

export function computeSection174(
  law: Law,
  study: Study,
  period: TaxPeriod,
  qre: { wages: Val<Cents>; supplies: Val<Cents>; computers: Val<Cents> },
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
    if (c.location.country === 'US') domestic = add(domestic, c.amount);
    else foreign = add(foreign, c.amount);
  }
  for (const p of study.section174Pools) {
    if (p.foreign) foreign = add(foreign, p.amount);
    else domestic = add(domestic, p.amount);
    (p.foreign ? exF : exD).input(`pool ${p.id}: ${p.description}`, p.amount, 'section174_pools.csv', 'money');
  }
  exD.note('QRE wages, supplies and computer use, contract research at 100% of the amount paid, and the §174 pools entered. R&E not tied to a qualifying component must be entered as a pool.');
  const currentYear = {
    domestic: missing.length ? exD.unknown(missing) : exD.known(domestic),
    foreign: missing.length ? exF.unknown(missing) : exF.known(foreign),
  };

  // Vintages: earlier years' capitalised amounts (history) and the credit year
  const hist = [...study.history].filter((h) => h.section174Capitalized !== undefined).sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  const vintages: VintageAmounts[] = hist.map((h) => ({
    period: taxPeriod(h.period.start, h.period.end),
    domestic: h.section174Capitalized!.domestic ?? ZERO,
    foreign: h.section174Capitalized!.foreign ?? ZERO,
  }));
  vintages.push({
    period,
    domestic: currentYear.domestic.kind === 'known' ? currentYear.domestic.value : undefined,
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
  const history = section174History(law, {
    periods,
    vintages,
    ...(study.elections.section174Transition ? { transition: study.elections.section174Transition } : {}),
    ...(study.elections.section174aCapitalizeMonths !== undefined ? { section174aCapitalizeMonths: study.elections.section174aCapitalizeMonths } : {}),
    options: study.elections.options ?? {},
  });
  history.why.children.unshift(currentYear.domestic.why, currentYear.foreign.why);
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
      `§174/§174A deduction in ${periodLabel(period)}: ${history.value.deductionByPeriod[periodLabel(period)] ?? 0} cents.`,
      'The credit year’s R&E is built from QRE-related costs and the §174 pools; see the explanation.',
    ],
  };
  return { history, currentYear, schedule };
}
