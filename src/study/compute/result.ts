/**
 * The result of computing a study: what every surface (CLI, report, API, web) renders.
 * Form lines are `Val`s, so each keeps its explanation and an unknown line stays unknown.
 */
import type { Explanation, ReviewFlag, Val } from '../../explain/types.js';
import type { Cents } from '../../money/cents.js';
import type { Rate } from '../../money/rate.js';

export type LineValue = Cents | Rate | boolean | string;

export interface FormResult {
  /** "f6765", "f8974", "id67". */
  id: string;
  title: string;
  revision: string;
  /** Line number (as printed on the form) → value with its explanation. */
  lines: Record<string, Val<LineValue>>;
  /** Line number → the form's caption for it. */
  labels: Record<string, string>;
  /** Line kinds for output: money lines print as whole dollars. */
  kinds: Record<string, 'money' | 'rate' | 'flag' | 'text'>;
}

export interface Alternative {
  method: 'regular' | 'asc';
  section280c: boolean;
  credit: Val<Cents>;
}

export interface StudyResult {
  study: { id: string; title: string; taxpayer: string; ein?: string; entityType: string; period: { start: string; end: string } };
  qre: {
    wages: Val<Cents>;
    supplies: Val<Cents>;
    computers: Val<Cents>;
    contract: Val<Cents>;
    basicResearch: Val<Cents>;
    total: Val<Cents>;
    byComponent: { componentId: string; name: string; wages: Cents; supplies: Cents; computers: Cents; contract: Cents; total: Cents }[];
  };
  federal: {
    credit: Val<Cents>;
    chosen: { method: 'regular' | 'asc'; section280c: boolean };
    alternatives: Alternative[];
    comparison: string;
  };
  states: Record<string, { name: string; credit: Val<Cents>; note?: string }>;
  forms: Record<string, FormResult>;
  flags: ReviewFlag[];
  missing: string[];
  notes: string[];
}

export function explanationOf(v: Val<unknown>): Explanation {
  return v.why;
}
