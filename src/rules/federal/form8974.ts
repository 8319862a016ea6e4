/**
 * Form 8974 — the qualified small business payroll tax credit, quarter by quarter (federal.md §6.3,
 * §6.4). Each election (Form 6765 line 36 of an election year) is usable from the first calendar
 * quarter beginning after its return was filed; each quarter's credit cannot exceed that quarter's
 * employer tax, and the rest carries to the next quarter.
 *
 * Two readings, chosen by the option `us.federal.irc41h.payroll_medicare_reading`:
 *  - form_8974_per_quarter (default): each quarter, employer social security first (up to the
 *    per-quarter cap), then employer Medicare (credits of tax years beginning after 2022 only).
 *  - statutory_buckets: the first $250,000 of an election offsets social security only, the excess
 *    Medicare only; each bucket keeps its character on carryover.
 * Older elections are used before newer ones (Part 1 rows in order).
 */
import { explainer, type Val } from '../../explain/index.js';
import type { Law, LawView } from '../../law/law.js';
import { applyRate, formatCents, min, nonNegative, sub, sum, ZERO, type Cents } from '../../money/index.js';
import { addDays, quarterStart, type IsoDate } from '../../periods/date.js';
import { periodLabel, taxPeriod, type TaxPeriod } from '../../periods/tax-period.js';
import { cite } from './citations.js';
import { compareQuarters, firstUsableQuarter, parseQuarter, quarterLabel, type Quarter } from './payroll.js';

/** One Form 8974 Part 1 row. */
export interface PayrollElection {
  /** The income tax year of the election. */
  electionYear: TaxPeriod;
  /** Form 6765 line 36 (or the amount allocated to this EIN): Part 1 column (e). */
  amount: Cents;
  /** Date the income tax return with the election was filed: column (c). */
  returnFiled: IsoDate;
  /** Amount taken in periods before the first quarter given: column (f). */
  usedBefore?: Cents;
}

/** Employer shares of one quarter's taxes (Form 8974 lines 11 and 15). Undefined = not known. */
export interface PayrollQuarter {
  /** "YYYY-Qn". */
  quarter: string;
  employerSocialSecurity: Cents | undefined;
  employerMedicare: Cents | undefined;
}

export interface QuarterCredit {
  quarter: string;
  /** Line 7: credit available (Σ remaining of usable elections). */
  available: Cents;
  /** Line 12: credit against employer social security tax. */
  socialSecurity: Cents;
  /** Medicare piece (lines 13–16; wording UNVERIFIED). */
  medicare: Cents;
  /** Line 17: total credit for the quarter. */
  total: Cents;
  /** Remaining after the quarter, carried to the next quarter. */
  carried: Cents;
}

export interface PayrollCreditResult {
  quarters: QuarterCredit[];
  /** Column (g) after the last quarter: remaining by election year. */
  remaining: { electionYear: string; amount: Cents }[];
}

export const RULE_F8974 = 'us.federal.f8974.quarterly';

const quarterPeriod = (q: Quarter): TaxPeriod => {
  const s = quarterStart(q.year, q.quarter);
  const n = q.quarter === 4 ? quarterStart(q.year + 1, 1) : quarterStart(q.year, q.quarter + 1);
  return taxPeriod(s, addDays(n, -1));
};

interface Pool {
  label: string;
  first: Quarter;
  ss: Cents; // remaining usable against social security
  med: Cents; // remaining usable against Medicare (statutory) or remaining total usable for Medicare (form)
  total: Cents; // remaining overall
  medicareAllowed: boolean;
}

/**
 * Applies the elected payroll credits to the quarters given (in any order; processed in calendar order).
 * `options` are the study's answers to open questions.
 */
export function applyPayrollCredit(law: Law, elections: PayrollElection[], quarters: PayrollQuarter[], options: Record<string, string> = {}): Val<PayrollCreditResult> {
  const qs = [...quarters].map((q) => ({ ...q, q: parseQuarter(q.quarter) })).sort((a, b) => compareQuarters(a.q, b.q));
  const anchor: TaxPeriod = qs.length ? quarterPeriod(qs[0]!.q) : elections[0]?.electionYear ?? taxPeriod('2025-01-01', '2025-12-31');
  const view = law.for(anchor, options);
  const ex = explainer(RULE_F8974, 'Payroll tax credit by quarter (Form 8974)', [cite.USC('3111', '(f)'), cite.USC('41', '(h)'), cite.form('Form 8974 (Rev. December 2024)')]);
  const reading = view.option(ex, 'us.federal.irc41h.payroll_medicare_reading');
  const pools: Pool[] = [];
  for (const e of [...elections].sort((a, b) => (a.electionYear.start < b.electionYear.start ? -1 : 1))) {
    const ev = law.for(e.electionYear, options);
    const fq = ex.child(firstUsableQuarter(ev, e.returnFiled));
    if (fq.kind !== 'known') return ex.unknown(['payrollElection.returnFiled']);
    const medicareAllowed = ev.bool(ex, 'us.federal.irc41h.medicare_offset');
    const total = nonNegative(sub(e.amount, e.usedBefore ?? ZERO));
    let ss = total;
    let med = medicareAllowed ? total : ZERO;
    if (reading === 'statutory_buckets') {
      const portion = ev.money(ex, 'us.federal.irc41h.social_security_portion');
      const ssBucket = min(e.amount, portion);
      const used = e.usedBefore ?? ZERO;
      // a credit that may not offset Medicare is all social security (it cannot exceed the pre-2023 limit anyway)
      ss = medicareAllowed ? nonNegative(sub(ssBucket, used)) : total;
      med = medicareAllowed ? nonNegative(sub(sub(e.amount, ssBucket), nonNegative(sub(used, ssBucket)))) : ZERO;
    }
    ex.input(`election ${periodLabel(e.electionYear)} (filed ${e.returnFiled}, usable from ${quarterLabel(fq.value)})`, total);
    pools.push({ label: periodLabel(e.electionYear), first: fq.value, ss, med, total: reading === 'statutory_buckets' ? sum([ss, med]) : total, medicareAllowed });
  }

  const take = (need: Cents, ps: Pool[], field: 'ss' | 'med'): Cents => {
    let left = need;
    for (const p of ps) {
      if (left <= 0) break;
      const t = min(left, reading === 'statutory_buckets' ? p[field] : p.total);
      if (t <= 0) continue;
      left = sub(left, t);
      p.total = sub(p.total, t);
      if (reading === 'statutory_buckets') p[field] = sub(p[field], t);
    }
    return sub(need, left);
  };

  const out: QuarterCredit[] = [];
  for (const q of qs) {
    const missing: string[] = [];
    if (q.employerSocialSecurity === undefined) missing.push(`payroll.${q.quarter}.socialSecurity`);
    if (q.employerMedicare === undefined) missing.push(`payroll.${q.quarter}.medicare`);
    const usable = pools.filter((p) => compareQuarters(p.first, q.q) <= 0);
    const available = sum(usable.map((p) => p.total));
    if (missing.length) {
      if (available > 0) return ex.unknown(missing);
      out.push({ quarter: q.quarter, available, socialSecurity: ZERO, medicare: ZERO, total: ZERO, carried: ZERO });
      continue;
    }
    const qv: LawView = law.for(quarterPeriod(q.q), options);
    let ssRoom = q.employerSocialSecurity!;
    if (reading === 'form_8974_per_quarter') ssRoom = min(ssRoom, qv.money(ex, 'us.federal.f8974.social_security_quarter_cap', quarterPeriod(q.q).start));
    const ssCap = reading === 'statutory_buckets' ? sum(usable.map((p) => p.ss)) : available;
    const ssCredit = take(min(ssRoom, ssCap), usable, 'ss');
    const medPools = usable.filter((p) => p.medicareAllowed);
    const medCap = sum(medPools.map((p) => (reading === 'statutory_buckets' ? p.med : p.total)));
    const medCredit = take(min(q.employerMedicare!, medCap), medPools, 'med');
    const carried = sum(pools.map((p) => p.total));
    out.push({ quarter: q.quarter, available, socialSecurity: ssCredit, medicare: medCredit, total: sum([ssCredit, medCredit]), carried });
  }
  ex.formula(reading === 'statutory_buckets' ? 'each quarter: social security bucket against employer social security; Medicare bucket against employer Medicare' : 'each quarter: min(available, employer social security, quarterly cap), then min(rest, employer Medicare)');
  const used = sum(out.map((o) => o.total));
  return ex.known({ quarters: out, remaining: pools.map((p) => ({ electionYear: p.label, amount: p.total })) }, `${formatCents(used)} used over ${out.length} quarter(s)`);
}

export const RULE_F8974_LINE11 = 'us.federal.f8974.line11';

export interface Line11Input {
  /** Line 8: Form 941 line 5a column 2 (taxable social security wages × 12.4%). */
  line8: Cents | undefined;
  /** Line 9: Form 941 line 5b column 2 (taxable social security tips × 12.4%). */
  line9: Cents | undefined;
  /**
   * Third-party payers (and §3121(q) notices, third-party sick pay): the employer share on wages of
   * clients' employees included in line 8, to be taken out of line 11.
   */
  employerShareNotOfThisTaxpayer?: Cents;
}

export interface Line11Result {
  line10: Cents;
  fiftyPercent: Cents;
  line11: Cents;
}

/** Form 8974 lines 10–11: the employer share of social security tax of the quarter. */
export function form8974Line11(law: LawView, input: Line11Input): Val<Line11Result> {
  const ex = explainer(RULE_F8974_LINE11, 'Form 8974 line 11 — employer share of social security tax', [cite.form('Form 8974 (Rev. December 2024), lines 8–11 and instructions')]);
  const missing: string[] = [];
  if (input.line8 === undefined) missing.push('f941.line5a.col2');
  if (input.line9 === undefined) missing.push('f941.line5b.col2');
  if (missing.length) return ex.unknown(missing);
  const share = law.rate(ex, 'us.federal.f8974.employer_share');
  const line10 = sum([input.line8!, input.line9!]);
  const fifty = applyRate(line10, share);
  const adj = input.employerShareNotOfThisTaxpayer ?? ZERO;
  const line11 = nonNegative(sub(fifty, adj));
  ex.input('line 8', input.line8!).input('line 9', input.line9!);
  if (adj) ex.input("employer share on clients' employees (third-party payer adjustment)", adj);
  ex.formula('line 11 = line 10 × 50% − employer share not owed by this taxpayer');
  return ex.known({ line10, fiftyPercent: fifty, line11 }, formatCents(line11));
}
