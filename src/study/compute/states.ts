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
import type { ComputeIdahoInput, IdahoResult } from '../../rules/states/index.js';
import { STATE_NAMES } from './state-names.js';
import type { PriorYear, Study } from '../model.js';
import type { Schedule } from './result.js';
import type { S174Result } from './s174.js';

export function stateName(code: string): string {
  return STATE_NAMES[code] ?? code;
}

/** History with zero state receipts filled in for years with no gross receipts at all. */
export function normalisedHistory(history: readonly PriorYear[]): PriorYear[] {
  return history.map((h) => (h.grossReceipts === 0 && (!h.grossReceiptsByState || Object.keys(h.grossReceiptsByState).length === 0) ? { ...h, grossReceiptsByState: new Proxy({}, { get: () => ZERO }) as Record<string, Cents> } : h));
}

function money(text: string | undefined): Cents | undefined | 'bad' {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseMoney(text);
  } catch {
    return 'bad';
  }
}

/** The first calendar year with Idaho QREs, when the history reaches back to the taxpayer's first year. */
function firstIdahoQreYear(study: Study, history: readonly PriorYear[], period: TaxPeriod): number | undefined {
  const given = study.stateFacts?.ID?.first_qre_year;
  if (given && /^\d{4}$/.test(given)) return Number(given);
  const first = study.baseFacts?.firstTaxYearStart;
  if (!first) return undefined;
  const years = [...history].sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  if (years.length && years[0]!.period.start > first) return undefined;
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
): Omit<ComputeIdahoInput, 'qres' | 'basicResearchPayments' | 'period'> {
  const bf = study.baseFacts ?? {};
  const f = study.stateFacts?.ID ?? {};
  const election = study.elections.idahoStartupElection;
  const electionYear = election ? (study.elections.idahoStartupElectionYear ?? parts(period.start).y) : undefined;

  // HB 559: Idaho QREs deducted or amortized for Idaho under §174/§174A, as a share of each category
  // Default: all of them (Idaho conforms to §174A expensing, and amortized amounts count too), as
  // long as the study's §174 picture of the year is known; the taxpayer may enter a smaller share.
  const share = f.section174_deducted_share !== undefined && /^(0(\.\d+)?|1(\.0+)?)$/.test(f.section174_deducted_share) ? rate(f.section174_deducted_share) : s174.currentYear.domestic.kind === 'known' ? rate(1) : undefined;
  const section174Deducted = share ? section174DeductedFor(idahoQres, share) : undefined;

  const tax = money(f.income_tax);
  const creditsAhead: Record<string, Cents> = {};
  let creditsAheadKnown = f.credits_ahead !== undefined && money(f.credits_ahead) === ZERO;
  for (const [k, v] of Object.entries(f)) {
    const m = /^credits_ahead_([a-z_]+)$/.exec(k);
    if (!m) continue;
    const c = money(v);
    if (c !== undefined && c !== 'bad') {
      creditsAhead[m[1]!] = c;
      creditsAheadKnown = true;
    }
  }
  const carryforwards = Object.entries(f)
    .map(([k, v]) => [/^carryforward_(\d{4})$/.exec(k)?.[1], money(v)] as const)
    .filter((x): x is [string, Cents] => x[0] !== undefined && x[1] !== undefined && x[1] !== 'bad')
    .map(([y, a]) => ({ year: Number(y), amount: a }));
  const passIn = money(f.pass_through_in);
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
    ...(tax !== undefined && tax !== 'bad' ? { tax } : {}),
    ...(creditsAheadKnown ? { creditsAhead } : {}),
    carryforwards,
    ...(passIn !== undefined && passIn !== 'bad' ? { passThroughIn: passIn } : {}),
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

export function idahoOwnersSchedule(r: IdahoResult): Schedule {
  return {
    id: 'owners.id',
    title: 'Idaho credit passed to owners (Form 67 line 20)',
    citation: [{ title: 'Idaho Code § 63-3029G' }, { title: 'Idaho Form 67, line 20' }],
    columns: [
      { key: 'owner', label: 'Owner', kind: 'text' },
      { key: 'share', label: 'Credit passed through', kind: 'money' },
    ],
    rows: r.owners.map((o) => ({ cells: { owner: o.ownerId, share: o.share.kind === 'known' ? o.share.value : null }, source: 'us.id.research.owner_shares' })),
  };
}

