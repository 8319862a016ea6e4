import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLaw } from '../law/index.js';
import { computeStudy } from '../study/compute/index.js';
import { renderSummary } from '../study/compute/output.js';
import { openStore } from '../store/index.js';
import { loadStudyOrReport } from './compute.js';

export async function runDemo(opts: { db?: string; example: string }): Promise<number> {
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
