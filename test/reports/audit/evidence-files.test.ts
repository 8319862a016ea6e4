/**
 * The audit file carries the study's evidence bytes: every file under the study folder that
 * evidence.csv names (uri) with a matching SHA-256 is stored as evidence/<path>, listed in the
 * MANIFEST with its SHA-256 and tied to its item in ledger/manifest.json; verifyAuditFile catches
 * one changed byte in any of them. Runs on a copy of examples/sawtooth-ml (which has no ledger).
 */
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, MemoryLedgerStorage, sha256Hex } from '../../../src/evidence/ledger.js';
import { loadLaw } from '../../../src/law/index.js';
import { buildAuditFile, LEDGER_MANIFEST, verifyAuditFile, type AuditManifest, type AuditParts, type LedgerManifest } from '../../../src/reports/audit/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import { evidenceFiles } from '../../../src/study/evidence-files.js';
import { readStudyFolder } from '../../../src/study/folder/index.js';
import type { Study } from '../../../src/study/model.js';

let dir = '';
let study: Study;
let parts: AuditParts;
let zip: Uint8Array;

/** Offset of a stored member's data in the zip (walks the local file headers). */
function dataOffset(z: Uint8Array, path: string): number {
  const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
  let o = 0;
  while (dv.getUint32(o, true) === 0x04034b50) {
    const size = dv.getUint32(o + 18, true);
    const nameLen = dv.getUint16(o + 26, true);
    const extra = dv.getUint16(o + 28, true);
    const name = strFromU8(z.subarray(o + 30, o + 30 + nameLen));
    const data = o + 30 + nameLen + extra;
    if (name === path) return data;
    o = data + size;
  }
  throw new Error(`${path} not found`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdcredit-audit-evidence-'));
  cpSync(resolve(__dirname, '..', '..', '..', 'examples', 'sawtooth-ml'), dir, { recursive: true });
  const r = readStudyFolder(dir);
  if (!r.study) throw new Error(JSON.stringify(r.diagnostics));
  study = r.study;
  const files = evidenceFiles(dir, study);
  expect(files.problems).toEqual([]);
  parts = { result: computeStudy(loadLaw(), study), ledger: { entries: [], blob: () => undefined }, evidence: study.evidence!, evidenceFiles: files.files };
  zip = buildAuditFile(parts);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evidence bytes in the audit file (a study folder without a ledger)', () => {
  it('holds every evidence file of the study, byte for byte, listed in the MANIFEST with its SHA-256, and verifies', () => {
    const members = unzipSync(zip);
    const manifest = JSON.parse(strFromU8(members['MANIFEST.json']!)) as AuditManifest;
    const lm = JSON.parse(strFromU8(members[LEDGER_MANIFEST]!)) as LedgerManifest;
    expect(study.evidence!.length).toBe(48);
    for (const e of study.evidence!) {
      const item = lm.evidence.find((x) => x.id === e.id)!;
      expect(item.path, e.id).toBe(e.uri); // evidence/<path inside evidence/>: the study folder's own layout
      const bytes = members[item.path!];
      expect(bytes, `${e.id} in the zip`).toBeDefined();
      expect(sha256Hex(bytes!)).toBe(e.sha256);
      expect(manifest.files.find((f) => f.path === item.path)).toMatchObject({ sha256: e.sha256, size: bytes!.byteLength });
    }
    const v = verifyAuditFile(zip, { expectedRootHash: manifest.rootHash });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.find((c) => c.name.startsWith('evidence files match'))).toMatchObject({ ok: true, name: "evidence files match their items' SHA-256 (48 items)" });
    expect(strFromU8(members['README.txt']!)).toMatch(/evidence\/mlflow\/.* — an evidence item from the study folder, byte for byte/);
  });

  it('one flipped byte in one evidence file inside the zip is caught, with the file named', () => {
    const target = study.evidence!.find((e) => e.kind === 'adr')!.uri!;
    const bad = new Uint8Array(zip);
    const i = dataOffset(bad, target) + 5;
    bad[i] = bad[i]! ^ 0x01;
    const v = verifyAuditFile(bad);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.kind, p.path])).toEqual(
      expect.arrayContaining([
        ['file_changed', target],
        ['evidence_file', target],
      ]),
    );
  });

  it('the same bytes with the manifest hashes rewritten still fail: the item keeps the SHA-256 evidence.csv recorded', () => {
    const members = unzipSync(zip);
    const target = study.evidence!.find((e) => e.kind === 'design_doc')!;
    const changed = new Uint8Array(members[target.uri!]!);
    changed[0] = changed[0]! ^ 0x01;
    // rebuild the audit file with the changed bytes passed off as the item's file
    const forged = buildAuditFile({ ...parts, evidenceFiles: parts.evidenceFiles!.map((f) => (f.path === target.uri ? { ...f, bytes: changed } : f)) });
    const v = verifyAuditFile(forged);
    expect(v.ok).toBe(false);
    expect(v.problems.find((p) => p.kind === 'evidence_file')?.message).toContain(target.id);
  });

  it('bytes the ledger already holds are stored once, under ledger/files/, and the item points there', async () => {
    const ledger = new Ledger(new MemoryLedgerStorage());
    const e = study.evidence![0]!;
    const bytes = unzipSync(zip)[e.uri!]!;
    await ledger.append(bytes, { name: 'run.json', kind: 'training_run', receivedAt: '2026-02-10T17:00:00Z', studyId: study.id });
    const entries = await ledger.entries();
    const z = buildAuditFile({ ...parts, ledger: { entries, blob: (sha) => (sha === e.sha256 ? bytes : undefined) } });
    const members = unzipSync(z);
    const lm = JSON.parse(strFromU8(members[LEDGER_MANIFEST]!)) as LedgerManifest;
    const item = lm.evidence.find((x) => x.id === e.id)!;
    expect(item.path).toMatch(/^ledger\/files\//);
    expect(item.ledgerSeq).toBe(1);
    expect(members[e.uri!]).toBeUndefined();
    expect(verifyAuditFile(z).ok).toBe(true);
  });

  it('paths are kept inside evidence/: no climbing out, no doubled prefix, and two files on one path both survive', () => {
    const a = { sha256: sha256Hex('a'), path: '../../etc/passwd', bytes: strToU8('a') };
    const b = { sha256: sha256Hex('b'), path: 'evidence/x.md', bytes: strToU8('b') };
    const c = { sha256: sha256Hex('c'), path: 'x.md', bytes: strToU8('c') };
    const z = buildAuditFile({ ...parts, evidence: [], evidenceFiles: [a, b, c] });
    const names = Object.keys(unzipSync(z)).filter((n) => n.startsWith('evidence/'));
    expect(names).toHaveLength(3);
    for (const n of names) expect(n).not.toMatch(/\.\.|^evidence\/evidence\//);
    expect(names).toContain('evidence/x.md');
    expect(verifyAuditFile(z).ok).toBe(true);
  });
});
