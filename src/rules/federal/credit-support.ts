/**
 * Helpers shared by the federal credit rules: finding the tax years that precede the credit
 * year in a history, and building one Form 6765 line from other values so that unknowns and
 * not-applicable values flow through with their explanation.
 */
import { explainer, missingOf, type Explainer, type Val } from '../../explain/index.js';
import type { Citation } from '../../explain/types.js';
import { formatDollars, formatRate, ZERO, type Cents, type Rate } from '../../money/index.js';
import { addDays, periodLabel, type IsoDate, type TaxPeriod } from '../../periods/index.js';

/**
 * One preceding tax year, as the credit rules need it. Structurally a subset of the study
 * model's `PriorYear`, so `study.history` can be passed as is.
 */
export interface PriorYearFacts {
  period: { start: IsoDate; end: IsoDate };
  /** Federal QREs computed consistently with the credit year (§41(c)(5)); undefined = not known. */
  qre?: Cents;
  /** Gross receipts (§41(c)(6)); undefined = not known. */
  grossReceipts?: Cents;
}

export interface PrecedingYears {
  /** The preceding years found, most recent first. */
  years: PriorYearFacts[];
  /** How many of the wanted years fall before the taxpayer came into existence. */
  notInExistence: number;
  /** Descriptions of preceding years that are missing from the history (then the chain stops). */
  missing: string[];
}

/**
 * The `n` tax years immediately preceding `credit`: the history entry ending the day before the
 * credit year starts, the one ending the day before that one starts, and so on. A year that would
 * begin before `firstTaxYearStart` did not exist; a gap in the chain is a missing input.
 */
export function precedingYears(credit: TaxPeriod, history: readonly PriorYearFacts[], n: number, firstTaxYearStart?: IsoDate): PrecedingYears {
  const years: PriorYearFacts[] = [];
  let expectedEnd = addDays(credit.start, -1);
  while (years.length < n) {
    if (firstTaxYearStart !== undefined && firstTaxYearStart > expectedEnd) return { years, notInExistence: n - years.length, missing: [] };
    const y = history.find((h) => h.period.end === expectedEnd);
    if (!y) return { years, notInExistence: 0, missing: [`history: tax year ending ${expectedEnd}`] };
    years.push(y);
    expectedEnd = addDays(y.period.start, -1);
  }
  return { years, notInExistence: 0, missing: [] };
}

export function priorLabel(p: { start: IsoDate; end: IsoDate }): string {
  return periodLabel(p as TaxPeriod);
}

/** A known value with a given display, as a leaf Val (for amounts supplied by the caller). */
export function givenVal<T>(rule: string, label: string, value: T, display: string, source?: string): Val<T> {
  const ex = explainer(rule, label, []);
  if (source) ex.note(`source: ${source}`);
  return ex.known(value, display);
}

export type LineDeps = Record<string, Val<unknown>>;

/** Values of known deps; na deps read as `naAs` (a form line left blank counts as zero). */
type Known<D extends LineDeps> = { [K in keyof D]: D[K] extends Val<infer T> ? T : never };

/**
 * Builds one form line from its inputs: if any input is unknown, the line is unknown (missing
 * gathered from all inputs); a not-applicable input counts as zero (a blank line) with a note.
 */
export function line<D extends LineDeps, T>(
  spec: { rule: string; label: string; citation: Citation[]; deps: D; naZero?: boolean },
  compute: (ex: Explainer, v: Known<D>) => T,
  display: (t: T) => string = (t) => (typeof t === 'object' ? formatRate(t as unknown as Rate) : formatDollars(t as unknown as Cents)),
): Val<T> {
  const ex = explainer(spec.rule, spec.label, spec.citation);
  const deps = Object.values(spec.deps);
  for (const d of deps) ex.child(d);
  const missing = missingOf(...deps);
  if (deps.some((d) => d.kind === 'unknown')) return ex.unknown(missing);
  const values: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(spec.deps)) {
    if (d.kind === 'known') values[k] = d.value;
    else {
      values[k] = ZERO;
      ex.note(`${d.why.label}: not applicable (${d.kind === 'na' ? d.reason : ''}); counted as zero`);
    }
  }
  const t = compute(ex, values as Known<D>);
  return ex.known(t, display(t));
}
