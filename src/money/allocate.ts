/** Exact allocation of an amount of money over weights: the one shared implementation. */
import { cents, ZERO, type Cents } from './cents.js';

/**
 * Splits `amount` (≥ 0) over non-negative integer weights so the parts add up exactly.
 * Largest-remainder method; ties broken by key ascending. All-zero weights give all zeros.
 * Throws on a negative amount or weight (programmer error).
 */
export function largestRemainder(amount: Cents, weights: ReadonlyArray<readonly [string, bigint]>): Map<string, Cents> {
  if (amount < 0) throw new RangeError(`largestRemainder: negative amount ${amount}`);
  const out = new Map<string, Cents>();
  let total = 0n;
  for (const [k, w] of weights) {
    if (w < 0n) throw new RangeError(`largestRemainder: negative weight for ${k}`);
    if (out.has(k)) throw new RangeError(`largestRemainder: key ${k} given twice`);
    out.set(k, ZERO);
    total += w;
  }
  if (total === 0n || amount === 0) return out;
  const A = BigInt(amount);
  let given = 0n;
  const parts = weights.map(([k, w]) => {
    const n = A * w;
    const q = n / total;
    given += q;
    return { k, q, rem: n % total };
  });
  let left = A - given;
  const order = [...parts].sort((a, b) => (a.rem !== b.rem ? (b.rem > a.rem ? 1 : -1) : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (const p of order) {
    if (left <= 0n) break;
    if (p.rem === 0n) break; // never reached while left > 0: left < count of non-zero remainders
    p.q += 1n;
    left -= 1n;
  }
  for (const p of parts) out.set(p.k, cents(p.q));
  return out;
}
