/**
 * Cell and scalar codecs of the study folder: each parses the text a person writes (or returns
 * what was expected) and formats the canonical text the writer emits. Empty text never reaches
 * these parsers: an empty cell means "unknown" and is handled by the caller.
 */
import { cents, parseMoney, type Cents } from '../../money/cents.js';
import { rate } from '../../money/rate.js';
import { daysInMonth, isoDate, type IsoDate } from '../../periods/date.js';
import type { Location } from '../model.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

export interface Codec<T> {
  /** What the cell must hold, for diagnostics. */
  expected: string;
  parse(text: string): Parsed<T>;
  format(value: T): string;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(expected: string): Parsed<T> => ({ ok: false, expected });

/** Canonical decimal text of an amount: "-1234.56" (no separators, always two decimals). */
export function formatMoney(c: Cents): string {
  const neg = c < 0;
  const abs = BigInt(Math.abs(c));
  const s = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

export const money: Codec<Cents> = {
  expected: 'an amount of money such as 1234.56, "1,234.56", $12 or (45.00) for a negative amount',
  parse(t) {
    const s = t.trim();
    // parseMoney rounds a third decimal; the study folder refuses it instead of losing a fraction of a cent silently.
    if (/\.\d{3,}\s*\)?\s*$/.test(s)) return bad(`${money.expected}, with at most two decimals`);
    // Commas only as thousands separators ("1,5" is a European decimal and is refused, not read as 15).
    if (s.includes(',') && !/^[^0-9]*\d{1,3}(,\d{3})+(\.\d*)?[^0-9]*$/.test(s)) return bad(`${money.expected}, with commas only between groups of three digits`);
    try {
      return ok(parseMoney(s));
    } catch {
      return bad(money.expected);
    }
  },
  format: formatMoney,
};

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export const date: Codec<IsoDate> = {
  expected: 'a date as YYYY-MM-DD or MM/DD/YYYY',
  parse(t) {
    const s = t.trim();
    const us = US_DATE.exec(s);
    const iso = us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : s;
    if (us) {
      const m = Number(us[1]);
      const d = Number(us[2]);
      if (m < 1 || m > 12 || d < 1 || d > daysInMonth(Number(us[3]), m)) return bad(`${date.expected} (no such date)`);
    }
    try {
      return ok(isoDate(iso));
    } catch {
      return bad(date.expected);
    }
  },
  format: (d) => d,
};

/** USPS codes of the states, DC and the territories. */
export const USPS = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP UM'.split(' '),
);

/**
 * Locations: "ID" or "US-ID" (a U.S. state by USPS code), "US" (the United States, state not
 * known), "country:IN" (a foreign country by ISO 3166-1 alpha-2). A bare two-letter code that is
 * not a USPS code ("GB", "JP") is read as a country; one that is a USPS code is always the state
 * ("IN" is Indiana — write "country:IN" for India).
 */
export const location: Codec<Location> = {
  expected: 'a U.S. state as ID or US-ID, US for the United States without a state, or a foreign country as country:XX (ISO 3166-1, e.g. country:IN)',
  parse(t) {
    const s = t.trim().toUpperCase();
    if (s === 'US') return ok({ country: 'US' });
    const st = /^(?:US[-:])?([A-Z]{2})$/.exec(s);
    if (st && USPS.has(st[1]!)) return ok({ country: 'US', state: st[1]! });
    const c = /^(?:COUNTRY:)?([A-Z]{2})$/.exec(s);
    if (c && !s.startsWith('US-') && !s.startsWith('US:')) {
      if (c[1] === 'US') return ok({ country: 'US' });
      return ok({ country: c[1]! });
    }
    return bad(location.expected);
  },
  format(l) {
    if (l.country === 'US') return l.state ?? 'US';
    return `country:${l.country}`;
  },
};

export const bool: Codec<boolean> = {
  expected: 'true or false (yes/no, y/n, 1/0 also accepted)',
  parse(t) {
    const s = t.trim().toLowerCase();
    if (['true', 'yes', 'y', '1', 't'].includes(s)) return ok(true);
    if (['false', 'no', 'n', '0', 'f'].includes(s)) return ok(false);
    return bad(bool.expected);
  },
  format: (b) => (b ? 'true' : 'false'),
};

export const text: Codec<string> = {
  expected: 'text',
  parse: (t) => ok(t),
  format: (s) => s,
};

export function oneOf<T extends string>(values: readonly T[]): Codec<T> {
  const expected = `one of ${values.join(', ')}`;
  return {
    expected,
    parse(t) {
      const s = t.trim().toLowerCase().replace(/[\s-]+/g, '_');
      const hit = values.find((v) => v === s);
      return hit ? ok(hit) : bad(expected);
    },
    format: (v) => v,
  };
}

/** Non-negative decimal number (hours). */
export const hours: Codec<number> = {
  expected: 'a number of hours ≥ 0 such as 7.5',
  parse(t) {
    const s = t.trim();
    if (!/^\d+(\.\d+)?$|^\d*\.\d+$|^\d+(\.\d+)?e[+-]?\d+$/i.test(s)) return bad(hours.expected);
    const v = Number(s);
    return Number.isFinite(v) ? ok(v) : bad(hours.expected);
  },
  format: (n) => String(n),
};

export const integer: Codec<number> = {
  expected: 'a whole number',
  parse(t) {
    const s = t.trim();
    if (!/^-?\d+$/.test(s)) return bad(integer.expected);
    const v = Number(s);
    return Number.isSafeInteger(v) ? ok(v) : bad(integer.expected);
  },
  format: (n) => String(n),
};

/** A share or rate written as a decimal ("0.6", "60%") or a fraction ("3/5"); kept as written. */
export const share: Codec<string> = {
  expected: 'a share as a decimal (0.6), a percentage (60%) or a fraction (3/5) between 0 and 1',
  parse(t) {
    const s = t.trim();
    try {
      const r = rate(s);
      if (r.num < 0n || r.num > r.den) return bad(share.expected);
      return ok(s);
    } catch {
      return bad(share.expected);
    }
  },
  format: (s) => s,
};

/** A state → amount map in one cell: "ID=85000.00; OR=1200.00"; "none" = known to be empty. */
export const stateAmounts: Codec<Record<string, Cents>> = {
  expected: 'state amounts as ID=85000.00; OR=1200 (USPS codes), or none',
  parse(t) {
    const s = t.trim();
    if (s.toLowerCase() === 'none') return ok({});
    const out: Record<string, Cents> = {};
    for (const part of s.split(';')) {
      const m = /^\s*([A-Za-z]{2})\s*=\s*(.+?)\s*$/.exec(part);
      if (!m || !USPS.has(m[1]!.toUpperCase())) return bad(stateAmounts.expected);
      const st = m[1]!.toUpperCase();
      const a = money.parse(m[2]!);
      if (!a.ok || st in out) return bad(stateAmounts.expected);
      out[st] = a.value;
    }
    return ok(out);
  },
  format(m) {
    const keys = Object.keys(m);
    if (keys.length === 0) return 'none';
    return keys.map((k) => `${k}=${formatMoney(m[k]!)}`).join('; ');
  },
};

/** A list of ids in one cell, separated by ";" ("A; B"). An empty cell is the empty list. */
export const idList: Codec<string[]> = {
  expected: 'ids separated by ; (e.g. SGA; SERVE)',
  parse(t) {
    const ids = t.split(';').map((x) => x.trim());
    if (ids.some((x) => x === '')) return bad(idList.expected);
    return ok(ids);
  },
  format: (l) => l.join('; '),
};

/** A SHA-256 digest: 64 hex digits (written lowercase). */
export const sha256: Codec<string> = {
  expected: 'a SHA-256 digest: 64 hexadecimal digits',
  parse(t) {
    const s = t.trim().toLowerCase();
    return /^[0-9a-f]{64}$/.test(s) ? ok(s) : bad(sha256.expected);
  },
  format: (s) => s,
};

export const centsOf = (n: number): Cents => cents(n);
