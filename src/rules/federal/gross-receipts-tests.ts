/**
 * Three gross-receipts tests the engine keeps apart (federal.md §10.5, §13 note 6). Each is its
 * own rule with its own explanation; none reuses another's threshold or measuring period.
 *
 *  - `qsbTest` — qualified small business for the §41(h) payroll election: current-year gross
 *    receipts (short years annualised) below $5,000,000 and no gross receipts in any tax year
 *    before the 5-tax-year period ending with the current year (§41(h)(3)).
 *  - `section448cTest` — §448(c) small business: average annual gross receipts of the 3 preceding
 *    tax years not above the inflation-adjusted amount for the tested year.
 *  - `esbTest` — eligible small business for §38(c)(5): not publicly traded, and the 3-preceding-
 *    year average not above $50,000,000.
 *
 * Gross receipts passed in are already net of returns and allowances and include predecessors
 * (§448(c)(3)(C), (D)); these rules annualise short years (§448(c)(3)(B)) and average.
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { cents, formatCents, prorate, sum, type Cents } from '../../money/index.js';
import { periodLabel, periodMonths, isShortYear, shiftYears, type TaxPeriod } from '../../periods/index.js';
import type { IsoDate } from '../../periods/date.js';
import { cite } from './citations.js';

/** Kinds of taxpayer (the same names as the study model's `EntityType`; rules may not import the study layer). */
export type EntityType = 'c_corporation' | 's_corporation' | 'partnership' | 'sole_proprietorship' | 'estate_or_trust' | 'tax_exempt';

/** One tax year's gross receipts. `grossReceipts` undefined = not known. */
export interface GrossReceiptsYear {
  period: TaxPeriod;
  grossReceipts: Cents | undefined;
}

/** Gross receipts of a short year annualised (× 12 / months, a partial month counting as a month); 12-month years unchanged. */
export function annualizedReceipts(y: { period: TaxPeriod; grossReceipts: Cents }): Cents {
  if (!isShortYear(y.period)) return y.grossReceipts;
  return prorate(y.grossReceipts, 12, periodMonths(y.period));
}

export interface AverageInput {
  /** The tax year being tested. */
  period: TaxPeriod;
  /** Preceding tax years (any order); only those ending before `period.start` are used. */
  priorYears: GrossReceiptsYear[];
  /**
   * True when `priorYears` lists every tax year the taxpayer (with predecessors) had before
   * `period`. Needed when fewer than the averaging years are listed: then the average is over the
   * years in existence (§448(c)(3)(A)); otherwise the missing years are unknown.
   */
  historyComplete?: boolean;
}

interface AverageResult {
  average: Cents;
  yearsAveraged: number;
}

/** Average annual gross receipts of the `n` preceding tax years; records inputs on `ex`. */
function averagePreceding(ex: Explainer, input: AverageInput, n: number, prefix: string): { ok: AverageResult } | { missing: string[] } {
  const prior = input.priorYears.filter((y) => y.period.end < input.period.start).sort((a, b) => (a.period.start < b.period.start ? 1 : -1));
  const used = prior.slice(0, n);
  const missing: string[] = [];
  for (const y of used) if (y.grossReceipts === undefined) missing.push(`${prefix}.${periodLabel(y.period)}.grossReceipts`);
  if (used.length < n && !input.historyComplete) {
    for (let k = used.length + 1; k <= n; k++) missing.push(`${prefix}.${periodLabel(shiftYears(input.period, k))}.grossReceipts`);
  }
  if (missing.length) return { missing };
  if (used.length === 0) {
    ex.note('No preceding tax year: average annual gross receipts are zero.');
    return { ok: { average: cents(0), yearsAveraged: 0 } };
  }
  const annual = used.map((y) => {
    const a = annualizedReceipts({ period: y.period, grossReceipts: y.grossReceipts! });
    ex.input(`gross receipts ${periodLabel(y.period)}${isShortYear(y.period) ? ` (short year of ${periodMonths(y.period)} months, annualised)` : ''}`, a);
    return a;
  });
  if (used.length < n) ex.note(`Only ${used.length} preceding tax year(s) in existence: averaged over those (§448(c)(3)(A)).`);
  const total = sum(annual);
  return { ok: { average: prorate(total, 1, used.length), yearsAveraged: used.length } };
}

// ---------------------------------------------------------------------------------------------
// §41(h)(3) qualified small business

export const RULE_QSB = 'us.federal.irc41h.qsb';

export interface QsbInput {
  period: TaxPeriod;
  entityType: EntityType;
  /** Current-year gross receipts (trade or business receipts only for individuals), controlled group as one taxpayer. */
  grossReceipts: Cents | undefined;
  /**
   * Start date of the first tax year in which the taxpayer (or a predecessor, or any member of the
   * aggregated group) had any gross receipts; 'none' if it never had any before this year.
   */
  firstReceiptsYearStart: IsoDate | 'none' | undefined;
  /**
   * The tax years immediately preceding `period` (most recent first), when they are not 12-month
   * years of the same shape; the window start is the start of the 4th of them.
   */
  precedingPeriods?: TaxPeriod[];
}

export interface QsbResult {
  qsb: boolean;
  /** Current-year gross receipts as tested (annualised if short). */
  testedReceipts: Cents;
  /** First day of the 5-tax-year window ending with the current year. */
  windowStart: IsoDate;
  reason: string;
}

/** §41(h)(3)(A): qualified small business for the payroll election. */
export function qsbTest(law: LawView, input: QsbInput): Val<QsbResult> {
  const ex = explainer(RULE_QSB, `Qualified small business test (${periodLabel(input.period)})`, [
    cite.USC('41', '(h)(3)'),
    cite.USC('448', '(c)(3)'),
  ]);
  const missing: string[] = [];
  if (input.grossReceipts === undefined) missing.push('grossReceipts');
  if (input.firstReceiptsYearStart === undefined) missing.push('history.firstReceiptsYearStart');
  if (missing.length) return ex.unknown(missing);
  if (input.entityType === 'tax_exempt') {
    ex.input('entity type', input.entityType);
    return ex.known({ qsb: false, testedReceipts: input.grossReceipts!, windowStart: input.period.start, reason: 'tax-exempt organizations are not qualified small businesses (§41(h)(3)(B))' }, 'no');
  }
  const ceiling = law.money(ex, 'us.federal.irc41h.qsb_gross_receipts_ceiling');
  const windowYears = law.count(ex, 'us.federal.irc41h.qsb_window_years');
  const tested = annualizedReceipts({ period: input.period, grossReceipts: input.grossReceipts! });
  ex.input(`gross receipts ${periodLabel(input.period)}${isShortYear(input.period) ? ' (short year, annualised)' : ''}`, tested);
  const back = windowYears - 1;
  const windowStart = (input.precedingPeriods && input.precedingPeriods.length >= back ? input.precedingPeriods[back - 1]!.start : shiftYears(input.period, back).start) as IsoDate;
  if (!(input.precedingPeriods && input.precedingPeriods.length >= back)) ex.note(`Window assumes the ${back} preceding tax years are 12-month years of the same shape.`);
  ex.input('first tax year with gross receipts begins', input.firstReceiptsYearStart === 'none' ? 'none before this year' : input.firstReceiptsYearStart, undefined, 'text');
  ex.formula(`gross receipts < ${formatCents(ceiling)} and no gross receipts in a tax year beginning before ${windowStart}`);
  const underCeiling = tested < ceiling;
  const first = input.firstReceiptsYearStart!;
  const noEarly = first === 'none' || first >= windowStart;
  let reason: string;
  if (!underCeiling) reason = `gross receipts ${formatCents(tested)} are not less than ${formatCents(ceiling)}`;
  else if (!noEarly) reason = `gross receipts in a tax year beginning before the ${windowYears}-tax-year window (${windowStart})`;
  else reason = `gross receipts under ${formatCents(ceiling)} and none before ${windowStart}`;
  const qsb = underCeiling && noEarly;
  return ex.known({ qsb, testedReceipts: tested, windowStart, reason }, qsb ? `yes — ${reason}` : `no — ${reason}`);
}

// ---------------------------------------------------------------------------------------------
// §448(c) small business

export const RULE_448C = 'us.federal.irc448.gross_receipts_test';

export interface Section448cResult {
  meets: boolean;
  averageGrossReceipts: Cents;
  limit: Cents;
  yearsAveraged: number;
}

/** §448(c)(1): average annual gross receipts of the 3 preceding tax years ≤ the inflation-adjusted amount of the tested year. */
export function section448cTest(law: LawView, input: AverageInput): Val<Section448cResult> {
  const ex = explainer(RULE_448C, `§448(c) gross receipts test (${periodLabel(input.period)})`, [cite.USC('448', '(c)')]);
  const n = law.count(ex, 'us.federal.irc448.averaging_years');
  const limit = law.money(ex, 'us.federal.irc448.gross_receipts_limit');
  const avg = averagePreceding(ex, input, n, 'history');
  if ('missing' in avg) return ex.unknown(avg.missing);
  const meets = avg.ok.average <= limit;
  ex.formula(`average ${formatCents(avg.ok.average)} ${meets ? '≤' : '>'} ${formatCents(limit)}`);
  return ex.known({ meets, averageGrossReceipts: avg.ok.average, limit, yearsAveraged: avg.ok.yearsAveraged }, meets ? 'met' : 'not met');
}

// ---------------------------------------------------------------------------------------------
// §38(c)(5) eligible small business

export const RULE_ESB = 'us.federal.irc38.esb';

export interface EsbInput extends AverageInput {
  entityType: EntityType;
  /** Stock publicly traded (corporations); undefined = unknown. */
  publiclyTraded: boolean | undefined;
}

export interface EsbResult {
  esb: boolean;
  averageGrossReceipts: Cents | null;
  limit: Cents;
  reason: string;
}

/** §38(c)(5)(A): eligible small business for the year (research credit is then a specified credit). */
export function esbTest(law: LawView, input: EsbInput): Val<EsbResult> {
  const ex = explainer(RULE_ESB, `Eligible small business test (${periodLabel(input.period)})`, [cite.USC('38', '(c)(5)')]);
  const limit = law.money(ex, 'us.federal.irc38.esb_gross_receipts_limit');
  ex.input('entity type', input.entityType);
  const corp = input.entityType === 'c_corporation' || input.entityType === 's_corporation';
  const eligibleForm = corp || input.entityType === 'partnership' || input.entityType === 'sole_proprietorship';
  if (!eligibleForm) return ex.known({ esb: false, averageGrossReceipts: null, limit, reason: 'only corporations, partnerships and sole proprietorships can be eligible small businesses' }, 'no');
  if (corp) {
    if (input.publiclyTraded === undefined) return ex.unknown(['taxpayer.publiclyTraded']);
    ex.input('stock publicly traded', input.publiclyTraded);
    if (input.publiclyTraded) return ex.known({ esb: false, averageGrossReceipts: null, limit, reason: 'stock is publicly traded' }, 'no');
  }
  const n = law.count(ex, 'us.federal.irc38.esb_averaging_years');
  const avg = averagePreceding(ex, input, n, 'history');
  if ('missing' in avg) return ex.unknown(avg.missing);
  const esb = avg.ok.average <= limit;
  ex.formula(`average ${formatCents(avg.ok.average)} ${esb ? '≤' : '>'} ${formatCents(limit)}`);
  const reason = esb ? `average gross receipts ${formatCents(avg.ok.average)} do not exceed ${formatCents(limit)}` : `average gross receipts ${formatCents(avg.ok.average)} exceed ${formatCents(limit)}`;
  return ex.known({ esb, averageGrossReceipts: avg.ok.average, limit, reason }, esb ? 'yes' : 'no');
}
