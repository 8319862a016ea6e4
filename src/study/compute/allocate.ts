/**
 * Exact allocation of an amount in cents over (fractional) weights such as hours, using the
 * shared largest-remainder split in src/money/allocate.ts: the parts always add up to the amount,
 * each part is within one cent of its exact share, and ties go to the earlier entry.
 */
import { cents, type Cents } from '../../money/cents.js';
import { largestRemainder } from '../../money/allocate.js';

export function allocateByWeights<K>(amount: Cents, weights: ReadonlyArray<readonly [K, number]>): Map<K, Cents> {
  const keyOf = (i: number) => String(i).padStart(10, '0'); // key order = input order for ties
  const scaled = weights.map(([, w], i) => [keyOf(i), w > 0 ? BigInt(Math.round(w * 1e6)) : 0n] as const);
  const negative = amount < 0;
  const parts = largestRemainder(cents(Math.abs(amount)), scaled);
  const out = new Map<K, Cents>();
  weights.forEach(([k], i) => {
    const c = parts.get(keyOf(i))!;
    out.set(k, negative ? cents(-c) : c);
  });
  return out;
}
