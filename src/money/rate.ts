/**
 * Exact rates as reduced rationals over bigint. Rates in law data are written as
 * decimal strings ("0.158") or fractions ("1/6") and never pass through a float.
 */
import { cents, type Cents, MoneyError } from './cents.js';

export interface Rate {
  readonly num: bigint;
  readonly den: bigint; // always > 0
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

export function ratio(num: bigint | number, den: bigint | number = 1n): Rate {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new MoneyError('rate with zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1n;
  return Object.freeze({ num: n / g, den: d / g });
}

const DEC_RE = /^\s*(-)?([0-9]+)?(?:\.([0-9]+))?\s*(%)?\s*$/;

/** "0.158", "15.8%", "1/6", "3" → exact rate. */
export function rate(text: string | number): Rate {
  if (typeof text === 'number') {
    if (!Number.isSafeInteger(text)) throw new MoneyError(`write non-integer rates as strings: ${text}`);
    return ratio(text);
  }
  const frac = /^\s*(-?[0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(text);
  if (frac) return ratio(BigInt(frac[1]!), BigInt(frac[2]!));
  const m = DEC_RE.exec(text);
  if (!m || (m[2] === undefined && m[3] === undefined)) throw new MoneyError(`not a rate: "${text}"`);
  const digits = m[3] ?? '';
  let num = BigInt((m[2] ?? '0') + digits);
  let den = 10n ** BigInt(digits.length);
  if (m[4]) den *= 100n;
  if (m[1]) num = -num;
  return ratio(num, den);
}

export const RATE_ZERO = ratio(0);
export const RATE_ONE = ratio(1);

/** a / b of two money amounts, exact. */
export function moneyRatio(a: Cents, b: Cents): Rate {
  return ratio(BigInt(a), BigInt(b));
}

export function mulRate(a: Rate, b: Rate): Rate {
  return ratio(a.num * b.num, a.den * b.den);
}

export function addRate(a: Rate, b: Rate): Rate {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function subRate(a: Rate, b: Rate): Rate {
  return ratio(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function cmpRate(a: Rate, b: Rate): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function minRate(a: Rate, b: Rate): Rate {
  return cmpRate(a, b) <= 0 ? a : b;
}

export function maxRate(a: Rate, b: Rate): Rate {
  return cmpRate(a, b) >= 0 ? a : b;
}

export function rateEq(a: Rate, b: Rate): boolean {
  return a.num === b.num && a.den === b.den;
}

/** Integer division of a bigint rational rounded half away from zero. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const negative = n < 0n;
  const a = negative ? -n : n;
  const q = a / d;
  const r = a % d;
  const out = r * 2n >= d ? q + 1n : q;
  return negative ? -out : out;
}

/**
 * Rounds a rate to `places` decimal places of the fraction, half up.
 * §41(c)(3)(D): the fixed-base percentage is rounded to the nearest 1/100 of 1 percent,
 * i.e. 4 places of the fraction (0.027777… → 0.0278).
 */
export function roundRate(r: Rate, places: number): Rate {
  const scale = 10n ** BigInt(places);
  return ratio(divRoundHalfUp(r.num * scale, r.den), scale);
}

/** amount × rate, rounded half away from zero to the cent. */
export function applyRate(a: Cents, r: Rate): Cents {
  return cents(divRoundHalfUp(BigInt(a) * r.num, r.den));
}

/** amount × num / den, exact then rounded to the cent (proration by months or days). */
export function prorate(a: Cents, num: number | bigint, den: number | bigint): Cents {
  return applyRate(a, ratio(BigInt(num), BigInt(den)));
}

/** Decimal text of a rate to a fixed number of places ("0.0278"); for display only. */
export function rateToDecimal(r: Rate, places = 6): string {
  const scale = 10n ** BigInt(places);
  const v = divRoundHalfUp(r.num * scale, r.den);
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(places + 1, '0');
  const out = places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
  return (neg ? '-' : '') + out;
}

/** "15.8%" / "2.78%" — trims trailing zeros; for display only. */
export function formatRate(r: Rate, places = 4): string {
  let s = rateToDecimal(ratio(r.num * 100n, r.den), places);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return `${s}%`;
}

/** Lossy; only for charts and logs, never for money. */
export function rateToNumber(r: Rate): number {
  return Number(r.num) / Number(r.den);
}
