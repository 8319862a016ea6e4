/**
 * Reads and validates every law file under a directory. The only file I/O in the
 * inner layers; everything else takes the resulting `Law`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FormMapSchema, LawFileSchema, type FormMap, type OptionDef, type ParameterDef } from './schema.js';
import { checkSegments, LawError, makeLaw, type Law, type LawProblem } from './law.js';

export function defaultLawDir(): string {
  // src/law/loader.ts → <repo>/law
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'law');
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export interface LoadResult {
  params: ParameterDef[];
  options: OptionDef[];
  forms: FormMap[];
  problems: LawProblem[];
  files: string[];
}

/** Reads law files and reports every problem (schema, citation, gap, overlap) without throwing. */
export function readLawDir(dir: string, opts: { only?: (relPath: string) => boolean } = {}): LoadResult {
  const params: ParameterDef[] = [];
  const options: OptionDef[] = [];
  const problems: LawProblem[] = [];
  const forms: FormMap[] = [];
  const files = yamlFiles(dir).filter((f) => !opts.only || opts.only(relative(dir, f)));
  for (const file of files) {
    const rel = relative(dir, file);
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push({ file: rel, message: `YAML: ${(e as Error).message}` });
      continue;
    }
    if (doc && typeof doc === 'object' && 'form' in doc) {
      const f = FormMapSchema.safeParse(doc);
      if (!f.success) for (const issue of f.error.issues) problems.push({ file: rel, message: `${issue.path.join('.')}: ${issue.message}` });
      else forms.push(f.data);
      continue;
    }
    const r = LawFileSchema.safeParse(doc);
    if (!r.success) {
      for (const issue of r.error.issues) problems.push({ file: rel, message: `${issue.path.join('.')}: ${issue.message}` });
      continue;
    }
    for (const p of r.data.parameters) {
      for (const m of checkSegments(p)) problems.push({ file: rel, id: p.id, message: m });
      params.push(p);
    }
    options.push(...r.data.options);
  }
  // Revisions of one form must not overlap in the years they apply to.
  const byForm = new Map<string, FormMap[]>();
  for (const f of forms) byForm.set(f.form, [...(byForm.get(f.form) ?? []), f]);
  for (const [id, list] of byForm) {
    list.sort((a, b) => (a.applies.from < b.applies.from ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      if (prev.applies.to === undefined || prev.applies.to > list[i]!.applies.from)
        problems.push({ file: id, message: `form revisions ${prev.revision} and ${list[i]!.revision} overlap` });
    }
  }
  return { params, options, forms, problems, files };
}

let cached: Law | undefined;

/** Loads the law directory, throwing one error that lists every problem. */
export function loadLaw(dir: string = defaultLawDir()): Law {
  const useCache = dir === defaultLawDir();
  if (useCache && cached) return cached;
  const r = readLawDir(dir);
  if (r.problems.length) {
    throw new LawError(`law files are invalid:\n${r.problems.map((p) => `  ${p.file}${p.id ? ` ${p.id}` : ''}: ${p.message}`).join('\n')}`);
  }
  const law = makeLaw(r.params, r.options, r.forms);
  if (useCache) cached = law;
  return law;
}
