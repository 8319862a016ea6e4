/**
 * Import direction (ARCHITECTURE.md; ADR 0005). Each top-level module under src/ may import
 * only the modules listed for it; the pure core (money, periods, explain, law, rules) may not
 * touch the file system, network or processes (the law loader is the one reader of law files).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..', 'src');

const CORE = ['money', 'periods', 'explain', 'law'];
export const ALLOWED: Record<string, string[]> = {
  money: [],
  periods: [],
  explain: ['money'],
  law: ['money', 'periods', 'explain'],
  rules: [...CORE],
  evidence: [...CORE],
  study: [...CORE, 'rules', 'evidence'],
  forms: [...CORE, 'rules', 'study', 'evidence'],
  importers: [...CORE, 'rules', 'study', 'evidence'],
  store: [...CORE, 'rules', 'study', 'evidence'],
  assist: [...CORE, 'rules', 'study', 'evidence'],
  reports: [...CORE, 'rules', 'study', 'evidence', 'forms'],
  server: [...CORE, 'rules', 'study', 'evidence', 'forms', 'importers', 'store', 'reports', 'assist'],
  cli: [...CORE, 'rules', 'study', 'evidence', 'forms', 'importers', 'store', 'reports', 'assist', 'server'],
};
const PURE = new Set(['money', 'periods', 'explain', 'law', 'rules']);
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|dgram|tls|cluster)$/;
const IO_EXEMPT = new Set([`law${sep}loader.ts`]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
  });
}

function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

export function violations(srcDir: string): string[] {
  const out: string[] = [];
  for (const f of files(srcDir)) {
    const rel = relative(srcDir, f);
    const mod = rel.split(sep)[0]!;
    const allowed = ALLOWED[mod];
    if (!allowed) {
      out.push(`${rel}: module "${mod}" has no entry in the layer map`);
      continue;
    }
    for (const spec of importsOf(readFileSync(f, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = relative(srcDir, resolve(dirname(f), spec));
        if (target.startsWith('..')) {
          out.push(`${rel}: imports outside src (${spec})`);
          continue;
        }
        const tmod = target.split(sep)[0]!;
        if (tmod !== mod && !allowed.includes(tmod)) out.push(`${rel}: ${mod} may not import ${tmod} (${spec})`);
      } else if (PURE.has(mod) && IO_MODULES.test(spec) && !IO_EXEMPT.has(rel)) {
        out.push(`${rel}: the pure core may not import ${spec}`);
      }
    }
  }
  return out;
}

describe('architecture', () => {
  it('imports only point inward', () => {
    expect(violations(SRC)).toEqual([]);
  });

  it('the check catches an inner layer importing an outer one', () => {
    const probe = importsOf(`import { x } from '../store/db.js';\nimport y from "node:fs";`);
    expect(probe).toEqual(['../store/db.js', 'node:fs']);
  });
});
