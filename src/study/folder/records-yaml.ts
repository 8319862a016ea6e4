/**
 * The two YAML record files of a study folder: `interviews.yaml` (four-part-test interviews, one
 * entry per component with its answers) and `qualification-log.yaml` (the append-only history of
 * qualification results). Unlike study.yaml they are read with YAML's core schema, because an
 * interview answer is typed (text, number, true/false or a list of texts); the writer quotes any
 * text that would otherwise read as a number or a boolean, so the round trip is exact.
 *
 * Each file is optional: absent = the study has no such field; present (even `[]`) = the list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML, { LineCounter, isNode } from 'yaml';
import { z } from 'zod';
import type { ComponentInterview, QualificationDecision } from '../model.js';
import type { Diagnostic } from './read.js';
import { QUALIFICATIONS } from './tables.js';

export const INTERVIEWS_YAML = 'interviews.yaml';
export const QUALIFICATION_LOG_YAML = 'qualification-log.yaml';

const txt = z.string({ error: 'text' }).min(1, { error: 'non-empty text' });
/** ISO 8601 instant with a zone: 2025-03-01T10:00:00Z or …+02:00. */
const instant = z
  .string({ error: 'an ISO 8601 timestamp such as 2025-03-01T10:00:00Z' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, { error: 'an ISO 8601 timestamp with a zone, such as 2025-03-01T10:00:00Z' });
const qualification = z.enum(QUALIFICATIONS, { error: `one of ${QUALIFICATIONS.join(', ')}` });

const answer = z.strictObject({
  question: txt,
  value: z.union([z.string(), z.number().refine(Number.isFinite), z.boolean(), z.array(z.string())], { error: 'text, a number, true/false or a list of texts' }),
  note: txt.optional(),
  evidenceIds: z.array(txt).optional(),
  answeredBy: txt.optional(),
  answeredAt: instant.optional(),
});

export const InterviewsYaml = z.array(z.strictObject({ componentId: txt, answers: z.array(answer) }));
export const QualificationLogYaml = z.array(
  z.strictObject({ componentId: txt, result: qualification, previous: qualification.optional(), by: txt, at: instant, why: txt }),
);

/** Reads one of the record files; undefined when the file is absent or has errors (then in `diags`). */
export function readRecordsYaml<T>(dir: string, file: string, schema: z.ZodType<T>, diags: Diagnostic[]): { value?: T; rowOf(path: (string | number)[]): number | undefined } {
  const path = join(dir, file);
  const none = { rowOf: () => undefined };
  if (!existsSync(path)) return none;
  const lc = new LineCounter();
  const doc = YAML.parseDocument(readFileSync(path, 'utf8'), { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) diags.push({ file, row: e.linePos?.[0]?.line, severity: 'error', message: `YAML syntax: ${e.message.split('\n')[0]}`, expected: 'valid YAML' });
    return none;
  }
  const rowOf = (p: (string | number)[]): number | undefined => {
    let q = [...p];
    let node: unknown = q.length ? doc.getIn(q, true) : doc.contents;
    while (!isNode(node) && q.length > 0) {
      q = q.slice(0, -1);
      node = q.length ? doc.getIn(q, true) : doc.contents;
    }
    return isNode(node) && node.range ? lc.linePos(node.range[0]).line : undefined;
  };
  const raw = doc.toJS() ?? [];
  const r = schema.safeParse(raw);
  if (r.success) return { value: r.data, rowOf };
  for (const issue of r.error.issues) {
    const p = issue.path as (string | number)[];
    let value: unknown = raw;
    for (const k of p) value = (value as any)?.[k as any];
    const unknownKeys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : undefined;
    diags.push({
      file,
      row: rowOf(p),
      column: p.join('.') || '(document)',
      ...(unknownKeys ? { value: unknownKeys.join(', ') } : value === undefined ? {} : { value: typeof value === 'string' ? value : JSON.stringify(value) }),
      expected: unknownKeys ? 'only the keys documented in docs/study-format.md' : issue.message,
      severity: 'error',
      message: unknownKeys ? `unknown key ${unknownKeys.join(', ')} at ${p.join('.') || 'top level'}` : `${p.join('.') || 'document'}: ${issue.message}`,
    });
  }
  return { rowOf };
}

const HEADERS: Record<string, string> = {
  [INTERVIEWS_YAML]: `# rdcredit four-part-test interviews — see docs/study-format.md.
# One entry per component: componentId, answers [{question, value, note, evidenceIds, answeredBy, answeredAt}].
`,
  [QUALIFICATION_LOG_YAML]: `# rdcredit qualification log (append-only: add entries at the end, never edit or remove one).
# Each entry: componentId, result, previous, by, at (ISO 8601 timestamp), why.
`,
};

function dropUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropUndefined);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, dropUndefined(x)]));
  return v;
}

/** The canonical text of interviews.yaml or qualification-log.yaml. */
export function recordsYamlText(file: typeof INTERVIEWS_YAML | typeof QUALIFICATION_LOG_YAML, value: ComponentInterview[] | QualificationDecision[]): string {
  return HEADERS[file] + YAML.stringify(dropUndefined(value), { lineWidth: 0 });
}
