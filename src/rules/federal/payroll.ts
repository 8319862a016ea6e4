/**
 * The §41(h) payroll tax election on Form 6765 Section D (lines 33–36) and the first calendar
 * quarter in which the elected amount can be used (§3111(f)(3)). Quarter-by-quarter use is in
 * `form8974.ts`.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { formatCents, min, roundToDollar, type Cents } from '../../money/index.js';
import { nextQuarter, quarterOf, quarterStart, type IsoDate } from '../../periods/date.js';
import { periodLabel } from '../../periods/tax-period.js';
import { cite } from './citations.js';
import type { EntityType } from './gross-receipts-tests.js';

export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

/** "2026-Q2". */
export function quarterLabel(q: Quarter): string {
  return `${q.year}-Q${q.quarter}`;
}

/** Parses "2026-Q2" (also "2026Q2"). */
export function parseQuarter(text: string): Quarter {
  const m = /^(\d{4})-?Q([1-4])$/.exec(text.trim());
  if (!m) throw new RangeError(`not a calendar quarter: "${text}" (use YYYY-Qn)`);
  return { year: Number(m[1]), quarter: Number(m[2]) as 1 | 2 | 3 | 4 };
}

export function compareQuarters(a: Quarter, b: Quarter): number {
  return a.year !== b.year ? a.year - b.year : a.quarter - b.quarter;
}

export const RULE_FIRST_QUARTER = 'us.federal.irc3111f.first_quarter';

/**
 * §3111(f)(3): the payroll credit applies from the first calendar quarter beginning after the date
 * the income tax return making the election is filed. A return filed on the first day of a quarter
 * is an edge (TC-24) governed by the option `us.federal.irc41h.first_quarter_filing_day`.
 */
export function firstUsableQuarter(law: LawView, returnFiled: IsoDate): Val<Quarter> {
  const ex = explainer(RULE_FIRST_QUARTER, 'First quarter the payroll credit can be used', [cite.USC('3111', '(f)(3)'), cite.form('Form 8974 (Rev. December 2024) instructions')]);
  ex.input('income tax return filed', returnFiled, undefined, 'text');
  const q = quarterOf(returnFiled);
  const onStart = quarterStart(q.year, q.quarter) === returnFiled;
  let out: Quarter = nextQuarter(q);
  if (onStart) {
    const choice = law.option(ex, 'us.federal.irc41h.first_quarter_filing_day');
    if (choice === 'on_or_after') out = q;
    ex.note(`Filed on the first day of ${quarterLabel(q)}: ${choice === 'on_or_after' ? 'that quarter counts' : 'that quarter began on, not after, the filing date'}.`);
  }
  ex.formula('first calendar quarter beginning after the filing date');
  return ex.known(out, quarterLabel(out));
}

export const RULE_SECTION_D = 'us.federal.f6765.section_d';

export interface SectionDInput {
  entityType: EntityType;
  /** Result of `qsbTest` for the year; undefined = unknown. */
  qsb: boolean | undefined;
  /** Number of preceding tax years for which the taxpayer (or any aggregated person) made the election. */
  priorElectionYears: number | undefined;
  /** Form 6765 line 28 (current-year credit). */
  line28: Cents | undefined;
  /** Amount the taxpayer wants to elect (before the statutory limit). */
  requested: Cents | undefined;
  /**
   * Form 6765 line 35: the general business credit carryforward from the current year (Form 3800),
   * required for taxpayers other than partnerships and S corporations.
   */
  currentYearCarryforward?: Cents;
  /** The election is made on an original, timely filed return (IRS: not on an amended return). */
  originalTimelyReturn?: boolean;
}

export interface SectionDResult {
  mayElect: boolean;
  reason: string;
  /** Form 6765 line 34 (whole dollars); null when no election can be made. */
  line34: Cents | null;
  /** Form 6765 line 35; null for partnerships and S corporations (skipped) or when no election. */
  line35: Cents | null;
  /** Form 6765 line 36 → Form 8974 Part 1 column (e); null when no election. */
  line36: Cents | null;
}

/** Form 6765 Section D: may the taxpayer elect, and the payroll tax credit of line 36. */
export function sectionD(law: LawView, input: SectionDInput): Val<SectionDResult> {
  const ex = explainer(RULE_SECTION_D, `Form 6765 Section D — payroll tax election (${periodLabel(law.period)})`, [
    cite.USC('41', '(h)'),
    cite.form('Form 6765 (Rev. December 2024), lines 33–36'),
  ]);
  const passThrough = input.entityType === 'partnership' || input.entityType === 's_corporation';
  const missing: string[] = [];
  if (input.qsb === undefined) missing.push('qsb');
  if (input.priorElectionYears === undefined) missing.push('history.payrollElections');
  if (missing.length) return ex.unknown(missing);
  const maxPrior = law.count(ex, 'us.federal.irc41h.max_prior_elections');
  ex.input('qualified small business', input.qsb).input('elections in preceding tax years', input.priorElectionYears, undefined, 'count');
  const no = (reason: string) => ex.known<SectionDResult>({ mayElect: false, reason, line34: null, line35: null, line36: null }, `no election — ${reason}`);
  if (!input.qsb) return no('not a qualified small business (§41(h)(3))');
  if (input.priorElectionYears! >= maxPrior) return no(`elected for ${input.priorElectionYears} preceding tax years; no election after ${maxPrior} (§41(h)(4)(B)(ii))`);
  if (input.originalTimelyReturn === false) return no('the election must be made on an original, timely filed return');
  if (input.requested === undefined) return ex.known<SectionDResult>({ mayElect: true, reason: 'may elect', line34: null, line35: null, line36: null }, 'may elect (no amount chosen)');
  if (input.line28 === undefined) return ex.unknown(['f6765.line28']);
  const limit = law.money(ex, 'us.federal.irc41h.election_limit');
  const line34 = roundToDollar(min(input.requested, limit));
  ex.input('amount requested', input.requested).input('line 28', input.line28);
  if (input.requested > limit) ex.note(`Requested ${formatCents(input.requested)} capped at ${formatCents(limit)}.`);
  if (passThrough) {
    const line36 = min(input.line28, line34);
    ex.formula('line 36 = smaller of line 28 and line 34 (partnerships and S corporations skip line 35)');
    return ex.known({ mayElect: true, reason: 'may elect', line34, line35: null, line36 }, formatCents(line36));
  }
  if (input.currentYearCarryforward === undefined) return ex.unknown(['f3800.currentYearCarryforward']);
  const line35 = roundToDollar(input.currentYearCarryforward);
  ex.input('line 35 — current-year general business credit carryforward', line35);
  const line36 = min(input.line28, line34, line35);
  ex.formula('line 36 = smallest of lines 28, 34 and 35');
  return ex.known({ mayElect: true, reason: 'may elect', line34, line35, line36 }, formatCents(line36));
}
