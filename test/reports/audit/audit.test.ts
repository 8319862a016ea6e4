import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryHash, Ledger, MemoryLedgerStorage, sha256Hex, type LedgerEntry } from '../../../src/evidence/ledger.js';
import { loadLaw } from '../../../src/law/index.js';
import { buildAuditFile, rootHashOf, verifyAuditFile, type AuditManifest, type AuditParts, type LedgerManifest } from '../../../src/reports/audit/index.js';
import { writeWorkpapers } from '../../../src/reports/workpapers/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import { readStudyFolder } from '../../../src/study/folder/index.js';
import type { EvidenceItem } from '../../../src/study/model.js';

const law = loadLaw();
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

function flip(z: Uint8Array, path: string, at = 10): Uint8Array {
  const out = new Uint8Array(z);
  const i = dataOffset(out, path) + at;
  out[i] = out[i]! ^ 0x01;
  return out;
}

/** Rewrites the zip from a list of members (stored, in the given order). */
function rezip(members: [string, Uint8Array][]): Uint8Array {
  const z: Zippable = {};
  for (const [p, b] of members) z[p] = [b, { level: 0 }];
  return zipSync(z);
}

beforeAll(async () => {
  const { study } = readStudyFolder(resolve(__dirname, '..', '..', '..', 'examples', 'sawtooth-ml'));
  const result = computeStudy(law, study!);
  const storage = new MemoryLedgerStorage();
  const ledger = new Ledger(storage);
  const files: [string, string, string][] = [
    ['gusto-w2-2025.csv', 'w2', 'id,name,box1\nSML-1001,Arden Anders,240000.00\n'],
    ['jira-tempo-worklogs-2025.json', 'time', '[{"issue":"SGA-12","hours":4.5}]'],
    ['adr-014-attention.md', 'adr', '# ADR-014 Hybrid sparse-grouped attention\nSix alternatives…\n'],
  ];
  for (const [i, [name, kind, text]] of files.entries()) await ledger.append(strToU8(text), { name, kind, receivedAt: `2025-0${i + 3}-01T10:00:00Z`, claimedDate: `2025-0${i + 2}-15`, studyId: study!.id });
  const entries = await ledger.entries();
  const evidence = [{ id: 'EV-ADR-014', kind: 'adr' as const, title: 'ADR-014', sha256: entries[2]!.sha256, claimedDate: '2025-04-15', capturedAt: '2025-05-01T10:00:00Z', componentIds: ['SGA'], employeeIds: ['SML-1002'] }] as EvidenceItem[];
  parts = {
    result,
    reportPdf: strToU8('%PDF-1.7\n% study report bytes as rendered by the report module\n%%EOF\n'),
    reportHtml: '<!doctype html><title>Study</title><h1>Sawtooth ML research credit study</h1>',
    forms: { 'f6765.json': JSON.stringify({ lines: { 28: 532735 } }), 'f6765.csv': 'line,amount\n28,532735\n', 'id67.pdf': strToU8('%PDF-1.7 id67\n%%EOF\n') },
    workpapers: await writeWorkpapers(result, study!, { law, ledger: entries }),
    ledger: { entries, blob: (s) => storage.blobs.get(s) },
    evidence,
    createdAt: '2026-03-01T12:00:00Z',
    preparedBy: 'Example CPA LLP',
  };
  zip = buildAuditFile(parts);
}, 60_000);

describe('the audit file', () => {
  it('holds the report, forms, workpapers, ledger manifest, raw files, result and README, and verifies', () => {
    const files = unzipSync(zip);
    const names = Object.keys(files);
    expect(names[0]).toBe('README.txt');
    expect(names).toEqual(
      expect.arrayContaining([
        'report/study-report.pdf',
        'report/study-report.html',
        'forms/f6765.csv',
        'forms/f6765.json',
        'forms/id67.pdf',
        'workpapers/workpapers.xlsx',
        'ledger/manifest.json',
        'ledger/manifest.csv',
        'result/result.json',
        'MANIFEST.sha256',
        'MANIFEST.json',
      ]),
    );
    const raw = names.filter((n) => n.startsWith('ledger/files/'));
    expect(raw).toHaveLength(3);
    // the raw files are byte for byte what the ledger stored
    for (const e of parts.ledger.entries) expect(raw.some((n) => sha256Hex(files[n]!) === e.sha256)).toBe(true);
    const lm = JSON.parse(strFromU8(files['ledger/manifest.json']!)) as LedgerManifest;
    expect(lm.entries.map((e) => [e.seq, e.prevHash === (e.seq === 1 ? '0'.repeat(64) : lm.entries[e.seq - 2]!.hash)])).toEqual([[1, true], [2, true], [3, true]]);
    expect(lm.entries[2]).toMatchObject({ receivedAt: '2025-05-01T10:00:00Z', claimedDate: '2025-04-15', evidenceIds: ['EV-ADR-014'] });
    expect(lm.evidence[0]).toMatchObject({ id: 'EV-ADR-014', ledgerSeq: 3 });
    const m = JSON.parse(strFromU8(files['MANIFEST.json']!)) as AuditManifest;
    expect(m.files.map((f) => f.path)).toEqual(names.filter((n) => !n.startsWith('MANIFEST')));
    // the root hash is the SHA-256 of MANIFEST.sha256, as the README tells the examiner
    expect(sha256Hex(files['MANIFEST.sha256']!)).toBe(m.rootHash);
    const readme = strFromU8(files['README.txt']!);
    expect(readme).toMatch(/sha256sum -c MANIFEST\.sha256/);
    expect(readme).toMatch(/workpapers\/workpapers\.xlsx — the XLSX workpapers/);
    const v = verifyAuditFile(zip, { expectedRootHash: m.rootHash });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.every((c) => c.ok)).toBe(true);
  });

  it('is deterministic: the same parts give the same bytes', () => {
    expect(sha256Hex(buildAuditFile(parts))).toBe(sha256Hex(zip));
  });

  it.each(['README.txt', 'report/study-report.pdf', 'report/study-report.html', 'forms/f6765.csv', 'forms/id67.pdf', 'workpapers/workpapers.xlsx', 'ledger/manifest.json', 'ledger/manifest.csv', 'result/result.json'])(
    'a flipped byte in %s is found and named',
    (path) => {
      const v = verifyAuditFile(flip(zip, path));
      expect(v.ok).toBe(false);
      expect(v.problems).toContainEqual(expect.objectContaining({ kind: 'file_changed', path }));
    },
  );

  it('a flipped byte in a raw imported file is found by the manifest and by the ledger', () => {
    const path = Object.keys(unzipSync(zip)).find((n) => n.startsWith('ledger/files/'))!;
    const v = verifyAuditFile(flip(zip, path, 3));
    expect(v.problems).toContainEqual(expect.objectContaining({ kind: 'file_changed', path }));
    expect(v.problems.some((p) => p.kind === 'ledger' && /content was changed/.test(p.message))).toBe(true);
  });

  it('a removed file is reported', () => {
    const members = Object.entries(unzipSync(zip)).filter(([p]) => p !== 'forms/f6765.csv');
    const v = verifyAuditFile(rezip(members));
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'file_missing', path: 'forms/f6765.csv' })]);
  });

  it('an added file is reported', () => {
    const members = Object.entries(unzipSync(zip));
    members.splice(3, 0, ['forms/extra-schedule.csv', strToU8('a,b\n1,2\n')]);
    const v = verifyAuditFile(rezip(members));
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'file_added', path: 'forms/extra-schedule.csv' })]);
  });

  it('reordered members, and a reordered manifest, are reported', () => {
    const members = Object.entries(unzipSync(zip));
    [members[1], members[2]] = [members[2]!, members[1]!];
    expect(verifyAuditFile(rezip(members)).problems).toEqual([expect.objectContaining({ kind: 'order' })]);

    const files = Object.entries(unzipSync(zip));
    const mi = files.findIndex(([p]) => p === 'MANIFEST.json');
    const m = JSON.parse(strFromU8(files[mi]![1])) as AuditManifest;
    [m.files[1], m.files[2]] = [m.files[2]!, m.files[1]!];
    files[mi] = ['MANIFEST.json', strToU8(JSON.stringify(m))];
    const kinds = verifyAuditFile(rezip(files)).problems.map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['root_hash', 'order', 'sha256_list']));
  });

  it('a rewritten, self-consistent manifest is caught by the root hash recorded outside the file', () => {
    const files = Object.entries(unzipSync(zip));
    const m0 = JSON.parse(strFromU8(unzipSync(zip)['MANIFEST.json']!)) as AuditManifest;
    const ci = files.findIndex(([p]) => p === 'forms/f6765.csv');
    files[ci] = ['forms/f6765.csv', strToU8('line,amount\n28,999999\n')];
    const list = m0.files.map((f) => (f.path === 'forms/f6765.csv' ? { ...f, size: files[ci]![1].byteLength, sha256: sha256Hex(files[ci]![1]) } : f));
    const m = { ...m0, files: list, rootHash: rootHashOf(list) };
    files[files.findIndex(([p]) => p === 'MANIFEST.json')] = ['MANIFEST.json', strToU8(JSON.stringify(m))];
    files[files.findIndex(([p]) => p === 'MANIFEST.sha256')] = ['MANIFEST.sha256', strToU8(list.map((f) => `${f.sha256}  ${f.path}\n`).join(''))];
    const forged = rezip(files);
    expect(verifyAuditFile(forged).ok).toBe(true); // nothing inside the file can tell…
    expect(verifyAuditFile(forged, { expectedRootHash: m0.rootHash }).problems).toEqual([expect.objectContaining({ kind: 'root_hash_expected' })]);
  });

  it('a broken ledger chain is reported with the entry', () => {
    const entries = parts.ledger.entries.map((e) => ({ ...e }));
    // entry 2 edited (its claimed date back-dated) and re-hashed, so entry 3 no longer links to it
    const e2 = { ...entries[1]!, claimedDate: '2024-12-31' };
    entries[1] = { ...e2, hash: entryHash(e2) };
    const v = verifyAuditFile(buildAuditFile({ ...parts, ledger: { ...parts.ledger, entries } }));
    expect(v.ok).toBe(false);
    expect(v.problems.some((p) => p.kind === 'ledger' && /entry 3 .* does not link/.test(p.message))).toBe(true);
    // an entry dropped from the middle
    const gap: LedgerEntry[] = [parts.ledger.entries[0]!, parts.ledger.entries[2]!];
    const g = verifyAuditFile(buildAuditFile({ ...parts, ledger: { ...parts.ledger, entries: gap } }));
    expect(g.problems.some((p) => /1 entry is missing before it/.test(p.message))).toBe(true);
  });

  it('garbage and a zip without a manifest are refused', () => {
    expect(verifyAuditFile(strToU8('not a zip')).problems[0]!.kind).toBe('unreadable');
    expect(verifyAuditFile(rezip([['a.txt', strToU8('x')]])).problems[0]!.kind).toBe('manifest_missing');
  });
});
