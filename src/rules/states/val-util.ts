/** Small helpers over `Val<Cents>` used by the state rules. */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import type { Citation } from '../../explain/types.js';
import { sum, type Cents } from '../../money/index.js';

/** Adds known values; unknown if any part is unknown (missing lists merged); n/a parts count as nothing. */
export function sumVals(rule: string, label: string, citation: Citation[], parts: Val<Cents>[], formula?: string): Val<Cents> {
  const ex = explainer(rule, label, citation);
  for (const p of parts) ex.child(p);
  if (formula) ex.formula(formula);
  const missing = parts.flatMap((p) => (p.kind === 'unknown' ? p.missing : []));
  if (missing.length) return ex.unknown(missing);
  return ex.known(sum(parts.map((p) => (p.kind === 'known' ? p.value : (0 as Cents)))));
}

/** The value of a Val if known, else undefined. */
export function valueOf<T>(v: Val<T>): T | undefined {
  return v.kind === 'known' ? v.value : undefined;
}

/** Missing inputs of the unknown ones among `vs`. */
export function missingIn(...vs: Val<unknown>[]): string[] {
  return vs.flatMap((v) => (v.kind === 'unknown' ? v.missing : []));
}

/** Closes `ex` as unknown if any of `vs` is unknown; returns undefined otherwise. */
export function unknownIfAny(ex: Explainer, ...vs: Val<unknown>[]): Val<never> | undefined {
  const m = missingIn(...vs);
  return m.length ? (ex.unknown(m) as Val<never>) : undefined;
}
