/**
 * Money as integer cents behind a brand. Every amount in the engine is a `Cents`;
 * it can only be made through the functions here, which refuse anything that is not
 * a safe integer. Whole-dollar rounding for forms lives in `rounding.ts`.
 */
export type Cents = number & { readonly __brand: 'Cents' };

export class MoneyError extends Error {
  override name = 'MoneyError';
}

export function cents(n: number | bigint): Cents {
  const v = typeof n === 'bigint' ? Number(n) : n;
  if (!Number.isSafeInteger(v)) throw new MoneyError(`not a whole number of cents: ${String(n)}`);
  return (v === 0 ? 0 : v) as Cents; // normalise -0
}

export const ZERO: Cents = cents(0);

/** Whole dollars to cents. */
export function dollars(n: number | bigint): Cents {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new MoneyError(`dollars must be whole here: ${n}; use parseMoney for decimals`);
  return cents(BigInt(n) * 100n);
}

const MONEY_RE = /^\s*(\()?\s*(-)?\s*\$?\s*(-)?([0-9][0-9,]*|)(?:\.([0-9]*))?\s*(\))?\s*$/;

/**
 * Parses a decimal amount exactly ("1,234.56", "$-12", "(45.10)", "1234.5").
 * More than two decimals are rounded half away from zero to the cent.
 * `decimalComma` reads "1.234,56" as 1234.56.
 */
export function parseMoney(text: string, opts: { decimalComma?: boolean } = {}): Cents {
  let s = text.trim();
  if (opts.decimalComma) s = s.replace(/\./g, '').replace(',', '.');
  const m = MONEY_RE.exec(s);
  if (!m || (m[4] === '' && (m[5] === undefined || m[5] === ''))) throw new MoneyError(`not an amount of money: "${text}"`);
  if (Boolean(m[1]) !== Boolean(m[6])) throw new MoneyError(`unbalanced parentheses in amount: "${text}"`);
  if (m[2] && m[3]) throw new MoneyError(`two minus signs in amount: "${text}"`);
  // Accounting parentheses and a minus sign each mean negative.
  const negative = Boolean(m[1]) !== Boolean(m[2] || m[3]);
  const whole = BigInt((m[4] ?? '').replace(/,/g, '') || '0');
  const frac = m[5] ?? '';
  let c = whole * 100n + BigInt((frac + '00').slice(0, 2));
  if (frac.length > 2) {
    const rest = frac.slice(2);
    if (rest[0]! >= '5') c += 1n; // half away from zero (applied before sign)
  }
  return cents(negative ? -c : c);
}

/** Units of an amount below the cent: 10^-10 dollars (cloud bills carry up to 10 decimals). */
export const FINE_PER_CENT = 100_000_000n;

/**
 * Parses a decimal amount exactly to 10^-10 dollars (same syntax as parseMoney), for bills whose
 * lines are fractions of a cent: sum the fine units, round once with `finesToCents`.
 */
export function parseMoneyFine(text: string, opts: { decimalComma?: boolean } = {}): bigint {
  let s = text.trim();
  if (opts.decimalComma) s = s.replace(/\./g, '').replace(',', '.');
  const m = MONEY_RE.exec(s);
  if (!m || (m[4] === '' && (m[5] === undefined || m[5] === ''))) throw new MoneyError(`not an amount of money: "${text}"`);
  if (Boolean(m[1]) !== Boolean(m[6])) throw new MoneyError(`unbalanced parentheses in amount: "${text}"`);
  if (m[2] && m[3]) throw new MoneyError(`two minus signs in amount: "${text}"`);
  const negative = Boolean(m[1]) !== Boolean(m[2] || m[3]);
  const whole = BigInt((m[4] ?? '').replace(/,/g, '') || '0');
  const frac = m[5] ?? '';
  let f = whole * 100n * FINE_PER_CENT + BigInt((frac + '0000000000').slice(0, 10));
  if (frac.length > 10 && frac[10]! >= '5') f += 1n;
  return negative ? -f : f;
}

/** Fine units to cents, half away from zero (the rounding parseMoney applies). */
export function finesToCents(f: bigint): Cents {
  const neg = f < 0n;
  const a = neg ? -f : f;
  const c = a / FINE_PER_CENT + (a % FINE_PER_CENT >= FINE_PER_CENT / 2n ? 1n : 0n);
  return cents(neg ? -c : c);
}

export function add(...xs: Cents[]): Cents {
  let t = 0;
  for (const x of xs) t += x;
  return cents(t);
}

export function sum(xs: Iterable<Cents>): Cents {
  let t = 0;
  for (const x of xs) t += x;
  return cents(t);
}

export function sub(a: Cents, b: Cents): Cents {
  return cents(a - b);
}

export function neg(a: Cents): Cents {
  return cents(-a);
}

export function max(...xs: Cents[]): Cents {
  if (xs.length === 0) throw new MoneyError('max of nothing');
  return cents(Math.max(...xs));
}

export function min(...xs: Cents[]): Cents {
  if (xs.length === 0) throw new MoneyError('min of nothing');
  return cents(Math.min(...xs));
}

/** max(0, a) — "not less than zero" on the forms. */
export function nonNegative(a: Cents): Cents {
  return a < 0 ? ZERO : a;
}

export function mulInt(a: Cents, k: number): Cents {
  if (!Number.isSafeInteger(k)) throw new MoneyError(`multiplier must be an integer: ${k}`);
  return cents(a * k);
}

export function isZero(a: Cents): boolean {
  return a === 0;
}

export function isCents(x: unknown): x is Cents {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

/** "$1,234.56" (or "-$1,234.56"). */
export function formatCents(a: Cents): string {
  const sign = a < 0 ? '-' : '';
  const abs = Math.abs(a);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${sign}$${whole.toLocaleString('en-US')}.${frac}`;
}

/** "$1,235" — for amounts already rounded to whole dollars (form lines). */
export function formatDollars(a: Cents): string {
  if (a % 100 !== 0) return formatCents(a);
  const sign = a < 0 ? '-' : '';
  return `${sign}$${Math.abs(a / 100).toLocaleString('en-US')}`;
}

/** Whole dollars as a plain number, for JSON form output. Throws if not whole. */
export function toWholeDollars(a: Cents): number {
  if (a % 100 !== 0) throw new MoneyError(`not whole dollars: ${a} cents`);
  return a / 100;
}
