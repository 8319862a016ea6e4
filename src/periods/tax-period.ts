/**
 * Tax periods. Every law lookup takes a period, never a bare year (ADR 0002):
 * fiscal years, 52–53-week years and short years are first-class.
 */
import {
  addDays,
  daysBetween,
  DateError,
  fromParts,
  isoDate,
  parts,
  daysInMonth,
  type IsoDate,
} from './date.js';

export type Jurisdiction = 'US' | `US-${string}`;

export interface TaxPeriod {
  /** First day of the tax year. */
  readonly start: IsoDate;
  /** Last day of the tax year (inclusive). */
  readonly end: IsoDate;
}

export function taxPeriod(start: string, end: string): TaxPeriod {
  const s = isoDate(start);
  const e = isoDate(end);
  if (e < s) throw new DateError(`tax period ends (${end}) before it starts (${start})`);
  const d = daysBetween(s, e) + 1;
  if (d > 371) throw new DateError(`a tax year is at most 53 weeks; ${start}..${end} is ${d} days`);
  return Object.freeze({ start: s, end: e });
}

export function calendarYear(y: number): TaxPeriod {
  return taxPeriod(`${y}-01-01`, `${y}-12-31`);
}

/** A 12-month fiscal year beginning on the first day of `startMonth` of year `y`. */
export function fiscalYear(y: number, startMonth: number): TaxPeriod {
  const s = fromParts(y, startMonth, 1);
  const endY = startMonth === 1 ? y : y + 1;
  const endM = startMonth === 1 ? 12 : startMonth - 1;
  return taxPeriod(s, fromParts(endY, endM, daysInMonth(endY, endM)));
}

/** Days in the period, inclusive of both ends. */
export function periodDays(p: TaxPeriod): number {
  return daysBetween(p.start, p.end) + 1;
}

/**
 * Months in the period, a partial month counting as a full month
 * (the convention of Notice 2023-63 and of the §41 short-year proration).
 */
export function periodMonths(p: TaxPeriod): number {
  if (!isShortYear(p)) return 12;
  const a = parts(p.start);
  const b = parts(p.end);
  return (b.y - a.y) * 12 + (b.m - a.m) + 1;
}

/** A 12-month (or 52–53-week) year is not short. */
export function isShortYear(p: TaxPeriod): boolean {
  const d = periodDays(p);
  return d < 364; // 52-week years have 364 days
}

/** The calendar year in which the period begins ("tax year 2025" in the forms' sense). */
export function yearBegun(p: TaxPeriod): number {
  return parts(p.start).y;
}

export function contains(p: TaxPeriod, d: IsoDate): boolean {
  return d >= p.start && d <= p.end;
}

export function beginsOnOrAfter(p: TaxPeriod, d: string): boolean {
  return p.start >= isoDate(d);
}

/** The period of the same shape `n` years earlier (n > 0) or later (n < 0) — for history lookups. */
export function shiftYears(p: TaxPeriod, n: number): TaxPeriod {
  const s = parts(p.start);
  const e = parts(p.end);
  const clamp = (y: number, m: number, d: number) => fromParts(y, m, Math.min(d, daysInMonth(y, m)));
  return taxPeriod(clamp(s.y - n, s.m, s.d), clamp(e.y - n, e.m, e.d));
}

export function periodLabel(p: TaxPeriod): string {
  const s = parts(p.start);
  const e = parts(p.end);
  if (s.m === 1 && s.d === 1 && e.m === 12 && e.d === 31 && s.y === e.y) return `TY${s.y}`;
  return `${p.start}..${p.end}`;
}

export function nextDay(d: IsoDate): IsoDate {
  return addDays(d, 1);
}
