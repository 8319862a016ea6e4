/**
 * Explanations and completeness (ADR 0004).
 * Every rule returns a `Val<T>`: known (with a value), unknown (with what is missing)
 * or not applicable (with why). Each carries an `Explanation` tree naming the rule,
 * its citation, the parameters used (with their effective date and reference), the
 * inputs that decided the result, and the child explanations it was built from.
 * The CLI's --explain, the UI's "why?" and the report all render this one tree.
 */

export interface Citation {
  title: string;
  href?: string;
  pinpoint?: string;
}

/** A parameter value as it was used: which one, its value, from when, and why it is law. */
export interface ParamUse {
  id: string;
  value: string;
  effectiveFrom: string;
  keyedOn: string;
  reference: Citation[];
  status?: 'P' | 'S' | 'U';
}

/** An input that decided a result, shown as text with where it came from. */
export interface InputUse {
  name: string;
  value: string;
  source?: string;
}

/** An open legal question answered by a named option; shown in every output that used it. */
export interface ReviewFlag {
  option: string;
  chosen: string;
  isDefault: boolean;
  message: string;
  reference: Citation[];
}

export interface Explanation {
  rule: string;
  label: string;
  value: string;
  formula?: string;
  citation: Citation[];
  params: ParamUse[];
  inputs: InputUse[];
  children: Explanation[];
  notes: string[];
  flags: ReviewFlag[];
}

export interface Known<T> {
  readonly kind: 'known';
  readonly value: T;
  readonly why: Explanation;
}

export interface Unknown {
  readonly kind: 'unknown';
  /** Paths or descriptions of the inputs that are missing. */
  readonly missing: string[];
  readonly why: Explanation;
}

export interface NotApplicable {
  readonly kind: 'na';
  readonly reason: string;
  readonly why: Explanation;
}

export type Val<T> = Known<T> | Unknown | NotApplicable;
