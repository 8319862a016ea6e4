/**
 * "Raw inputs retained in the ledger" (data/qualification/readiness.yaml, raw_inputs): a content
 * hash in evidence.csv is only a claim. The check passes only when the bytes are kept — in the
 * evidence ledger, or as the file the item's uri names in the study folder, hashing to exactly the
 * recorded value. These tests run on a copy of examples/gem-state-fabrication.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLaw } from '../../src/law/index.js';
import { evidenceFiles, evidencePath, retainedEvidence } from '../../src/study/evidence-files.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import type { Study } from '../../src/study/model.js';
import { loadQualificationData, qualifyStudy, type QualificationReport } from '../../src/study/qualify/index.js';

const law = loadLaw();
const data = loadQualificationData();
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'gem-state-fabrication');
let dir = '';
let study: Study;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdcredit-raw-inputs-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  const r = readStudyFolder(dir);
  if (!r.study) throw new Error(JSON.stringify(r.diagnostics));
  study = r.study;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rawInputs = (report: QualificationReport, component: string) => report.components.find((c) => c.componentId === component)!.readiness.checks.find((k) => k.id === 'raw_inputs')!;
const item = (id: string) => study.evidence!.find((e) => e.id === id)!;
const qualifyFromFolder = (ledger?: Set<string>) => {
  const r = retainedEvidence(dir, study, ledger);
  return { ...r, report: qualifyStudy(study, { law, data, retained: r.retained, evidenceProblems: r.problems }) };
};

describe('retainedEvidence', () => {
  it('a good file is retained; the check passes for components whose every item is kept', () => {
    const { retained, problems, report } = qualifyFromFolder();
    expect(problems).toEqual([]);
    expect(retained.size).toBe(study.evidence!.length);
    for (const e of study.evidence!) expect(retained.has(e.sha256!), e.id).toBe(true);
    const k = rawInputs(report, 'A');
    expect(k.status, k.message).toBe('pass');
    expect(k.message).toMatch(/kept byte for byte/);
  });

  it('without the retained set (no study folder) the check is warn "capture not verified", never pass, and keeps its citation', () => {
    const report = qualifyStudy(study, { law, data });
    for (const c of report.components) {
      const k = rawInputs(report, c.componentId);
      expect(k.status, `${c.componentId}: ${k.message}`).not.toBe('pass');
      if (k.status === 'warn') expect(k.message).toContain('capture not verified (run from a study folder)');
      expect(k.citation.map((x) => x.title).join(' ')).toContain('Kyocera');
    }
    expect(rawInputs(report, 'A').status).toBe('warn');
  });

  it('a hashed item whose file is missing is not retained: warn (one of several), fail (all of them) — unless the ledger holds its bytes', () => {
    const gone = item('doc:TC-DN-01');
    const bytes = readFileSync(join(dir, gone.uri!));
    rmSync(join(dir, gone.uri!));
    try {
      const { retained, problems, report } = qualifyFromFolder();
      expect(problems).toEqual([]); // a missing file is not a changed file
      expect(retained.has(gone.sha256!)).toBe(false);
      const k = rawInputs(report, 'A');
      expect(k.status, k.message).toBe('warn');
      expect(k.message).toContain('doc:TC-DN-01');
      expect(k.message).toMatch(/neither in the ledger nor in the study folder/);
      // the ledger holding the bytes is enough
      const withLedger = qualifyFromFolder(new Set([gone.sha256!]));
      expect(withLedger.retained.has(gone.sha256!)).toBe(true);
      expect(rawInputs(withLedger.report, 'A').status).toBe('pass');
      // every item of a component gone: nothing is kept → fail
      const aItems = report.components.find((c) => c.componentId === 'A')!.evidence.map((e) => e.id);
      expect(aItems.length).toBeGreaterThan(1);
      const none = qualifyStudy(study, { law, data, retained: new Set() });
      const f = rawInputs(none, 'A');
      expect(f.status, f.message).toBe('fail');
      for (const id of aItems) expect(f.message).toContain(id);
    } finally {
      writeFileSync(join(dir, gone.uri!), bytes);
    }
  });

  it('a changed file fails the check with the item named, and is never retained (even if its new bytes are someone else\'s hash)', () => {
    const e = item('doc:TC-DM-02');
    const p = join(dir, e.uri!);
    const bytes = readFileSync(p);
    const changed = Uint8Array.from(bytes);
    changed[0] = changed[0]! ^ 1;
    writeFileSync(p, changed);
    try {
      const { retained, problems, report } = qualifyFromFolder();
      expect(problems.map((x) => x.id)).toEqual(['doc:TC-DM-02']);
      expect(problems[0]!.message).toContain(e.uri!);
      expect(retained.has(e.sha256!)).toBe(false);
      const k = rawInputs(report, 'A');
      expect(k.status).toBe('fail');
      expect(k.message).toContain('doc:TC-DM-02');
      expect(k.message).toMatch(/do not match their recorded content hash/);
      // a changed working copy still fails even when the ledger has the original bytes: the folder contradicts evidence.csv
      const withLedger = qualifyFromFolder(new Set([e.sha256!]));
      expect(rawInputs(withLedger.report, 'A').status).toBe('fail');
      // components that do not use the item are not blamed
      const d = rawInputs(report, 'D');
      expect(d.message).not.toContain('doc:TC-DM-02');
    } finally {
      writeFileSync(p, bytes);
    }
  });

  it('the readiness score of a component falls when its bytes are not verified', () => {
    const good = qualifyFromFolder().report.components.find((c) => c.componentId === 'A')!.readiness.score;
    const unverified = qualifyStudy(study, { law, data }).components.find((c) => c.componentId === 'A')!.readiness.score;
    expect(unverified).toBeLessThan(good);
  });
});

describe('evidencePath and evidenceFiles', () => {
  it('takes only relative paths inside the study folder', () => {
    expect(evidencePath('/s', 'evidence/a.md')).toBe('evidence/a.md');
    expect(evidencePath('/s', 'evidence\\sub\\a.md')).toBe('evidence/sub/a.md');
    for (const bad of ['https://example.com/a', 'file:///etc/passwd', '/etc/passwd', '../outside.md', 'evidence/../../x', '', undefined]) expect(evidencePath('/s', bad), String(bad)).toBeUndefined();
  });

  it('an item whose uri climbs out of the folder is not retained through that file', () => {
    const outside = join(dir, '..', `outside-${process.pid}.md`);
    writeFileSync(outside, 'kept elsewhere');
    try {
      const s: Pick<Study, 'evidence'> = {
        evidence: [{ id: 'X', kind: 'design_doc', title: 'x', componentIds: [], employeeIds: [], uri: `../outside-${process.pid}.md`, sha256: 'f'.repeat(64) }],
      };
      expect(retainedEvidence(dir, s).retained.size).toBe(0);
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('gives each matching file once, with its bytes, in path order', () => {
    const { files, problems } = evidenceFiles(dir, study);
    expect(problems).toEqual([]);
    expect(files.map((f) => f.path)).toEqual(study.evidence!.map((e) => e.uri!).sort());
    for (const f of files) expect(Buffer.from(f.bytes).equals(readFileSync(join(dir, f.path)))).toBe(true);
  });
});
