/**
 * Field parsers for importers. Each returns a value or a `Bad` with what was expected, never throws.
 */
import { MoneyError, parseMoney, type Cents } from '../money/cents.js';
import { daysInMonth, fromParts, type IsoDate } from '../periods/date.js';

export interface Bad {
  bad: true;
  expected: string;
}
export const isBad = (x: unknown): x is Bad => typeof x === 'object' && x !== null && (x as Bad).bad === true;
const bad = (expected: string): Bad => ({ bad: true, expected });

/** Date formats a profile may accept, tried in order. */
export type DateFormat = 'iso' | 'us' | 'dmy' | 'timestamp';

const ISO_D = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const SLASH_D = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

function mk(y: number, m: number, d: number): IsoDate | undefined {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return fromParts(y, m, d);
}

/**
 * Parses a date: ISO "2024-03-15", US "3/15/2024", day-first "15/03/2024" or "15-03-2024" (dmy),
 * or a timestamp (its local date, see parseTimestamp). Formats are tried in the order given.
 */
export function parseDate(text: string, formats: readonly DateFormat[], zoneOffsetMinutes?: number): IsoDate | Bad {
  const t = text.trim();
  const names = formats.map((f) => ({ iso: 'YYYY-MM-DD', us: 'MM/DD/YYYY', dmy: 'DD/MM/YYYY', timestamp: 'an ISO 8601 timestamp' })[f]);
  const expected = `a date (${names.join(' or ')})`;
  for (const f of formats) {
    if (f === 'iso') {
      const m = ISO_D.exec(t);
      if (m) {
        const r = mk(+m[1]!, +m[2]!, +m[3]!);
        if (r) return r;
      }
    } else if (f === 'us' || f === 'dmy') {
      const m = SLASH_D.exec(t);
      if (m) {
        const a = +m[1]!;
        const b = +m[2]!;
        const r = f === 'us' ? mk(+m[3]!, a, b) : mk(+m[3]!, b, a);
        if (r) return r;
      }
    } else {
      const ts = parseTimestamp(t, zoneOffsetMinutes);
      if (!isBad(ts)) return ts.localDate;
    }
  }
  // A timestamp where a date was expected: take its local date when timestamps are allowed implicitly.
  if (formats.includes('iso') && /^\d{4}-\d{2}-\d{2}[T ]/.test(t)) {
    const ts = parseTimestamp(t, zoneOffsetMinutes);
    if (!isBad(ts)) return ts.localDate;
  }
  return bad(expected);
}

const TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

export interface Timestamp {
  /** Milliseconds since the epoch (UTC); for a timestamp without a zone, as if it were UTC. */
  epochMs: number;
  /** Offset written in the source, in minutes east of UTC; undefined when none was written. */
  offsetMinutes?: number;
  /** Local date of the work: the wall-clock date at `zoneOffsetMinutes` if given, else at the written offset. */
  localDate: IsoDate;
}

/**
 * Parses "2024-03-01T01:30:00+0200", "…+02:00", "…Z", "2024-03-01 22:00:00" (no zone: taken as
 * the local wall clock). The local date is the date where the work happened: by default the date
 * at the offset the source wrote; a `zoneOffsetMinutes` (e.g. -300 for New York winter) converts
 * UTC timestamps to a worker's zone.
 */
export function parseTimestamp(text: string, zoneOffsetMinutes?: number): Timestamp | Bad {
  const m = TS.exec(text.trim());
  const expected = 'an ISO 8601 timestamp (YYYY-MM-DDTHH:MM[:SS][.fff][Z|UTC|±HH:MM|±HHMM])';
  if (!m) return bad(expected);
  const [y, mo, d, h, mi] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!];
  const s = m[6] ? +m[6] : 0;
  const ms = m[7] ? Math.floor(Number('0.' + m[7]) * 1000) : 0;
  if (!mk(y, mo, d) || h > 23 || mi > 59 || s > 60) return bad(expected);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  let offset: number | undefined;
  const z = m[8];
  // "UTC" is how BigQuery writes timestamps into a CSV export (GCP billing)
  if (z === 'Z' || z === 'UTC') offset = 0;
  else if (z) {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = digits.length > 2 ? +digits.slice(2, 4) : 0;
    if (oh > 18 || om > 59) return bad(expected);
    offset = sign * (oh * 60 + om);
  }
  const epochMs = wall - (offset ?? 0) * 60_000;
  const shown = zoneOffsetMinutes ?? offset ?? 0;
  const local = new Date(epochMs + shown * 60_000);
  const localDate = fromParts(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
  return offset === undefined ? { epochMs, localDate } : { epochMs, offsetMinutes: offset, localDate };
}

/** Milliseconds in an hour: hours are accumulated as integer milliseconds so sums are exact. */
export const MS_PER_HOUR = 3_600_000;

/**
 * Parses a duration into integer milliseconds: decimal hours "1.5" / "1,5" (decimal comma),
 * "1:30", "1:30:00", "01:30:00". Decimal hours are exact to 1/100000 h; more digits are rounded
 * half up to the millisecond.
 */
export function parseHoursMs(text: string, decimalComma = false): number | Bad {
  const t = text.trim();
  const expected = decimalComma ? 'hours as 1,5 or 1:30 or 1:30:00' : 'hours as 1.5 or 1:30 or 1:30:00';
  if (t === '') return bad(expected);
  if (t.includes(':')) {
    const p = t.split(':');
    if (p.length > 3 || !p.every((x) => /^\d+$/.test(x))) return bad(expected);
    const [h, mi, s] = [+p[0]!, +p[1]!, p[2] === undefined ? 0 : +p[2]];
    if (mi > 59 || s > 59) return bad(expected);
    return (h * 3600 + mi * 60 + s) * 1000;
  }
  const sep = decimalComma ? ',' : '.';
  const m = (decimalComma ? /^(\d+)(?:,(\d*))?$/ : /^(\d+)(?:\.(\d*))?$/).exec(t.startsWith(sep) ? '0' + t : t);
  if (!m) return bad(expected);
  const frac = m[2] ?? '';
  // whole * 3.6e6 + frac digits scaled: value = int(frac) / 10^n hours = int(frac) * 3.6e6 / 10^n ms.
  let ms = +m[1]! * MS_PER_HOUR;
  if (frac) {
    const f = frac.slice(0, 8);
    const num = Number(f) * MS_PER_HOUR;
    const den = 10 ** f.length;
    ms += Math.floor((num + den / 2) / den);
  }
  return ms;
}

/** Integer seconds ("5400") to milliseconds. */
export function parseSecondsMs(text: string): number | Bad {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return bad('a whole number of seconds');
  return +t * 1000;
}

/** Money exactly, with the expected form in the error. */
export function parseAmount(text: string, decimalComma = false): Cents | Bad {
  try {
    return parseMoney(text, { decimalComma });
  } catch (e) {
    if (e instanceof MoneyError) return bad(decimalComma ? 'an amount such as 1.234,56 or (12,50)' : 'an amount such as 1,234.56, $-12 or (45.10)');
    throw e;
  }
}

/** "2024-03-15" → "2024-03-01". */
export function monthOf(d: IsoDate): IsoDate {
  return (d.slice(0, 8) + '01') as IsoDate;
}

/** Case- and space-insensitive header key ("  Start Date " → "start date"). */
export function normHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Glob ("Vision*", "*-prod") or /regex/ to a case-insensitive RegExp. */
export function pattern(p: string): RegExp {
  if (p.length > 2 && p.startsWith('/') && p.endsWith('/')) return new RegExp(p.slice(1, -1), 'i');
  const esc = p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`, 'i');
}
