/**
 * Printed revisions of a form whose line numbers differ from the engine's. The engine computes
 * every year in the current numbering (law/forms/f6765/2024-12.yaml); a printed revision (for
 * example Form 6765 with lines 1–44, tax years beginning before 2024) is a form map with two
 * extra keys: `prints` (the engine's form id) and, on each line, `current` (the engine's line id
 * whose amount the printed line shows). The law loader validates these files as form maps and
 * ignores the two keys; this module reads them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { defaultLawDir } from '../law/loader.js';
import { FormLineSchema, FormMapSchema } from '../law/schema.js';

export const PrintRevisionSchema = FormMapSchema.extend({
  prints: z.string(),
  lines: z.record(z.string(), FormLineSchema.extend({ current: z.string() })),
});
export type PrintRevision = z.infer<typeof PrintRevisionSchema>;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const cache = new Map<string, PrintRevision[]>();

/** Every printed revision under `<lawDir>/forms` (files with a `prints` key). Throws on an invalid one. */
export function loadPrintRevisions(lawDir: string = defaultLawDir()): PrintRevision[] {
  const hit = cache.get(lawDir);
  if (hit) return hit;
  const out: PrintRevision[] = [];
  for (const file of yamlFiles(join(lawDir, 'forms'))) {
    const doc = parse(readFileSync(file, 'utf8')) as unknown;
    if (!doc || typeof doc !== 'object' || !('prints' in doc)) continue;
    const r = PrintRevisionSchema.safeParse(doc);
    if (!r.success) throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    out.push(r.data);
  }
  cache.set(lawDir, out);
  return out;
}

/** The printed revision of an engine form that applies to a period (by the date it begins), if any. */
export function printRevisionFor(revisions: readonly PrintRevision[], formId: string, period: { start: string }): PrintRevision | undefined {
  return revisions.find((r) => r.prints === formId && r.applies.from <= period.start && (r.applies.to === undefined || period.start < r.applies.to));
}
