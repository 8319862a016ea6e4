import type { Citation, Explanation, InputUse, Known, NotApplicable, ParamUse, ReviewFlag, Unknown, Val } from './types.js';
import { formatCents, formatDollars, type Cents } from '../money/cents.js';
import { formatRate, type Rate } from '../money/rate.js';

export type Displayable = Cents | Rate | string | number | boolean | null | undefined;

function isRate(x: unknown): x is Rate {
  return typeof x === 'object' && x !== null && 'num' in x && 'den' in x;
}

/** Text of a value for an explanation. Numbers are assumed to be cents unless `kind` says otherwise. */
export function show(v: unknown, kind: 'money' | 'dollars' | 'count' | 'text' = 'money'): string {
  if (v === null || v === undefined) return 'unknown';
  if (isRate(v)) return formatRate(v);
  if (typeof v === 'number') {
    if (kind === 'count' || kind === 'text') return String(v);
    if (kind === 'dollars') return formatDollars(v as Cents);
    return formatCents(v as Cents);
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

/**
 * Builder for one rule's explanation. Collects parameters, inputs and children as the
 * rule reads them, then closes with a value.
 */
export class Explainer {
  private readonly params: ParamUse[] = [];
  private readonly inputs: InputUse[] = [];
  private readonly children: Explanation[] = [];
  private readonly notes: string[] = [];
  private readonly flags: ReviewFlag[] = [];
  private formulaText: string | undefined;

  constructor(
    readonly rule: string,
    readonly label: string,
    readonly citation: Citation[],
  ) {}

  param(use: ParamUse): this {
    if (!this.params.some((p) => p.id === use.id && p.effectiveFrom === use.effectiveFrom)) this.params.push(use);
    return this;
  }

  input(name: string, value: unknown, source?: string, kind?: 'money' | 'dollars' | 'count' | 'text'): this {
    this.inputs.push(source === undefined ? { name, value: show(value, kind) } : { name, value: show(value, kind), source });
    return this;
  }

  /** Adds a child explanation (from a Val or an Explanation). Returns the Val for chaining. */
  child<T extends Val<unknown>>(v: T): T;
  child(e: Explanation): Explanation;
  child(x: Val<unknown> | Explanation): Val<unknown> | Explanation {
    const e = 'why' in x ? x.why : x;
    this.children.push(e);
    return x;
  }

  note(text: string): this {
    this.notes.push(text);
    return this;
  }

  flag(f: ReviewFlag): this {
    if (!this.flags.some((g) => g.option === f.option)) this.flags.push(f);
    return this;
  }

  formula(text: string): this {
    this.formulaText = text;
    return this;
  }

  build(valueText: string): Explanation {
    const e: Explanation = {
      rule: this.rule,
      label: this.label,
      value: valueText,
      citation: this.citation,
      params: [...this.params],
      inputs: [...this.inputs],
      children: [...this.children],
      notes: [...this.notes],
      flags: [...this.flags],
    };
    if (this.formulaText !== undefined) e.formula = this.formulaText;
    return e;
  }

  known<T>(value: T, display?: string): Known<T> {
    return { kind: 'known', value, why: this.build(display ?? show(value)) };
  }

  unknown(missing: string[]): Unknown {
    return { kind: 'unknown', missing: [...new Set(missing)], why: this.build(`unknown (missing: ${[...new Set(missing)].join(', ')})`) };
  }

  na(reason: string): NotApplicable {
    return { kind: 'na', reason, why: this.build(`not applicable: ${reason}`) };
  }
}

export function explainer(rule: string, label: string, citation: Citation[]): Explainer {
  return new Explainer(rule, label, citation);
}

export function isKnown<T>(v: Val<T>): v is Known<T> {
  return v.kind === 'known';
}

/** Missing inputs gathered from several values (unknowns only). */
export function missingOf(...vs: Val<unknown>[]): string[] {
  return vs.flatMap((v) => (v.kind === 'unknown' ? v.missing : []));
}

/** Review flags anywhere in a tree, deduplicated by option id. */
export function collectFlags(e: Explanation, out: Map<string, ReviewFlag> = new Map()): ReviewFlag[] {
  for (const f of e.flags) if (!out.has(f.option)) out.set(f.option, f);
  for (const c of e.children) collectFlags(c, out);
  return [...out.values()];
}

/** A leaf explanation for a fact supplied by the user (an input, not a rule). */
export function given(name: string, value: unknown, source: string, kind?: 'money' | 'dollars' | 'count' | 'text'): Explanation {
  return {
    rule: 'input',
    label: name,
    value: show(value, kind),
    citation: [],
    params: [],
    inputs: [{ name, value: show(value, kind), source }],
    children: [],
    notes: [],
    flags: [],
  };
}

/** Finds the first node of a tree whose rule id matches. */
export function findRule(e: Explanation, rule: string): Explanation | undefined {
  if (e.rule === rule) return e;
  for (const c of e.children) {
    const f = findRule(c, rule);
    if (f) return f;
  }
  return undefined;
}
