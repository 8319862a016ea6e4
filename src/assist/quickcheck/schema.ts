/**
 * Schemas of the quick check's data (data/quickcheck/*.yaml) and of a company's answers.
 * Money in answers is whole dollars or a decimal string; shares are decimal strings or "25%".
 * Both are parsed exactly (parseMoney, rate) — never through a float.
 */
import { z } from 'zod';
import { parseMoney, rate, cmpRate, RATE_ONE, RATE_ZERO, type Cents, type Rate } from '../../money/index.js';

const shareText = z
  .union([z.string(), z.number()])
  .transform((v, ctx): Rate => {
    try {
      const r = rate(typeof v === 'number' ? (Number.isInteger(v) ? v : String(v)) : v);
      if (cmpRate(r, RATE_ZERO) < 0 || cmpRate(r, RATE_ONE) > 0) throw new Error('outside 0–1');
      return r;
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `not a share between 0 and 1: ${String(v)} (${(e as Error).message})` });
      return z.NEVER;
    }
  });

const moneyText = z.union([z.string(), z.number()]).transform((v, ctx): Cents => {
  try {
    const c = parseMoney(String(v));
    if (c < 0) throw new Error('negative');
    return c;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not an amount of dollars: ${String(v)} (${(e as Error).message})` });
    return z.NEVER;
  }
});

const yearNum = z.number().int().min(1900).max(2100);

const range = z.object({ low: shareText, high: shareText }).refine((r) => cmpRate(r.low, r.high) <= 0, 'low must not exceed high');

export const ProfileSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  industry: z.string(),
  label: z.string(),
  description: z.string(),
  qualifyingActivities: z.array(z.string()),
  expenseMix: z.object({ wages: shareText, cloud: shareText, contractors: shareText, supplies: shareText }),
  qualifyingShare: z.object({ wages: range, cloud: range, contractors: range, supplies: range }),
  primaryExclusion: z.object({ id: z.string(), text: z.string(), citation: z.string() }),
  source: z.string().min(3),
});
export type Profile = z.infer<typeof ProfileSchema>;
export const ProfilesFileSchema = z.object({ profiles: z.array(ProfileSchema).min(1) }).refine((f) => new Set(f.profiles.map((p) => p.id)).size === f.profiles.length, 'profile ids must be unique');

export const QuestionSchema = z.object({
  id: z.string(),
  type: z.enum(['year', 'integer', 'money', 'share', 'choice', 'multi', 'states', 'money_by_year', 'state_details']),
  prompt: z.string(),
  help: z.string().optional(),
  optional: z.boolean().optional(),
  choices: z.record(z.string(), z.string()).optional(),
  choicesFrom: z.literal('profiles').optional(),
});
export type Question = z.infer<typeof QuestionSchema>;
export const QuestionnaireSchema = z.object({ questions: z.array(QuestionSchema).min(1) });

export const RecordAdviceSchema = z.object({
  id: z.string(),
  when: z.object({
    trackingMissing: z.array(z.string()).optional(),
    contractorSpend: z.boolean().optional(),
    cloudSpend: z.boolean().optional(),
    statesAny: z.boolean().optional(),
    always: z.boolean().optional(),
  }),
  text: z.string(),
  why: z.string(),
});
export type RecordAdvice = z.infer<typeof RecordAdviceSchema>;
export const RecordsFileSchema = z.object({ records: z.array(RecordAdviceSchema) });

const UNCERTAINTY = ['capability', 'method', 'design', 'market', 'budget_schedule', 'none'] as const;
const EXPERIMENTATION = ['benchmarks_ablations', 'prototypes', 'simulation', 'technical_ab_tests', 'trial_and_error', 'none'] as const;
const TRACKING = ['time_entries', 'tickets', 'git', 'experiment_tracker', 'design_docs', 'lab_notebooks', 'none'] as const;
export const TECHNICAL_UNCERTAINTY = ['capability', 'method', 'design'] as const;

const moneyByYear = z.record(z.string().regex(/^[0-9]{4}$/), moneyText);

export const StateDetailSchema = z.object({
  /** Share of in-house research (wages, cloud, supplies) done in the state. */
  inHouseShare: shareText.optional(),
  /** Share of contract research performed in the state. */
  contractShare: shareText.optional(),
  /** The state fixed-base percentage, where the state uses one. */
  fixedBasePercentage: shareText.optional(),
  /** Average annual state-sourced gross receipts of the base years. */
  averageGrossReceipts: moneyText.optional(),
});

export const AnswersSchema = z
  .object({
    taxYear: yearNum,
    entityType: z.enum(['c_corporation', 's_corporation', 'partnership', 'sole_proprietorship', 'tax_exempt']),
    industry: z.enum(['ai_ml', 'software', 'manufacturing', 'life_sciences', 'hardware', 'other']),
    subSector: z.string(),
    headcount: z.number().int().min(0),
    engineeringHeadcount: z.number().int().min(0),
    technicalPayroll: moneyText,
    uncertainty: z.array(z.enum(UNCERTAINTY)).min(1),
    experimentation: z.array(z.enum(EXPERIMENTATION)).min(1),
    tracking: z.array(z.enum(TRACKING)).min(1),
    cloudSpend: moneyText,
    contractorSpend: moneyText,
    suppliesSpend: moneyText,
    foreignShare: shareText,
    funded: z.enum(['none', 'some', 'most']),
    researchSince: yearNum,
    firstReceiptsYear: yearNum.nullable().optional(),
    grossReceipts: moneyByYear,
    priorQre: moneyByYear.optional(),
    federalFixedBasePercentage: shareText.optional(),
    priorPayrollElections: z.number().int().min(0).optional(),
    states: z.array(z.string().regex(/^[A-Z]{2}$/)),
    stateDetails: z.record(z.string().regex(/^[A-Z]{2}$/), StateDetailSchema).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.engineeringHeadcount > a.headcount) ctx.addIssue({ code: 'custom', path: ['engineeringHeadcount'], message: 'more technical people than employees' });
    if (a.researchSince > a.taxYear) ctx.addIssue({ code: 'custom', path: ['researchSince'], message: 'research cannot start after the tax year' });
    if (a.firstReceiptsYear != null && a.firstReceiptsYear > a.taxYear) ctx.addIssue({ code: 'custom', path: ['firstReceiptsYear'], message: 'after the tax year' });
    for (const s of Object.keys(a.stateDetails ?? {})) if (!a.states.includes(s)) ctx.addIssue({ code: 'custom', path: ['stateDetails', s], message: `${s} is not in states` });
  });

/** Answers as written in a YAML file or typed in (before parsing). */
export type AnswersInput = z.input<typeof AnswersSchema>;
/** Answers parsed: money as Cents, shares as Rate. */
export type Answers = z.output<typeof AnswersSchema>;

/** Parses answers; returns the problems by field instead of throwing. */
export function parseAnswers(doc: unknown): { answers?: Answers; problems: string[] } {
  const r = AnswersSchema.safeParse(doc);
  if (r.success) return { answers: r.data, problems: [] };
  return { problems: r.error.issues.map((i) => `${i.path.join('.') || '(answers)'}: ${i.message}`) };
}
