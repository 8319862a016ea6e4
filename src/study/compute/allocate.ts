/**
 * Exact allocation of an amount in cents over weights (largest-remainder method):
 * the parts always add up to the amount, each part is within one cent of its exact share,
 * and ties go to the earlier key so the result is deterministic.
 */
import { cents, type Cents } from '../../money/cents.js';

export function allocateByWeights<K>(amount: Cents, weights: ReadonlyArray<readonly [K, number]>): Map<K, Cents> {
  const out = new Map<K, Cents>();
  const positive = weights.filter(([, w]) => w > 0);
  const total = positive.reduce((t, [, w]) => t + w, 0);
  if (total <= 0 || positive.length === 0) {
    for (const [k] of weights) out.set(k, cents(0));
    return out;
  }
  // Scale weights to integers (hours may carry up to 6 decimals) and work in bigint.
  const scaled = positive.map(([k, w]) => [k, BigInt(Math.round(w * 1e6))] as const);
  const T = scaled.reduce((t, [, w]) => t + w, 0n);
  const A = BigInt(amount);
  const sign = A < 0n ? -1n : 1n;
  const absA = A * sign;
  let given = 0n;
  const parts = scaled.map(([k, w], i) => {
    const num = absA * w;
    const q = num / T;
    given += q;
    return { k, q, rem: num % T, i };
  });
  let left = absA - given;
  const order = [...parts].sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  for (const p of order) {
    if (left <= 0n) break;
    p.q += 1n;
    left -= 1n;
  }
  for (const [k] of weights) out.set(k, cents(0));
  for (const p of parts) out.set(p.k, cents(p.q * sign));
  return out;
}
