/**
 * The schema of law parameter files (ADR 0003). Every parameter and every option
 * must carry at least one reference; values are dated, half-open segments keyed on a
 * named event; the loader refuses gaps and overlaps.
 */
import { z } from 'zod';

const isoDateRe = /^\d{4}-\d{2}-\d{2}$/;
const IsoDateStr = z.union([z.string().regex(isoDateRe), z.date()]).transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d));

export const CitationSchema = z.object({
  title: z.string().min(3),
  href: z.string().url().optional(),
  pinpoint: z.string().optional(),
});

export const KeyedOn = z.enum([
  'tax_year_beginning', // tax years beginning on or after the date
  'tax_year_ending', // tax years ending on or after the date
  'amount_paid_or_incurred', // amounts paid or incurred on or after the date
  'calendar_quarter', // payroll quarters beginning on or after the date
  'return_filed', // returns filed on or after the date
]);
export type KeyedOn = z.infer<typeof KeyedOn>;

export const Unit = z.enum(['rate', 'money', 'count', 'boolean', 'date', 'text', 'rate_table', 'money_table', 'list']);
export type Unit = z.infer<typeof Unit>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.date()]);
const Value = z.union([Scalar, z.record(z.string(), Scalar), z.array(Scalar)]);

export const Segment = z.object({
  from: IsoDateStr,
  /** Exclusive end; only needed where the law stops applying with no successor. */
  to: IsoDateStr.optional(),
  value: Value,
  note: z.string().optional(),
});

export const Status = z.enum(['P', 'S', 'U']);

export const ParameterSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'ids are dotted lower-case paths'),
  label: z.string().min(3),
  description: z.string().optional(),
  unit: Unit,
  keyed_on: KeyedOn,
  /** P = primary text seen, S = secondary source only, U = unverified (spec tags). */
  status: Status,
  reference: z.array(CitationSchema).min(1, 'every parameter needs a citation'),
  values: z.array(Segment).min(1),
  /** Where the parameter must have a value; defaults to the supported range of the engine. */
  coverage: z.object({ from: IsoDateStr, to: IsoDateStr }).optional(),
});
export type ParameterDef = z.infer<typeof ParameterSchema>;

export const OptionSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/),
  label: z.string().min(3),
  question: z.string().min(3),
  choices: z.record(z.string(), z.string()).refine((c) => Object.keys(c).length >= 2, 'an option needs at least two choices'),
  default: z.string(),
  /** Shown in every output that used the option. */
  review: z.string().min(3),
  reference: z.array(CitationSchema).min(1, 'every option needs a citation'),
});
export type OptionDef = z.infer<typeof OptionSchema>;

export const LawFileSchema = z.object({
  jurisdiction: z.string(),
  title: z.string(),
  parameters: z.array(ParameterSchema).default([]),
  options: z.array(OptionSchema).default([]),
});
export type LawFile = z.infer<typeof LawFileSchema>;

/** The span every parameter must cover: tax years beginning 2018-01-01 through 2026-12-31. */
export const SUPPORTED = { from: '2018-01-01', to: '2027-01-01' } as const;

/** A form's line map for one revision (issue: forms are data, versioned by revision). */
export const FormLineSchema = z.object({
  label: z.string().min(1),
  kind: z.enum(['money', 'rate', 'flag', 'text', 'count']).default('money'),
  section: z.string().optional(),
  /**
   * The line's arithmetic as the form states it, over other lines of the same form, for
   * workpapers with live formulas: "L5 - L8", "max(0, L9)", "min(L9, L10)", "L12 * rate".
   * Lines the engine fills from records or parameters have no calc.
   */
  calc: z.string().optional(),
});
export const FormMapSchema = z.object({
  form: z.string().regex(/^[a-z0-9-]+$/),
  revision: z.string(),
  title: z.string(),
  /** Tax years (beginning) for which this revision is used; half-open. */
  applies: z.object({ from: IsoDateStr, to: IsoDateStr.optional() }),
  reference: z.array(CitationSchema).min(1, 'every form map needs a citation'),
  lines: z.record(z.string(), FormLineSchema),
});
export type FormMap = z.infer<typeof FormMapSchema>;
