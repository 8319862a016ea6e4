/**
 * §174 / §174A schedules (federal.md §9, §10).
 *
 *  - `midpointMonth` — Notice 2023-63: amortization starts on the first day of the midpoint month
 *    (7th month of a 12-month year; even short years months/2 + 1; odd short years: option).
 *  - `section174Amortization` — one vintage of capitalised specified R&E: 60 months domestic
 *    (tax years beginning 2022–2024) or 180 months foreign (2022 on), from the midpoint month.
 *  - `section174aElectiveAmortization` — §174A(c): domestic R&E over ≥ 60 months from the month
 *    benefits are first realised.
 *  - `smallBusinessRetroactiveElection` — OBBBA §70302(f)(1) eligibility and window.
 *  - `section174History` — the multi-year schedule by vintage (capitalised, amortised, expensed,
 *    transition) for a company's history 2022 → 2026+, with the §70302(f)(2) transition.
 *
 * Each tax year's amortization is `amount × months in the year / total months`, truncated to the
 * cent (so the residue is never negative); the final year takes the residue, so every schedule sums exactly to the amount.
 * Disposition, retirement or abandonment never accelerates recovery (§174(d)).
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import type { Law, LawView } from '../../law/law.js';
import { cents, formatCents, prorate, sub, sum, ZERO, type Cents } from '../../money/index.js';
import { addDays, daysInMonth, fromParts, parts, type IsoDate } from '../../periods/date.js';
import { isShortYear, periodLabel, periodMonths, taxPeriod, type TaxPeriod } from '../../periods/tax-period.js';
import { cite } from './citations.js';
import { section448cTest, type GrossReceiptsYear } from './gross-receipts-tests.js';

export type RAndEKind = 'domestic' | 'foreign';

/** One tax year's share of a schedule. */
export interface ScheduleLine {
  period: TaxPeriod;
  /** Months of the amortization period falling in this tax year. */
  months: number;
  amount: Cents;
}

export interface AmortizationSchedule {
  vintage: TaxPeriod;
  kind: RAndEKind;
  amount: Cents;
  totalMonths: number;
  /** First month of amortization as "YYYY-MM". */
  startsIn: string;
  lines: ScheduleLine[];
}

// ---------------------------------------------------------------------------------------------
// months and periods

const monthIndex = (d: IsoDate): number => {
  const p = parts(d);
  return p.y * 12 + p.m - 1;
};
const monthLabel = (i: number): string => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The 12-month tax year that follows `p` (same anniversary). */
export function nextTaxYear(p: TaxPeriod): TaxPeriod {
  const s = addDays(p.end, 1);
  const q = parts(s);
  const anniversary = fromParts(q.y + 1, q.m, Math.min(q.d, daysInMonth(q.y + 1, q.m)));
  return taxPeriod(s, addDays(anniversary, -1));
}

interface Range {
  period: TaxPeriod;
  first: number;
  last: number;
}

/** Month ranges of consecutive periods, extended with 12-month years until `untilMonth` is covered. */
function ranges(periods: readonly TaxPeriod[], untilMonth: number): Range[] {
  const out: Range[] = [];
  let prevLast = -Infinity;
  const push = (p: TaxPeriod) => {
    const first = Math.max(monthIndex(p.start), prevLast + 1);
    const last = first + periodMonths(p) - 1;
    out.push({ period: p, first, last });
    prevLast = last;
  };
  for (const p of periods) push(p);
  while (out.length === 0 || out[out.length - 1]!.last < untilMonth) push(nextTaxYear(out[out.length - 1]!.period));
  return out;
}

/** Spreads `amount` ratably over `total` months beginning with month `first`; final line takes the residue. */
function spread(amount: Cents, first: number, total: number, rs: Range[]): ScheduleLine[] {
  const lastMonth = first + total - 1;
  const lines: ScheduleLine[] = [];
  for (const r of rs) {
    const a = Math.max(first, r.first);
    const b = Math.min(lastMonth, r.last);
    const months = b >= a ? b - a + 1 : 0;
    if (months === 0) continue;
    const final = b === lastMonth;
    // non-final years are truncated to the cent so the residue carried to the final year is never negative
    const amt = final ? sub(amount, sum(lines.map((l) => l.amount))) : cents((BigInt(amount) * BigInt(months)) / BigInt(total));
    lines.push({ period: r.period, months, amount: amt });
    if (final) break;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// midpoint

export interface Midpoint {
  /** The midpoint month counted from the first month of the tax year (1-based). */
  month: number;
  /** Months of amortization that fall in the first tax year. */
  monthsInFirstYear: number;
}

/**
 * Notice 2023-63: the midpoint of a 12-month year is the first day of its 7th month; in a short
 * year, the first day of the midpoint month — months/2 + 1 for an even number of months (a partial
 * month counting as a month); odd months per the option `us.federal.irc174.short_year_odd_midpoint`.
 */
export function midpointMonth(law: LawView, period: TaxPeriod, ex: Explainer | null = null): Midpoint {
  const m = periodMonths(period);
  let month: number;
  if (m % 2 === 0) month = m / 2 + 1;
  else month = law.option(ex, 'us.federal.irc174.short_year_odd_midpoint') === 'middle_month' ? (m + 1) / 2 : (m + 1) / 2 + 1;
  ex?.note(`${isShortYear(period) ? `Short year of ${m} months` : '12-month year'}: amortization begins on the first day of month ${month} (${m - month + 1} month(s) in the first year).`);
  return { month, monthsInFirstYear: m - month + 1 };
}

// ---------------------------------------------------------------------------------------------
// §174 vintage

export const RULE_174_AMORT = 'us.federal.irc174.amortization';

export interface Section174AmortizationInput {
  /** Tax year in which the specified R&E was paid or incurred. */
  vintage: TaxPeriod;
  kind: RAndEKind;
  /** Amount charged to capital account (after any §280C(c) reduction). Undefined = unknown. */
  amount: Cents | undefined;
  /** The tax years after the vintage, when not 12-month years following on; extended as needed. */
  followingPeriods?: TaxPeriod[];
  /** Property from the research disposed of, retired or abandoned: amortization simply continues (§174(d)). */
  disposedOn?: IsoDate;
}

/**
 * §174(a)(2) amortization of one vintage. `law` is the view of the vintage's tax year.
 * Not applicable to domestic R&E of tax years beginning after 2024 (§174A) or to anything before 2022.
 */
export function section174Amortization(law: LawView, input: Section174AmortizationInput): Val<AmortizationSchedule> {
  const ex = explainer(RULE_174_AMORT, `§174 amortization of ${input.kind} R&E of ${periodLabel(input.vintage)}`, [
    cite.USC('174', '(a)(2)'),
    cite.USC('174', '(d)'),
    cite.form('Notice 2023-63 (midpoint convention)'),
  ]);
  const regime = law.text(ex, 'us.federal.irc174.regime');
  if (regime === 'deduct_or_elect') return ex.na('specified R&E is capitalised only for tax years beginning after 2021');
  if (regime === 'foreign_only' && input.kind === 'domestic') return ex.na('domestic R&E of this year falls under §174A');
  if (input.amount === undefined) return ex.unknown([`section174.${periodLabel(input.vintage)}.${input.kind}`]);
  const total = law.count(ex, input.kind === 'domestic' ? 'us.federal.irc174.domestic_months' : 'us.federal.irc174.foreign_months');
  const mid = midpointMonth(law, input.vintage, ex);
  const rs0 = ranges([input.vintage, ...(input.followingPeriods ?? [])], 0);
  const first = rs0[0]!.first + mid.month - 1;
  const lines = spread(input.amount, first, total, ranges([input.vintage, ...(input.followingPeriods ?? [])], first + total - 1));
  ex.input('amount capitalised', input.amount).formula(`amount × months in year / ${total}; final year takes the rounding residue`);
  if (input.disposedOn) ex.note(`Disposed of, retired or abandoned on ${input.disposedOn}: no deduction on that account; amortization continues (§174(d)).`);
  const s: AmortizationSchedule = { vintage: input.vintage, kind: input.kind, amount: input.amount, totalMonths: total, startsIn: monthLabel(first), lines };
  return ex.known(s, `${lines.length} tax years from ${s.startsIn}, total ${formatCents(input.amount)}`);
}

// ---------------------------------------------------------------------------------------------
// §174A(c) elective amortization

export const RULE_174A_ELECT = 'us.federal.irc174a.elective_amortization';

export interface Section174aElectiveInput {
  vintage: TaxPeriod;
  amount: Cents | undefined;
  /** Months selected by the taxpayer (≥ the §174A(c) minimum). */
  months: number;
  /** Date in the month the taxpayer first realises benefits from the expenditures. */
  benefitsFirstRealized: IsoDate | undefined;
  followingPeriods?: TaxPeriod[];
}

/** §174A(c)(1): domestic R&E charged to capital account and amortised ratably over the selected months. */
export function section174aElectiveAmortization(law: LawView, input: Section174aElectiveInput): Val<AmortizationSchedule> {
  const ex = explainer(RULE_174A_ELECT, `§174A(c) elective amortization of domestic R&E of ${periodLabel(input.vintage)}`, [cite.USC('174A', '(c)(1)')]);
  const minMonths = law.count(ex, 'us.federal.irc174a.election_min_months');
  const missing: string[] = [];
  if (input.amount === undefined) missing.push(`section174.${periodLabel(input.vintage)}.domestic`);
  if (input.benefitsFirstRealized === undefined) missing.push(`section174.${periodLabel(input.vintage)}.benefitsFirstRealized`);
  if (missing.length) return ex.unknown(missing);
  if (!Number.isInteger(input.months) || input.months < minMonths) return ex.na(`the selected period (${input.months} months) is shorter than the ${minMonths}-month minimum of §174A(c)(1)`);
  let first = monthIndex(input.benefitsFirstRealized!);
  const vintageFirst = monthIndex(input.vintage.start);
  if (first < vintageFirst) {
    ex.note('Benefits realised before the tax year the amounts were paid: amortization begins with the first month of that year.');
    first = vintageFirst;
  }
  const periods = [input.vintage, ...(input.followingPeriods ?? [])];
  const lines = spread(input.amount!, first, input.months, ranges(periods, first + input.months - 1));
  ex.input('amount capitalised', input.amount!).input('months selected', input.months, undefined, 'count').input('benefits first realised', input.benefitsFirstRealized, undefined, 'text');
  ex.formula(`amount × months in year / ${input.months}, from ${monthLabel(first)}; final year takes the residue`);
  const s: AmortizationSchedule = { vintage: input.vintage, kind: 'domestic', amount: input.amount!, totalMonths: input.months, startsIn: monthLabel(first), lines };
  return ex.known(s, `${lines.length} tax years from ${s.startsIn}`);
}

// ---------------------------------------------------------------------------------------------
// OBBBA §70302(f)(1) small-business retroactive election

export const RULE_174A_SMALL_BUSINESS = 'us.federal.irc174a.small_business_retroactive';

export interface SmallBusinessRetroactiveInput {
  /** The first tax year beginning after Dec. 31, 2024 (the year the §448(c) test is applied to). */
  firstSection174aYear: TaxPeriod;
  /** Gross receipts of the preceding tax years. */
  priorYears: GrossReceiptsYear[];
  historyComplete?: boolean;
  /** Tax shelter under §448(a)(3); undefined = unknown. */
  taxShelter: boolean | undefined;
  /** The date the question is asked (today, or the study's as-of date). */
  asOf: IsoDate;
  /** When the election was made on filed returns (amended, superseding or original). */
  filedOn?: IsoDate;
  /** The §6511 refund limitation date of the earliest year to amend, if earlier than the statutory deadline. */
  refundLimitationDate?: IsoDate;
}

export interface SmallBusinessRetroactiveResult {
  eligible: boolean;
  deadline: IsoDate;
  /** open — may still be made; made — made in time (its effect applies); closed — display only; late — filed after the deadline (no effect). */
  status: 'open' | 'made' | 'closed' | 'late' | 'ineligible';
  /** True when the election takes effect for 2022–2024: domestic R&E deductible and the new §280C(c) rule applies. */
  applies: boolean;
  reason: string;
}

/** Eligibility (§448(c) test for the first post-2024 tax year; not a tax shelter) and the July 6, 2026 window. */
export function smallBusinessRetroactiveElection(law: Law, input: SmallBusinessRetroactiveInput): Val<SmallBusinessRetroactiveResult> {
  const view = law.for(input.firstSection174aYear);
  const ex = explainer(RULE_174A_SMALL_BUSINESS, 'Small-business retroactive §174A election (OBBBA §70302(f)(1))', [
    cite.form('Public Law 119-21 §70302(f)(1)'),
    cite.form('Rev. Proc. 2025-28, section 3'),
    cite.USC('448', '(c)'),
  ]);
  const gr = ex.child(section448cTest(view, { period: input.firstSection174aYear, priorYears: input.priorYears, historyComplete: input.historyComplete ?? false }));
  const missing: string[] = [];
  if (gr.kind === 'unknown') missing.push(...gr.missing);
  if (input.taxShelter === undefined) missing.push('taxpayer.taxShelter');
  if (missing.length) return ex.unknown(missing);
  let deadline = view.date(ex, 'us.federal.irc174a.small_business_deadline') as IsoDate;
  if (input.refundLimitationDate && input.refundLimitationDate < deadline) {
    deadline = input.refundLimitationDate;
    ex.note(`The §6511 refund limitation date ${input.refundLimitationDate} comes first.`);
  }
  ex.input('tax shelter (§448(a)(3))', input.taxShelter).input('as of', input.asOf, undefined, 'text');
  const meets = gr.kind === 'known' && gr.value.meets;
  const eligible = meets && !input.taxShelter;
  const base = { eligible, deadline };
  if (!eligible) {
    const reason = input.taxShelter ? 'a tax shelter may not make the election' : 'the §448(c) gross receipts test is not met for the first tax year beginning after 2024';
    return ex.known({ ...base, status: 'ineligible', applies: false, reason }, `not eligible — ${reason}`);
  }
  if (input.filedOn) {
    ex.input('election filed on', input.filedOn, undefined, 'text');
    if (input.filedOn <= deadline) return ex.known({ ...base, status: 'made', applies: true, reason: `made on ${input.filedOn}, by the ${deadline} deadline` }, 'made in time');
    return ex.known({ ...base, status: 'late', applies: false, reason: `filed ${input.filedOn}, after the ${deadline} deadline` }, 'late — no effect');
  }
  if (input.asOf <= deadline) return ex.known({ ...base, status: 'open', applies: false, reason: `eligible; returns must be filed by ${deadline}` }, `open until ${deadline}`);
  return ex.known({ ...base, status: 'closed', applies: false, reason: `the window closed on ${deadline}; shown for returns already so filed only` }, 'closed (display only)');
}

// ---------------------------------------------------------------------------------------------
// multi-year history by vintage

export const RULE_174_HISTORY = 'us.federal.irc174.history';

export type TransitionChoice = 'deduct_2025' | 'ratable_2025_2026' | 'continue';

export interface VintageAmounts {
  /** The tax year in which the R&E was paid or incurred. */
  period: TaxPeriod;
  /** Domestic R&E after any §280C(c) reduction; undefined = unknown. */
  domestic: Cents | undefined;
  /** Foreign R&E (§41(d)(4)(F) research); undefined = unknown. */
  foreign: Cents | undefined;
  /** For the §174A(c) election or the retroactive amortize method: the month benefits are first realised. */
  benefitsFirstRealized?: IsoDate;
}

export interface Section174HistoryInput {
  /** Consecutive tax years in order, from the earliest vintage to the last year to report. */
  periods: TaxPeriod[];
  vintages: VintageAmounts[];
  /** OBBBA §70302(f)(2) treatment of unamortised 2022–2024 domestic amounts (default: continue). */
  transition?: TransitionChoice;
  /**
   * The small-business retroactive election, when made in time (`smallBusinessRetroactiveElection`
   * status "made"): 2022–2024 domestic R&E deducted in its own year, or amortised under §174A(c).
   */
  retroactive?: { method: 'deduct' } | { method: 'amortize'; months: number };
  /** §174A(c) election (months ≥ 60) for domestic R&E of tax years beginning after 2024. */
  section174aCapitalizeMonths?: number;
  /** Answers to open legal questions. */
  options?: Record<string, string>;
}

export interface HistoryRow {
  vintage: string;
  kind: RAndEKind;
  period: string;
  /** Amount charged to capital account in the vintage year. */
  capitalised: Cents;
  /** Amortization allowed in the year (§174 or §174A(c)). */
  amortised: Cents;
  /** Deducted currently (pre-2022 §174(a), §174A(a), or the retroactive election). */
  expensed: Cents;
  /** Unamortised 2022–2024 domestic amount deducted under §70302(f)(2). */
  transition: Cents;
  /** Unrecovered balance at the end of the year. */
  unrecoveredAtEnd: Cents;
}

export interface Section174History {
  rows: HistoryRow[];
  /** Deduction per reported year (amortised + expensed + transition) by period label. */
  deductionByPeriod: Record<string, Cents>;
  /** Balance still to recover after the last reported year, by vintage and kind. */
  unrecoveredAfter: { vintage: string; kind: RAndEKind; amount: Cents }[];
}

interface Flow {
  period: TaxPeriod;
  capitalised: Cents;
  amortised: Cents;
  expensed: Cents;
  transition: Cents;
}

/** The whole §174/§174A picture of a company's history, vintage by vintage. */
export function section174History(law: Law, input: Section174HistoryInput): Val<Section174History> {
  const ex = explainer(RULE_174_HISTORY, '§174 / §174A schedule by vintage', [
    cite.USC('174'),
    cite.USC('174A'),
    cite.form('Public Law 119-21 §70302(f)'),
  ]);
  if (input.periods.length === 0) return ex.na('no tax years given');
  const opts = input.options ?? {};
  const transition = input.transition ?? 'continue';
  ex.input('transition of unamortised 2022–2024 domestic R&E', transition, undefined, 'text');
  const missing: string[] = [];
  const reportEnd = input.periods[input.periods.length - 1]!;
  const rows: HistoryRow[] = [];
  const deductionByPeriod: Record<string, Cents> = Object.fromEntries(input.periods.map((p) => [periodLabel(p), ZERO]));
  const unrecoveredAfter: Section174History['unrecoveredAfter'] = [];

  for (const v of [...input.vintages].sort((a, b) => (a.period.start < b.period.start ? -1 : 1))) {
    const idx = input.periods.findIndex((p) => p.start === v.period.start);
    if (idx < 0) throw new RangeError(`vintage ${periodLabel(v.period)} is not one of the periods`);
    const following = input.periods.slice(idx + 1);
    const view = law.for(v.period, opts);
    const vex = explainer(RULE_174_HISTORY + '.vintage', `Vintage ${periodLabel(v.period)}`, [cite.USC('174')]);
    const regime = view.text(vex, 'us.federal.irc174.regime');
    const firstNew = view.date(vex, 'us.federal.irc174a.first_year_start');
    const transitionFrom = view.date(vex, 'us.federal.irc174a.transition_vintage_start');
    const inTransitionVintages = v.period.start >= transitionFrom && v.period.start < firstNew;

    for (const kind of ['domestic', 'foreign'] as const) {
      const amount = v[kind];
      if (amount === undefined) {
        missing.push(`section174.${periodLabel(v.period)}.${kind}`);
        continue;
      }
      if (amount === ZERO) continue;
      let flows: Flow[];
      const expensedNow = (why: string): Flow[] => {
        vex.note(`${kind} ${formatCents(amount)}: ${why}`);
        return [{ period: v.period, capitalised: ZERO, amortised: ZERO, expensed: amount, transition: ZERO }];
      };
      const fromSchedule = (s: Val<AmortizationSchedule>): Flow[] | undefined => {
        vex.child(s);
        if (s.kind === 'unknown') {
          missing.push(...s.missing);
          return undefined;
        }
        if (s.kind === 'na') throw new RangeError(`schedule not applicable: ${s.reason}`);
        return s.value.lines.map((l, i) => ({ period: l.period, capitalised: i === 0 ? amount : ZERO, amortised: l.amount, expensed: ZERO, transition: ZERO }));
      };
      const withCapital = (f: Flow[]): Flow[] => {
        if (f.length && f[0]!.period.start !== v.period.start) f.unshift({ period: v.period, capitalised: amount, amortised: ZERO, expensed: ZERO, transition: ZERO });
        return f;
      };

      if (regime === 'deduct_or_elect') flows = expensedNow('deducted under pre-2022 §174(a)');
      else if (kind === 'domestic' && inTransitionVintages && input.retroactive) {
        if (input.retroactive.method === 'deduct') flows = expensedNow('deducted under §174A by the small-business retroactive election (OBBBA §70302(f)(1))');
        else {
          const f = fromSchedule(section174aElectiveAmortization(view, { vintage: v.period, amount, months: input.retroactive.months, benefitsFirstRealized: v.benefitsFirstRealized, followingPeriods: following }));
          if (!f) continue;
          flows = withCapital(f);
        }
      } else if (kind === 'domestic' && regime === 'foreign_only') {
        if (input.section174aCapitalizeMonths !== undefined) {
          const f = fromSchedule(section174aElectiveAmortization(view, { vintage: v.period, amount, months: input.section174aCapitalizeMonths, benefitsFirstRealized: v.benefitsFirstRealized, followingPeriods: following }));
          if (!f) continue;
          flows = withCapital(f);
        } else flows = expensedNow('deducted under §174A(a)');
      } else {
        const f = fromSchedule(section174Amortization(view, { vintage: v.period, kind, amount, followingPeriods: following }));
        if (!f) continue;
        flows = f;
        if (kind === 'domestic' && inTransitionVintages && transition !== 'continue') flows = applyTransition(law, opts, vex, flows, amount, transition, following);
      }

      let balance = ZERO;
      for (const f of flows) {
        balance = sub(sub(sum([balance, f.capitalised]), f.amortised), f.transition);
        const label = periodLabel(f.period);
        if (f.period.start > reportEnd.start) continue;
        rows.push({ vintage: periodLabel(v.period), kind, period: label, capitalised: f.capitalised, amortised: f.amortised, expensed: f.expensed, transition: f.transition, unrecoveredAtEnd: balance });
        if (label in deductionByPeriod) deductionByPeriod[label] = sum([deductionByPeriod[label]!, f.amortised, f.expensed, f.transition]);
      }
      const recovered = sum(flows.filter((f) => f.period.start <= reportEnd.start).flatMap((f) => [f.amortised, f.expensed, f.transition]));
      if (recovered !== amount) unrecoveredAfter.push({ vintage: periodLabel(v.period), kind, amount: sub(amount, recovered) });
    }
    ex.child(vex.build(periodLabel(v.period)));
  }
  if (missing.length) return ex.unknown(missing);
  return ex.known({ rows, deductionByPeriod, unrecoveredAfter }, `${rows.length} rows`);
}

/** Replaces the schedule from the first §174A tax year with the §70302(f)(2) deduction of the unamortised amount. */
function applyTransition(law: Law, opts: Record<string, string>, ex: Explainer, flows: Flow[], amount: Cents, choice: TransitionChoice, following: TaxPeriod[]): Flow[] {
  const firstNew = law.for(flows[0]!.period, opts).date(ex, 'us.federal.irc174a.first_year_start');
  const before = flows.filter((f) => f.period.start < firstNew);
  const remaining = sub(amount, sum(before.map((f) => f.amortised)));
  // the tax years from the first §174A year on
  let years = flows.filter((f) => f.period.start >= firstNew).map((f) => f.period);
  if (years.length === 0) years = following.filter((p) => p.start >= firstNew);
  const y0 = years[0]!;
  const n = choice === 'deduct_2025' ? 1 : law.for(y0, opts).count(ex, 'us.federal.irc174a.transition_ratable_years');
  while (years.length < n) years.push(nextTaxYear(years[years.length - 1]!));
  const out: Flow[] = [...before];
  let given = ZERO;
  for (let k = 0; k < n; k++) {
    const t = k === n - 1 ? sub(remaining, given) : prorate(remaining, 1, n);
    given = sum([given, t]);
    out.push({ period: years[k]!, capitalised: ZERO, amortised: ZERO, expensed: ZERO, transition: t });
  }
  ex.note(`Unamortised domestic amount ${formatCents(remaining)} at the start of ${periodLabel(y0)} deducted ${choice === 'deduct_2025' ? 'in full in that year' : `ratably over ${n} tax years`} (OBBBA §70302(f)(2)).`);
  return out;
}
