/** ISO calendar dates ("YYYY-MM-DD") with exact day arithmetic in UTC. */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

export class DateError extends Error {
  override name = 'DateError';
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isoDate(text: string): IsoDate {
  const m = ISO_RE.exec(text);
  if (!m) throw new DateError(`not an ISO date (YYYY-MM-DD): "${text}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new DateError(`no such date: "${text}"`);
  return text as IsoDate;
}

export function isIsoDate(text: unknown): text is IsoDate {
  if (typeof text !== 'string') return false;
  try {
    isoDate(text);
    return true;
  } catch {
    return false;
  }
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

export function parts(d: IsoDate): { y: number; m: number; d: number } {
  return { y: Number(d.slice(0, 4)), m: Number(d.slice(5, 7)), d: Number(d.slice(8, 10)) };
}

export function fromParts(y: number, m: number, d: number): IsoDate {
  return isoDate(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

/** Days since 1970-01-01. */
export function dayNumber(d: IsoDate): number {
  const p = parts(d);
  return Date.UTC(p.y, p.m - 1, p.d) / 86_400_000;
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10) as IsoDate;
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromDayNumber(dayNumber(d) + n);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/** Calendar quarter of a date: { year, quarter 1..4 }. */
export function quarterOf(d: IsoDate): { year: number; quarter: 1 | 2 | 3 | 4 } {
  const p = parts(d);
  return { year: p.y, quarter: (Math.floor((p.m - 1) / 3) + 1) as 1 | 2 | 3 | 4 };
}

export function quarterStart(year: number, quarter: number): IsoDate {
  return fromParts(year, (quarter - 1) * 3 + 1, 1);
}

export function nextQuarter(q: { year: number; quarter: number }): { year: number; quarter: 1 | 2 | 3 | 4 } {
  return q.quarter === 4 ? { year: q.year + 1, quarter: 1 } : { year: q.year, quarter: (q.quarter + 1) as 1 | 2 | 3 | 4 };
}
