/**
 * Reads the qualification data files: the interview definition and the readiness checks
 * (data/qualification/*.yaml). The only file I/O of the qualification module.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Citation } from '../../explain/types.js';
import { parseInterviewDefinition, type InterviewDefinition } from '../../rules/qualification/index.js';

export function defaultQualificationDir(): string {
  // src/study/qualify/definitions.ts → <repo>/data/qualification
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'qualification');
}

export interface ReadinessCheckDef {
  id: string;
  scope: 'component' | 'study';
  title: string;
  weight: number;
  description: string;
  params?: Record<string, string>;
  citations: Citation[];
}

const CitationSchema = z.object({ title: z.string().min(3), href: z.string().optional(), pinpoint: z.string().optional() }).strict();
const ReadinessSchema = z
  .object({
    version: z.number().int().positive(),
    checks: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9_]*$/),
            scope: z.enum(['component', 'study']),
            title: z.string().min(5),
            weight: z.number().int().min(1),
            description: z.string().min(10),
            params: z.record(z.string(), z.string()).optional(),
            citations: z.array(CitationSchema).min(1, 'every check cites its source'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export class QualificationDataError extends Error {
  override name = 'QualificationDataError';
}

/** Parses the readiness checks file; throws with every problem listed. */
export function parseReadinessChecks(doc: unknown): ReadinessCheckDef[] {
  const r = ReadinessSchema.safeParse(doc);
  if (!r.success) throw new QualificationDataError(`readiness checks are invalid:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const seen = new Set<string>();
  for (const c of r.data.checks) {
    if (seen.has(c.id)) throw new QualificationDataError(`readiness check ${c.id} is defined twice`);
    seen.add(c.id);
  }
  return r.data.checks.map((c) => {
    const out: ReadinessCheckDef = { id: c.id, scope: c.scope, title: c.title, weight: c.weight, description: c.description, citations: c.citations };
    if (c.params) out.params = c.params;
    return out;
  });
}

export interface QualificationData {
  interview: InterviewDefinition;
  readiness: ReadinessCheckDef[];
}

const cache = new Map<string, QualificationData>();

/** Loads and validates both files (cached per directory). Throws on invalid data: that is a defect in the repository, not in a study. */
export function loadQualificationData(dir: string = defaultQualificationDir()): QualificationData {
  const hit = cache.get(dir);
  if (hit) return hit;
  const { definition, problems } = parseInterviewDefinition(parse(readFileSync(join(dir, 'interview.yaml'), 'utf8')));
  if (!definition) throw new QualificationDataError(`interview definition is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const readiness = parseReadinessChecks(parse(readFileSync(join(dir, 'readiness.yaml'), 'utf8')));
  const data = { interview: definition, readiness };
  cache.set(dir, data);
  return data;
}
