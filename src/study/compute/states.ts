/**
 * The study's facts as the state rules need them: history with the obvious zeros filled (a year
 * with no gross receipts had none in any state), the Idaho input (base facts, elections, §174
 * amounts for HB 559, and the Form 67 limitation facts from `stateFacts.ID`), and the Idaho
 * carryforward and owner schedules.
 *
 * Idaho facts read from `stateFacts.ID` (text values):
 *   income_tax                   Idaho income tax before credits (Form 67 line 23), dollars
 *   credits_ahead                "0" when no Rule 799 credit ranks ahead; or per item:
 *   credits_ahead_<item>         one of us.id.research.credits_ahead (lines 24a–24g), dollars
 *   carryforward_<year>          unused Idaho research credit generated in <year>, dollars
 *   pass_through_in              Form 67 line 17: credit received from pass-through entities, dollars
 *   section174_deducted_share    share (0–1) of the Idaho QREs deducted or amortized for Idaho under
 *                                §174/§174A (HB 559); default 1 (Idaho conforms to §174A expensing)
 *   first_qre_year               first year with Idaho QREs (start-up schedule), when the history
 *                                does not reach back to it
 */
import type { Val } from '../../explain/index.js';
import { add, parseMoney, ZERO, type Cents } from '../../money/cents.js';
import { applyRate, rate } from '../../money/rate.js';
import { parts, taxPeriod, yearBegun, type TaxPeriod } from '../../periods/index.js';
import type { LawView } from '../../law/law.js';
import type { ComputeIdahoInput, IdahoResult } from '../../rules/states/index.js';
import { STATE_NAMES } from './state-names.js';
import type { PriorYear, Study } from '../model.js';
import type { Schedule } from './result.js';
import type { S174Result } from './s174.js';
import { completeHistory } from './history.js';

export function stateName(code: string): string {
  return STATE_NAMES[code] ?? code;
}

/**
 * History with the obvious zeros filled in: a year with no gross receipts at all had none in any
 * state, so its receipts by state are 0 for every state the year does not list.
 */
export function normalisedHistory(history: readonly PriorYear[], states: readonly string[] = []): PriorYear[] {
  return history.map((h) =>
    h.grossReceipts === 0 ? { ...h, grossReceiptsByState: { ...Object.fromEntries(states.map((st) => [st, ZERO])), ...(h.grossReceiptsByState ?? {}) } } : h,
  );
}

function money(text: string | undefined): Cents | undefined | 'bad' {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseMoney(text);
  } catch {
    return 'bad';
  }
}

/**
 * The first calendar year with Idaho QREs: given as a fact, or read from a history that reaches
 * back, without gaps, to the taxpayer's first tax year; otherwise unknown (never assumed).
 */
function firstIdahoQreYear(study: Study, history: readonly PriorYear[], period: TaxPeriod): number | undefined {
  const given = study.stateFacts?.ID?.first_qre_year;
  if (given && /^\d{4}$/.test(given)) return Number(given);
  const years = completeHistory(study, history, period.start);
  if (years === undefined) return undefined;
  for (const h of years) {
    const q = h.qreByState?.ID;
    if (q === undefined) return undefined;
    if (q > 0) return yearBegun(taxPeriod(h.period.start, h.period.end));
  }
  return parts(period.start).y;
}

export function idahoInputFromStudy(
  study: Study,
  history: readonly PriorYear[],
  period: TaxPeriod,
  s174: S174Result,
  idahoQres: Record<string, Val<Cents>>,
  problemsOut: string[] = [],
  view?: LawView,
): Omit<ComputeIdahoInput, 'qres' | 'basicResearchPayments' | 'period'> {
  // Rule 799 items (Form 67 lines 24a–24g) as the law file lists them
  const CREDITS_AHEAD = new Set(view ? view.list(null, 'us.id.research.credits_ahead') : []);
  const bf = study.baseFacts ?? {};
  const f = study.stateFacts?.ID ?? {};
  const election = study.elections.idahoStartupElection;
  const electionYear = election ? (study.elections.idahoStartupElectionYear ?? parts(period.start).y) : undefined;

  // Facts that cannot be read are reported (problems) and the input they feed is left unknown
  const problems: string[] = [];
  const known = new Set(['income_tax', 'credits_ahead', 'pass_through_in', 'section174_deducted_share', 'first_qre_year']);
  for (const k of Object.keys(f))
    if (!known.has(k) && !/^credits_ahead_[a-z_]+$/.test(k) && !/^carryforward_\d{4}$/.test(k)) problems.push(`stateFacts.ID.${k}: not a fact the Idaho credit reads (docs/states.md)`);

  // HB 559: Idaho QREs deducted or amortized for Idaho under §174/§174A, as a share of each category.
  // Default: all of them (Idaho conforms to §174A expensing, and amortized amounts count too), as
  // long as the study's §174 picture of the year is known; the taxpayer may enter a smaller share.
  let share: ReturnType<typeof rate> | undefined;
  const st = f.section174_deducted_share?.trim();
  if (st !== undefined) {
    const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(st);
    try {
      share = m ? rate(String(Number(m[1]) / 100)) : rate(st);
      if (Number(st.replace('%', '')) > (m ? 100 : 1) || st.startsWith('-')) throw new Error('out of range');
    } catch {
      share = undefined;
      problems.push(`stateFacts.ID.section174_deducted_share: "${st}" is not a share between 0 and 1 (e.g. 0.5 or 50%)`);
    }
  } else if (s174.currentYear.domestic.kind === 'known') share = rate(1);
  const section174Deducted = share ? section174DeductedFor(idahoQres, share) : undefined;

  const tax0 = money(f.income_tax);
  if (tax0 === 'bad') problems.push(`stateFacts.ID.income_tax: "${f.income_tax}" is not an amount`);
  const tax = tax0 === 'bad' ? undefined : tax0;
  const creditsAhead: Record<string, Cents> = {};
  const ca = money(f.credits_ahead);
  if (ca === 'bad') problems.push(`stateFacts.ID.credits_ahead: "${f.credits_ahead}" is not an amount`);
  let creditsAheadKnown = ca === ZERO;
  let creditsAheadBad = ca === 'bad' || (ca !== undefined && ca !== ZERO);
  if (ca !== undefined && ca !== 'bad' && ca !== ZERO) problems.push('stateFacts.ID.credits_ahead: give "0", or each Rule 799 credit as credits_ahead_<item>');
  for (const [k, v] of Object.entries(f)) {
    const m = /^credits_ahead_([a-z_]+)$/.exec(k);
    if (!m) continue;
    const c = money(v);
    if (c === undefined || c === 'bad') {
      problems.push(`stateFacts.ID.${k}: "${v}" is not an amount`);
      creditsAheadBad = true;
      continue;
    }
    if (!CREDITS_AHEAD.has(m[1]!)) {
      problems.push(`stateFacts.ID.${k}: "${m[1]}" is not a Rule 799 item (${[...CREDITS_AHEAD].join(', ')})`);
      creditsAheadBad = true;
      continue;
    }
    creditsAhead[m[1]!] = c;
    creditsAheadKnown = true;
  }
  if (creditsAheadBad) creditsAheadKnown = false;
  const carryforwards: { year: number; amount: Cents }[] = [];
  let carryBad = false;
  for (const [k, v] of Object.entries(f)) {
    const y = /^carryforward_(\d{4})$/.exec(k)?.[1];
    if (!y) continue;
    const a = money(v);
    if (a === undefined || a === 'bad') {
      problems.push(`stateFacts.ID.${k}: "${v}" is not an amount`);
      carryBad = true;
    } else carryforwards.push({ year: Number(y), amount: a });
  }
  const passIn0 = money(f.pass_through_in);
  if (passIn0 === 'bad') problems.push(`stateFacts.ID.pass_through_in: "${f.pass_through_in}" is not an amount`);
  const passIn = passIn0 === 'bad' ? undefined : passIn0;
  problemsOut.push(...problems);
  const fy = firstIdahoQreYear(study, history, period);

  return {
    entityType: study.taxpayer.entityType as never,
    history: history.map((h) => ({
      yearBegun: yearBegun(taxPeriod(h.period.start, h.period.end)),
      ...(h.qreByState?.ID !== undefined ? { qre: h.qreByState.ID } : {}),
      ...(h.grossReceiptsByState?.ID !== undefined ? { grossReceipts: h.grossReceiptsByState.ID } : {}),
    })),
    ...(bf.federalStartUp !== undefined ? { federalStartUp: bf.federalStartUp } : {}),
    ...(bf.idahoBusinessSince !== undefined ? { idahoBusinessSince: bf.idahoBusinessSince } : {}),
    ...(fy !== undefined ? { firstIdahoQreYear: fy } : {}),
    ...(bf.basePeriod?.some((y) => y.idahoQre !== undefined || y.idahoGrossReceipts !== undefined)
      ? {
          basePeriod: bf.basePeriod
            .filter((y) => y.idahoQre !== undefined || y.idahoGrossReceipts !== undefined)
            .map((y) => ({ yearBegun: y.year, ...(y.idahoQre !== undefined ? { qre: y.idahoQre } : {}), ...(y.idahoGrossReceipts !== undefined ? { grossReceipts: y.idahoGrossReceipts } : {}) })),
        }
      : {}),
    ...(electionYear !== undefined ? { startupElectionYear: electionYear } : {}),
    ...(section174Deducted ? { section174Deducted } : {}),
    ...(tax !== undefined && !carryBad ? { tax } : {}),
    ...(creditsAheadKnown ? { creditsAhead } : {}),
    carryforwards,
    ...(passIn !== undefined ? { passThroughIn: passIn } : {}),
    ...(study.taxpayer.owners?.length ? { owners: study.taxpayer.owners.map((o) => ({ id: o.id, share: o.specialAllocation?.share ?? o.share })) } : {}),
    options: study.elections.options ?? {},
  } as never;
}

/** Idaho QREs deducted under §174/§174A by category: the Idaho QREs × the deducted share. */
export function section174DeductedFor(qres: Record<string, Val<Cents>>, share: ReturnType<typeof rate>): Partial<Record<string, Cents>> {
  const out: Partial<Record<string, Cents>> = {};
  for (const [k, v] of Object.entries(qres)) if (v.kind === 'known') out[k] = applyRate(v.value, share);
  return out;
}

export function idahoCarryforwardSchedule(r: IdahoResult): Schedule | undefined {
  const lim = r.limitation;
  const years = new Set([...lim.used, ...lim.carryforward, ...lim.expired].map((v) => v.year));
  if (years.size === 0) return undefined;
  const amt = (list: { year: number; amount: Cents }[], y: number) => list.filter((v) => v.year === y).reduce((s, v) => add(s, v.amount), ZERO);
  const rows = [...years]
    .sort((a, b) => a - b)
    .map((y) => ({
      cells: { vintage: String(y), used: amt(lim.used, y), expired: amt(lim.expired, y), carried: amt(lim.carryforward, y) },
      source: 'us.id.research.limitation',
    }));
  return {
    id: 'carryforward.id',
    title: 'Idaho research credit carryforward by vintage (14 years, oldest first)',
    citation: [{ title: 'Idaho Code § 63-3029G' }, { title: 'IDAPA 35.01.01.720' }],
    columns: [
      { key: 'vintage', label: 'Year generated', kind: 'text' },
      { key: 'used', label: 'Used this year', kind: 'money' },
      { key: 'expired', label: 'Expired', kind: 'money' },
      { key: 'carried', label: 'Carried forward', kind: 'money' },
    ],
    rows,
    totals: { used: rows.reduce((s, x) => s + (x.cells.used as number), 0), expired: rows.reduce((s, x) => s + (x.cells.expired as number), 0), carried: rows.reduce((s, x) => s + (x.cells.carried as number), 0) },
  };
}

