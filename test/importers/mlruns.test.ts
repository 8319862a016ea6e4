/**
 * MLflow's on-disk `mlruns` layout imported into a study: the directory is packed into one
 * deterministic ZIP archive (the ledger keeps its bytes; its SHA-256 is the import's identity), the
 * runs are read from the archive, re-importing an unchanged directory changes nothing, a changed
 * metric makes a new import, and the evidence items are rebuilt from the stored archive.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runImport } from '../../src/cli/import.js';
import { folderEvidence } from '../../src/evidence/index.js';
import { canonicalRecordBytes, importFile, packMlruns, planImport, rebuildFromLedger, zipArchive } from '../../src/importers/index.js';
import { readStudyFolder } from '../../src/study/folder/index.js';

const EX = resolve(__dirname, '..', '..', 'examples', 'gem-state-fabrication');
const FIXTURE = join(__dirname, 'fixtures', 'mlruns');
const tmp = mkdtempSync(join(tmpdir(), 'rdcredit-mlruns-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The fixture plus what must not go into the archive: an artifact, the model registry, .trash and a stray file. */
function mlruns(): string {
  const dir = join(tmp, `src-${n++}`, 'mlruns');
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, '0', 'bbb222', 'artifacts', 'model'), { recursive: true });
  writeFileSync(join(dir, '0', 'bbb222', 'artifacts', 'model', 'weights.bin'), Buffer.alloc(4096, 7));
  writeFileSync(join(dir, '0', 'bbb222', 'artifacts', 'model', 'meta.yaml'), 'not: a run\n');
  mkdirSync(join(dir, 'models', 'vision', 'version-1'), { recursive: true });
  writeFileSync(join(dir, 'models', 'vision', 'meta.yaml'), 'name: vision\n');
  mkdirSync(join(dir, '.trash', '9', 'zzz999'), { recursive: true });
  writeFileSync(join(dir, '.trash', '9', 'zzz999', 'meta.yaml'), 'run_id: zzz999\nstatus: 3\n');
  writeFileSync(join(dir, '0', '.DS_Store'), 'x');
  return dir;
}
function copyStudy(): string {
  const dir = join(tmp, `study-${n++}`);
  cpSync(EX, dir, { recursive: true });
  return dir;
}
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => [f.name, readFileSync(join(dir, f.name), 'utf8')]),
  );
}
const quiet = () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  return {
    out: () => [...log.mock.calls, ...err.mock.calls].map((c) => c.join(' ')).join('\n'),
    restore: () => {
      log.mockRestore();
      err.mockRestore();
    },
  };
};
// Experiment "vision-sweeps" → component A; the MLflow user "ana" is employee GSF-101 (people: section).
const MAP = `evidence:
  - match: { experiment: "vision*" }
    component: A
people:
  " ANA ": GSF-101
`;

describe('packing an mlruns directory', () => {
  it('keeps only run metadata, tags, metrics and params, sorted, with fixed dates and modes', () => {
    const p = packMlruns(mlruns());
    expect(p.name).toBe('mlruns.zip');
    expect(p.sha256).toBe(sha(p.bytes));
    expect(p.leftOut).toEqual(['.trash', 'models']);
    const names = Object.keys(unzipSync(p.bytes));
    expect(names).toEqual([
      '0/aaa111/meta.yaml',
      '0/aaa111/tags/mlflow.runName',
      '0/aaa111/tags/mlflow.user',
      '0/bbb222/meta.yaml',
      '0/bbb222/metrics/val/loss',
      '0/bbb222/params/lr',
      '0/bbb222/tags/mlflow.source.git.commit',
      '0/meta.yaml',
    ]);
    expect(p.files).toBe(names.length);
    // Stored (method 0), DOS date 1980-01-01 12:00:00, Unix mode 0644: read from the central directory.
    const b = Buffer.from(p.bytes);
    const cd = b.readUInt32LE(b.length - 22 + 16);
    expect(b.readUInt32LE(cd)).toBe(0x02014b50);
    expect(b[cd + 5]).toBe(3); // made by Unix
    expect(b.readUInt16LE(cd + 10)).toBe(0); // stored
    expect(b.readUInt16LE(cd + 12)).toBe(12 << 11); // 12:00:00
    expect(b.readUInt16LE(cd + 14)).toBe((0 << 9) | (1 << 5) | 1); // 1980-01-01
    expect(b.readUInt32LE(cd + 38) >>> 16).toBe(0o100644);
  });

  it('gives the same bytes whatever the files\' times, the listing order or the time zone', () => {
    const dir = mlruns();
    const a = packMlruns(dir);
    utimesSync(join(dir, '0', 'bbb222', 'metrics', 'val', 'loss'), new Date('2031-05-05T05:05:05Z'), new Date('2031-05-05T05:05:05Z'));
    const tz = process.env.TZ;
    try {
      for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
        process.env.TZ = zone;
        expect(packMlruns(dir).bytes).toStrictEqual(a.bytes);
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    const files = new Map(Object.entries(unzipSync(a.bytes)));
    expect(zipArchive(new Map([...files].reverse()))).toStrictEqual(a.bytes);
  });

  it('the directory, its archive and a ZIP made by another tool (with an mlruns/ folder and artifacts) give the same runs', async () => {
    const dir = mlruns();
    const fromDir = await importFile(dir, { componentMap: { evidence: [{ match: { experiment: 'vision*' }, component: 'A' }] } });
    expect(fromDir.accepted).toBe(true);
    expect(fromDir.profile).toBe('mlflow-mlruns');
    expect(fromDir.sha256).toBe(packMlruns(dir).sha256);
    expect(fromDir.records.evidence.map((e) => [e.id, e.title, e.status, e.componentId, e.details['metric.val/loss'] ?? null, e.source.file, e.source.note])).toEqual([
      ['aaa111', 'crashed-run', 'failed', 'A', null, 'mlruns.zip', '0/aaa111'],
      ['bbb222', 'bbb222', 'finished', 'A', '0.5', 'mlruns.zip', '0/bbb222'],
    ]);
    expect(fromDir.diagnostics.find((d) => d.severity === 'info')?.message).toMatch(/packed into mlruns\.zip \(8 files.*artifacts are not kept; left out: \.trash, models/);

    const archive = join(tmp, `a-${n++}`, 'mlruns.zip');
    mkdirSync(join(archive, '..'));
    writeFileSync(archive, packMlruns(dir).bytes);
    const fromZip = await importFile(archive, { componentMap: { evidence: [{ match: { experiment: 'vision*' }, component: 'A' }] } });
    expect(fromZip.records).toStrictEqual(fromDir.records);

    // Another tool's ZIP: a leading "mlruns/" folder, deflated entries, directories, artifacts.
    const other: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(unzipSync(packMlruns(dir).bytes))) other[`mlruns/${k}`] = v;
    other['mlruns/0/bbb222/artifacts/model/meta.yaml'] = new TextEncoder().encode('not: a run\n');
    other['mlruns/models/vision/meta.yaml'] = new TextEncoder().encode('name: vision\n');
    const otherPath = join(tmp, `other-${n++}.bin`);
    writeFileSync(otherPath, zipSync(other, { level: 6 }));
    const fromOther = await importFile(otherPath, { componentMap: { evidence: [{ match: { experiment: 'vision*' }, component: 'A' }] } });
    const strip = (r: typeof fromDir) => r.records.evidence.map(({ source, ...e }) => ({ ...e, note: source.note }));
    expect(strip(fromOther)).toStrictEqual(strip(fromDir));
  });

  it('a ZIP without runs is an error, not an empty import', async () => {
    const p = join(tmp, `empty-${n++}.zip`);
    writeFileSync(p, zipSync({ 'notes/readme.txt': new TextEncoder().encode('hello') }));
    const r = await importFile(p);
    expect(r.accepted).toBe(false);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: 'no MLflow runs in the archive' }));
    const bad = join(tmp, `broken-${n++}.zip`);
    writeFileSync(bad, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40, 1)]));
    const b = await importFile(bad);
    expect(b.accepted).toBe(false);
    expect(b.diagnostics[b.diagnostics.length - 1]!.message).toMatch(/not a readable ZIP archive/);
  });
});

describe('rdcredit import <study> path/to/mlruns', () => {
  const study = copyStudy();
  const src = mlruns();
  const map = join(src, '..', 'map.yaml');
  writeFileSync(map, MAP);

  it('imports the runs as evidence items and keeps the archive in the ledger', async () => {
    const q = quiet();
    try {
      expect(await runImport(study, src, { map })).toBe(0);
      expect(q.out()).toMatch(/mlruns: imported \(mlflow-mlruns/);
    } finally {
      q.restore();
    }
    const s = readStudyFolder(study).study!;
    const packed = packMlruns(src);
    const items = s.evidence!.filter((e) => e.source?.file === 'mlruns.zip');
    expect(items.map((e) => [e.id, e.kind, e.outcome, e.componentIds, e.employeeIds, e.source?.sha256])).toEqual([
      ['mlflow:aaa111', 'experiment_run', 'failure', ['A'], ['GSF-101'], packed.sha256],
      ['mlflow:bbb222', 'experiment_run', 'success', ['A'], [], packed.sha256],
    ]);
    const ev = folderEvidence(study);
    expect(Buffer.from((await ev.ledger.blob(packed.sha256))!)).toStrictEqual(Buffer.from(packed.bytes));
    const entries = await ev.ledger.entries();
    expect(entries[0]).toMatchObject({ name: 'mlruns.zip', kind: 'mlflow', sha256: packed.sha256 });
    for (const e of items) expect(entries.some((x) => x.sha256 === e.sha256)).toBe(true);
    expect((await ev.imports.list(s.id)).map((e) => [e.name, e.kind, e.profile, e.sha256])).toEqual([['mlruns.zip', 'mlflow', 'mlflow-mlruns', packed.sha256]]);
    expect((await ev.ledger.verify()).ok).toBe(true);
  });

  it('importing the unchanged directory again changes nothing ("already imported")', async () => {
    const before = snapshot(study);
    const ledger = (await folderEvidence(study).ledger.entries()).length;
    // Touching a file changes its time, not the archive.
    utimesSync(join(src, '0', 'meta.yaml'), new Date(), new Date());
    const q = quiet();
    try {
      expect(await runImport(study, src, { map })).toBe(0);
      expect(q.out()).toMatch(/mlruns: already imported \(mlruns\.zip/);
    } finally {
      q.restore();
    }
    expect(snapshot(study)).toStrictEqual(before);
    expect((await folderEvidence(study).ledger.entries()).length).toBe(ledger);
  });

  it('a changed metric file is a new import with a new archive in the ledger', async () => {
    const first = packMlruns(src).sha256;
    appendFileSync(join(src, '0', 'bbb222', 'metrics', 'val', 'loss'), '1600000600000 0.31 2\n');
    const plan = await planImport(readStudyFolder(study).study!, src, { componentMap: map }, folderEvidence(study));
    expect(plan.status).toBe('imported');
    expect(plan.sha256).not.toBe(first);
    expect(plan.result!.records.evidence.find((e) => e.id === 'bbb222')!.details['metric.val/loss']).toBe('0.31');
    const q = quiet();
    try {
      expect(await runImport(study, src, { map })).toBe(0);
    } finally {
      q.restore();
    }
    const ev = folderEvidence(study);
    const imports = await ev.imports.list(readStudyFolder(study).study!.id);
    expect(imports.map((e) => e.sha256)).toEqual([first, packMlruns(src).sha256]);
    expect(await ev.ledger.blob(packMlruns(src).sha256)).toBeDefined();
    expect((await ev.ledger.verify()).ok).toBe(true);
  });

  it('rebuildFromLedger re-derives the runs and the evidence items from the stored archives', async () => {
    const s = readStudyFolder(study).study!;
    const ev = folderEvidence(study);
    const rebuilt = await rebuildFromLedger(ev, s.id, s);
    expect(rebuilt.map((r) => [r.entry.name, r.result.profile, r.result.accepted])).toEqual([
      ['mlruns.zip', 'mlflow-mlruns', true],
      ['mlruns.zip', 'mlflow-mlruns', true],
    ]);
    // The first import made the study's items: rebuilt, they are the same items, content and all.
    const items = s.evidence!.filter((e) => e.source?.sha256 === rebuilt[0]!.entry.sha256);
    expect(rebuilt[0]!.evidence!.map((c) => c.item)).toStrictEqual(items);
    // Every rebuilt item's content is in the ledger under its SHA-256 (the second import's too).
    for (const r of rebuilt)
      for (const c of r.evidence!) {
        expect(sha(c.bytes)).toBe(c.item.sha256);
        expect(sha(canonicalRecordBytes(r.result.records.evidence.find((e) => `mlflow:${e.id}` === c.item.id)!))).toBe(c.item.sha256);
        expect(Buffer.from((await ev.ledger.blob(c.item.sha256!))!)).toStrictEqual(Buffer.from(c.bytes));
      }
    expect(rebuilt[1]!.result.records.evidence.find((e) => e.id === 'bbb222')!.details['metric.val/loss']).toBe('0.31');
    // Without the study, the records alone.
    expect((await rebuildFromLedger(ev, s.id)).every((r) => r.evidence === undefined)).toBe(true);
  });
});
