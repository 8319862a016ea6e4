/**
 * Golden files: every form (JSON and CSV) and the report HTML of the two example studies, compared
 * as text. A difference fails with a diff to review; `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites the files (then review them with `git diff test/golden`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildForms, renderFormCsv, renderFormJson } from '../../src/forms/index.js';
import { loadLaw } from '../../src/law/index.js';
import { renderReportHtml } from '../../src/reports/report/index.js';
import { computeStudy } from '../../src/study/compute/index.js';
import { retainedEvidence } from '../../src/study/evidence-files.js';
import { readStudyFolder } from '../../src/study/folder/index.js';

const root = resolve(__dirname, '..', '..');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(rel: string, actual: string): void {
  const file = resolve(__dirname, rel);
  if (UPDATE || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    if (!UPDATE) throw new Error(`golden file ${rel} did not exist; written now — review it and run again`);
    return;
  }
  expect(actual, `${rel} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

for (const name of ['gem-state-fabrication', 'sawtooth-ml']) {
  describe(`golden: ${name}`, () => {
    const study = readStudyFolder(resolve(root, 'examples', name)).study!;
    // the evidence bytes kept in the example folder (its evidence/ files), as the CLI computes it
    const result = computeStudy(loadLaw(), study, { retainedEvidence: retainedEvidence(resolve(root, 'examples', name), study) });
    const forms = buildForms(result, study);
    for (const f of forms) {
      it(`${f.id}: JSON`, () => golden(`${name}/${f.id}.json`, renderFormJson(f)));
      for (const c of renderFormCsv(f)) it(`${c.name}`, () => golden(`${name}/${c.name}`, c.text));
    }
    it('report HTML', () => golden(`${name}/report.html`, renderReportHtml(result, study)));
  });
}
