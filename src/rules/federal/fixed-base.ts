/**
 * Fixed-base percentage (§41(c)(3)): the established-company ratio of 1984–1988 QREs to gross
 * receipts, or the start-up schedule (3% for years 1–5 with QREs, 1/6 … 5/6 of a window ratio
 * for years 6–10, and from year 11 the ratio over 5 years the taxpayer selects from years 5–10).
 * Rounded to 1/100 of 1% (§41(c)(3)(D)), then capped at 16% (§41(c)(3)(C)).
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import { cmpRate, formatRate, minRate, moneyRatio, mulRate, roundRate, sum, type Cents, type Rate } from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { cite } from './citations.js';

export const RULE_FBP = 'us.federal.irc41.regular.fixed_base_percentage';

/** One tax year of the taxpayer's history for the fixed-base percentage. */
export interface FbpYear {
  /** Calendar year in which the tax year began. */
  year: number;
  /** QREs of the year (consistent with the credit year, §41(c)(5)); undefined = not known. */
  qre?: Cents;
  /** Gross receipts of the year; undefined = not known. */
  grossReceipts?: Cents;
}

export type FixedBaseInput =
  /** A fixed-base percentage already determined (e.g. in an earlier study), with where it comes from. */
  | { kind: 'given'; fbp: Rate; source: string }
  | {
      kind: 'history';
      /**
       * Every tax year before the credit year from the taxpayer's first tax year (or from 1984 if
       * earlier), in order. Start-up years are numbered from this list, so it must be complete
       * after 1993.
       */
      years: readonly FbpYear[];
      /** Year in which the taxpayer first had both QREs and gross receipts; default: the first such year in `years`. */
      firstYearWithQreAndGrossReceipts?: number;
      /** From start-up year 11: the start-up year numbers (from 5–10) the taxpayer chose; honoured when given. */
      chosenYears?: readonly number[];
    };

export interface FixedBaseResult {
  fbp: Rate;
  basis: 'given' | 'established' | 'startup';
  /** Start-up year number of the credit year. */
  startupYear?: number;
  /** Start-up year numbers whose ratio was used (from year 6). */
  windowYears?: number[];
  /** The calendar years those are. */
  windowTaxYears?: number[];
  /** True when the years were the engine's proposal (lowest ratio) rather than the taxpayer's recorded choice. */
  proposedSelection?: boolean;
  capped: boolean;
}

function finish(view: LawView, ex: Explainer, raw: Rate, r: Omit<FixedBaseResult, 'fbp' | 'capped'>): Val<FixedBaseResult> {
  const places = view.count(ex, 'us.federal.irc41.regular.fbp_rounding_places');
  const cap = view.rate(ex, 'us.federal.irc41.regular.fbp_cap');
  const rounded = roundRate(raw, places);
  const fbp = minRate(rounded, cap);
  const capped = cmpRate(rounded, cap) > 0;
  if (capped) ex.note(`${formatRate(rounded)} exceeds the maximum: capped at ${formatRate(cap)}`);
  ex.formula(`${formatRate(raw, 6)} rounded to 1/100 of 1% = ${formatRate(rounded)}${capped ? `, capped at ${formatRate(cap)}` : ''}`);
  return ex.known({ ...r, fbp, capped }, formatRate(fbp));
}

function zeroReceipts(view: LawView, ex: Explainer, r: Omit<FixedBaseResult, 'fbp' | 'capped'>, what: string): Val<FixedBaseResult> {
  const choice = view.option(ex, 'us.federal.irc41.fbp.zero_gross_receipts');
  ex.note(`gross receipts of ${what} total zero: the ratio is undefined`);
  if (choice === 'unknown') return ex.unknown([`review: fixed-base percentage (zero gross receipts in ${what})`]);
  const cap = view.rate(ex, 'us.federal.irc41.regular.fbp_cap');
  return ex.known({ ...r, fbp: cap, capped: true }, formatRate(cap));
}

function combinations<T>(xs: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (xs.length < k) return [];
  const [h, ...t] = xs;
  return [...combinations(t, k - 1).map((c) => [h!, ...c]), ...combinations(t, k)];
}

export function fixedBasePercentage(view: LawView, input: FixedBaseInput): Val<FixedBaseResult> {
  const ex = explainer(RULE_FBP, 'Fixed-base percentage (Form 6765 line 6)', [cite.USC('41', '(c)(3)')]);
  if (input.kind === 'given') {
    ex.input('fixed-base percentage as determined', input.fbp, input.source);
    return finish(view, ex, input.fbp, { basis: 'given' });
  }
  const years = [...input.years].sort((a, b) => a.year - b.year);
  const base = view.list(ex, 'us.federal.irc41.regular.established_base_period').map(Number);
  const minYears = view.count(ex, 'us.federal.irc41.regular.established_min_years');
  const both = (y: FbpYear) => (y.qre ?? 0) > 0 && (y.grossReceipts ?? 0) > 0;
  const firstBoth = input.firstYearWithQreAndGrossReceipts ?? years.find(both)?.year;
  const firstBase = Math.min(...base);

  // Established company: first year with both before the base period, and ≥ 3 base years with both.
  if (firstBoth !== undefined && firstBoth < firstBase) {
    const inBase = years.filter((y) => base.includes(y.year));
    const unknown = inBase.filter((y) => y.qre === undefined || y.grossReceipts === undefined);
    if (unknown.length) return ex.unknown(unknown.map((y) => `fixed-base history ${y.year}: QREs and gross receipts`));
    if (inBase.filter(both).length >= minYears) {
      const q = sum(inBase.map((y) => y.qre!));
      const g = sum(inBase.map((y) => y.grossReceipts!));
      ex.note(`established company: first year with QREs and gross receipts ${firstBoth}; base years ${inBase.map((y) => y.year).join(', ')}`);
      ex.input('QREs of the base period', q).input('gross receipts of the base period', g);
      if (g <= 0) return zeroReceipts(view, ex, { basis: 'established' }, 'the 1984–1988 base period');
      return finish(view, ex, moneyRatio(q, g), { basis: 'established' });
    }
  }

  // Start-up company.
  const after = view.count(ex, 'us.federal.irc41.startup.first_counted_year');
  const later = years.filter((y) => y.year > after);
  const unknownQre = later.filter((y) => y.qre === undefined);
  if (unknownQre.length) return ex.unknown(unknownQre.map((y) => `fixed-base history ${y.year}: QREs`));
  const numbered = later.filter((y) => y.qre! > 0);
  const n = numbered.length + 1;
  const byNo = (k: number) => numbered[k - 1]!;
  ex.note(`start-up company: the credit year is year ${n} of the tax years beginning after ${after} with QREs`);
  const initialYears = view.count(ex, 'us.federal.irc41.startup.initial_years');
  if (n <= initialYears) {
    const r = view.rate(ex, 'us.federal.irc41.startup.initial_fbp');
    return finish(view, ex, r, { basis: 'startup', startupYear: n });
  }
  const phase = view.rateTable(ex, 'us.federal.irc41.startup.phase_in');
  const ratioOf = (ks: number[]) => {
    const q = sum(ks.map((k) => byNo(k).qre!));
    const g = sum(ks.map((k) => byNo(k).grossReceipts!));
    return { q, g };
  };
  const missingGr = (ks: number[]) => ks.filter((k) => byNo(k).grossReceipts === undefined).map((k) => `fixed-base history ${byNo(k).year}: gross receipts`);
  const phaseFraction = phase[String(n)];
  if (phaseFraction) {
    const ws = view.rateTable(ex, 'us.federal.irc41.startup.window_start')[String(n)]!;
    const first = Number(ws.num / ws.den);
    const ks = Array.from({ length: n - first }, (_, i) => first + i);
    const miss = missingGr(ks);
    if (miss.length) return ex.unknown(miss);
    const { q, g } = ratioOf(ks);
    const info = { basis: 'startup' as const, startupYear: n, windowYears: ks, windowTaxYears: ks.map((k) => byNo(k).year) };
    ex.input(`QREs of start-up years ${ks.join(', ')}`, q).input(`gross receipts of start-up years ${ks.join(', ')}`, g).input(`fraction for year ${n}`, phaseFraction);
    if (g <= 0) return zeroReceipts(view, ex, info, `start-up years ${ks.join(', ')}`);
    return finish(view, ex, mulRate(phaseFraction, moneyRatio(q, g)), info);
  }
  // Year 11 on: the taxpayer's selection of years from 5–10.
  const lo = view.count(ex, 'us.federal.irc41.startup.selection_first_year');
  const hi = view.count(ex, 'us.federal.irc41.startup.selection_last_year');
  const k = view.count(ex, 'us.federal.irc41.startup.selected_years');
  const range = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  let chosen: number[];
  let proposed = false;
  if (input.chosenYears) {
    chosen = [...new Set(input.chosenYears)].sort((a, b) => a - b);
    if (chosen.length !== k || chosen.some((c) => !range.includes(c)))
      return ex.unknown([`elections: fixed-base years must be ${k} distinct start-up years from ${lo}–${hi} (given: ${input.chosenYears.join(', ')})`]);
    const miss = missingGr(chosen);
    if (miss.length) return ex.unknown(miss);
    ex.note(`years ${chosen.join(', ')} as selected by the taxpayer`);
  } else {
    const miss = missingGr(range);
    if (miss.length) return ex.unknown(miss);
    const combos = combinations(range, k).map((c) => ({ c, ...ratioOf(c) }));
    const valid = combos.filter((x) => x.g > 0);
    if (valid.length === 0) return zeroReceipts(view, ex, { basis: 'startup', startupYear: n }, `start-up years ${lo}–${hi}`);
    let best = valid[0]!;
    for (const x of valid.slice(1)) if (cmpRate(moneyRatio(x.q, x.g), moneyRatio(best.q, best.g)) < 0) best = x;
    chosen = best.c;
    proposed = true;
    ex.note(`proposed selection: years ${chosen.join(', ')} give the lowest ratio of the ${combos.length} combinations; the selection is the taxpayer's and must be recorded`);
  }
  const { q, g } = ratioOf(chosen);
  const info = { basis: 'startup' as const, startupYear: n, windowYears: chosen, windowTaxYears: chosen.map((c) => byNo(c).year), proposedSelection: proposed };
  ex.input(`QREs of start-up years ${chosen.join(', ')}`, q).input(`gross receipts of start-up years ${chosen.join(', ')}`, g);
  if (g <= 0) return zeroReceipts(view, ex, info, `start-up years ${chosen.join(', ')}`);
  return finish(view, ex, moneyRatio(q, g), info);
}

/** The rate alone, for Form 6765 line 6. */
export function fbpRate(v: Val<FixedBaseResult>): Val<Rate> {
  return v.kind === 'known' ? { kind: 'known', value: v.value.fbp, why: v.why } : v;
}
