/**
 * The exam-readiness score from named checks: each check has a weight; pass earns all of it,
 * warn half, fail none, and a check that does not apply is left out. The score is
 * 100 × earned / possible, rounded half up to a whole number; with no applicable check it is
 * null (nothing to judge). Pure.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'na';

export function readinessScore(checks: readonly { status: CheckStatus; weight: number }[]): number | null {
  let earned2 = 0; // in half-points of weight
  let possible2 = 0;
  for (const c of checks) {
    if (c.status === 'na') continue;
    if (!Number.isInteger(c.weight) || c.weight < 1) throw new Error(`check weights are positive integers, got ${c.weight}`);
    possible2 += 2 * c.weight;
    earned2 += c.status === 'pass' ? 2 * c.weight : c.status === 'warn' ? c.weight : 0;
  }
  if (possible2 === 0) return null;
  // round(100 × earned / possible) half up, in integers
  return Math.floor((200 * earned2 + possible2) / (2 * possible2));
}
