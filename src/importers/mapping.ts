/**
 * Mapping rules as data: how projects/issues/tags map to business components and activities,
 * cloud accounts/tags to components and research/production use, ledger accounts to supplies or
 * contract research, and evidence to components. The first matching rule wins. Patterns are
 * globs ("Vision*") or /regular expressions/, case-insensitive. `people` maps the names, e-mails or
 * account ids that time files use to employee ids (exact, case-insensitive: ./people.ts).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { normalisePeople } from './people.js';

const Pat = z.string();
const Activity = z.enum(['direct_research', 'direct_supervision', 'direct_support', 'non_qualified']);

const TimeRule = z.object({
  match: z.object({ project: Pat.optional(), task: Pat.optional(), tags: Pat.optional(), client: Pat.optional() }).default({}),
  component: z.string().optional(),
  activity: Activity,
  experimentation: z.boolean().optional(),
});
const CloudRule = z.object({
  match: z
    .object({ account: Pat.optional(), service: Pat.optional(), resource: Pat.optional(), tag: z.record(z.string(), Pat).optional() })
    .default({}),
  component: z.string().optional(),
  use: z.enum(['research', 'production', 'mixed']),
  researchShare: z.string().optional(),
});
const LedgerRule = z.object({
  match: z.object({ account: Pat.optional(), vendor: Pat.optional(), memo: Pat.optional(), class: Pat.optional() }).default({}),
  as: z.enum(['supply', 'contract', 'ignore']),
  kind: z.enum(['supply', 'extraordinary_utility', 'utility', 'depreciable_property', 'land_or_improvement', 'general_administrative']).optional(),
  payeeType: z.enum(['general', 'qualified_research_consortium', 'eligible_small_business', 'university', 'federal_laboratory']).optional(),
  component: z.string().optional(),
});
const ContractorRule = z.object({
  match: z.object({ payee: Pat.optional(), memo: Pat.optional() }).default({}),
  component: z.string().optional(),
  payeeType: z.enum(['general', 'qualified_research_consortium', 'eligible_small_business', 'university', 'federal_laboratory']).optional(),
  exclude: z.boolean().optional(),
});
const EvidenceRule = z.object({
  match: z.object({ experiment: Pat.optional(), tag: z.record(z.string(), Pat).optional(), message: Pat.optional(), author: Pat.optional() }).default({}),
  component: z.string(),
});

export const ComponentMapSchema = z.object({
  time: z.array(TimeRule).default([]),
  cloud: z.array(CloudRule).default([]),
  ledger: z.array(LedgerRule).default([]),
  contractors: z.array(ContractorRule).default([]),
  evidence: z.array(EvidenceRule).default([]),
  /**
   * Names, e-mails or account ids as time files write them → employee ids (./people.ts). Keys are
   * compared trimmed and case-insensitively. Quote an id that YAML would read as a number ("007").
   */
  people: z
    .record(z.string(), z.union([z.string(), z.number()]).transform(String))
    .default({})
    .superRefine((m, ctx) => {
      try {
        normalisePeople(m);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
});
export type ComponentMap = z.infer<typeof ComponentMapSchema>;
export type ComponentMapInput = z.input<typeof ComponentMapSchema>;
export type TimeRuleT = z.infer<typeof TimeRule>;
export type CloudRuleT = z.infer<typeof CloudRule>;
export type LedgerRuleT = z.infer<typeof LedgerRule>;
export type ContractorRuleT = z.infer<typeof ContractorRule>;

/** Reads a component map from an object or a YAML file path. Throws with the zod message when invalid (a programmer/config error). */
export function loadComponentMap(input: ComponentMapInput | string | undefined): ComponentMap {
  const raw = typeof input === 'string' ? parseYaml(readFileSync(input, 'utf8')) : (input ?? {});
  const r = ComponentMapSchema.safeParse(raw ?? {});
  if (!r.success) throw new Error(`invalid component map${typeof input === 'string' ? ` ${input}` : ''}: ${r.error.message}`);
  return r.data;
}

export { test, testTags, matchTime, normTagKey, matchCloud, matchLedger } from './match.js';
