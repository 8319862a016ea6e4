import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLaw } from '../law/index.js';
import { computeStudy } from '../study/compute/index.js';
import { renderSummary } from '../study/compute/output.js';
import { openStore } from '../store/index.js';
import { loadStudyOrReport } from './compute.js';

const EXAMPLES = ['gem-state-fabrication', 'sawtooth-ml'];

export async function runDemo(opts: { db?: string; example: string }): Promise<number> {
  const names = opts.example === 'all' ? EXAMPLES : [opts.example];
  for (const [i, name] of names.entries()) {
    if (i) console.log(`\n${'─'.repeat(72)}\n`);
    const code = await runOne(name, opts.db);
    if (code) return code;
  }
  return 0;
}

async function runOne(example: string, db: string | undefined): Promise<number> {
  const opts = { example, db };
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', opts.example);
  const study = loadStudyOrReport(dir);
  if (!study) return 2;
  const dataDir = opts.db ?? mkdtempSync(join(tmpdir(), 'rdcredit-demo-'));
  console.error(`Loading ${opts.example} into the embedded database at ${dataDir} …`);
  const store = await openStore({ dataDir });
  try {
    await store.migrate();
    await store.saveStudy(study);
    const loaded = await store.loadStudy(study.id);
    console.log(renderSummary(computeStudy(loadLaw(), loaded)));
  } finally {
    await store.close();
    if (!opts.db) rmSync(dataDir, { recursive: true, force: true });
  }
  return 0;
}
