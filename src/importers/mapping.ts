/**
 * Mapping rules as data: how projects/issues/tags map to business components and activities,
 * cloud accounts/tags to components and research/production use, ledger accounts to supplies or
 * contract research, and evidence to components. The first matching rule wins. Patterns are
 * globs ("Vision*") or /regular expressions/, case-insensitive.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { pattern } from './parse.js';

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

const reCache = new Map<string, RegExp>();
export function test(p: string | undefined, value: string | undefined): boolean {
  if (p === undefined) return true;
  let re = reCache.get(p);
  if (!re) {
    re = pattern(p);
    reCache.set(p, re);
  }
  return re.test(value ?? '');
}

/** Tags written as "a, b, c" match a pattern if any single tag does (or the whole cell does). */
export function testTags(p: string | undefined, tags: string): boolean {
  if (p === undefined) return true;
  if (test(p, tags)) return true;
  return tags.split(',').some((t) => test(p, t.trim()));
}

export function matchTime(rules: TimeRuleT[], v: { project: string; task: string; tags: string; client: string }): TimeRuleT | undefined {
  return rules.find(
    (r) =>
      test(r.match.project, v.project) &&
      test(r.match.task, v.task) &&
      testTags(r.match.tags, v.tags) &&
      test(r.match.client, v.client),
  );
}

/** Normalised tag key: trimmed, lower-case, "user_"/"user:" prefix removed, non-alphanumerics → "_". */
export function normTagKey(k: string): string {
  return k
    .trim()
    .toLowerCase()
    .replace(/^user[_:]/, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function matchCloud(rules: CloudRuleT[], v: { account: string; service: string; resource: string; tags: Record<string, string> }): CloudRuleT | undefined {
  return rules.find((r) => {
    if (!test(r.match.account, v.account) || !test(r.match.service, v.service) || !test(r.match.resource, v.resource)) return false;
    for (const [k, p] of Object.entries(r.match.tag ?? {})) {
      const val = v.tags[normTagKey(k)];
      if (val === undefined || !test(p, val)) return false;
    }
    return true;
  });
}

export function matchLedger(rules: LedgerRuleT[], v: { account: string; vendor: string; memo: string; class: string }): LedgerRuleT | undefined {
  return rules.find((r) => test(r.match.account, v.account) && test(r.match.vendor, v.vendor) && test(r.match.memo, v.memo) && test(r.match.class, v.class));
}
