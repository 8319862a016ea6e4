/**
 * `rdcredit import` into a study: the example study copied to a temp dir, a payroll register and a
 * time file imported, then the same again (nothing changes), a file with an error (nothing changes),
 * rebuild from the ledger, evidence from MLflow and git, and the same into the store (--db).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runImport } from '../../src/cli/import.js';
import { folderEvidence } from '../../src/evidence/index.js';
import { mergeRecords, planImport, rebuildFromLedger } from '../../src/importers/index.js';
import { emptyRecords } from '../../src/importers/types.js';
import { openStore } from '../../src/store/index.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import type { Study, TimeRecord } from '../../src/study/model.js';

const EX = resolve(__dirname, '..', '..', 'examples', 'gem-state-fabrication');
const F = (n: string) => join(__dirname, 'fixtures', n);
const tmp = mkdtempSync(join(tmpdir(), 'rdcredit-ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function copyStudy(): string {
  const dir = join(tmp, `study-${n++}`);
  cpSync(EX, dir, { recursive: true });
  return dir;
}
/** Bytes of every study file (not .rdcredit). */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((f) => f.isFile() && !f.name.startsWith('.'))
      .map((f) => f.name)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
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

// A payroll register for 2023: one new employee (GSF-900) and a known one (GSF-101, whose box 1 is 140,000.00).
const PAYROLL = `check_date,employee_id,employee_name,earning_type,amount,work_state
2023-06-30,GSF-900,New Researcher,Regular,"40,000.00",ID
2023-12-29,GSF-900,New Researcher,Regular,"40,000.50",ID
2023-12-29,GSF-900,New Researcher,Employer 401k,1000.00,ID
`;
// Time entries: 7.5 h + 1:30 on A in March, 4 h on an unmapped project in April (non_qualified, no component).
const TIME = `employee_id,date,project,issue,hours,work_state
GSF-900,2023-03-01,Coatings R&D,CT-1,7.5,ID
GSF-900,2023-03-02,Coatings R&D,CT-2,1:30,ID
GSF-900,2023-04-03,Admin,,4,ID
`;
const MAP = `time:
  - match: { project: "Coatings*" }
    component: A
    activity: direct_research
    experimentation: true
evidence:
  - match: { message: "/\\\\bML-\\\\d+/" }
    component: A
  - match: { experiment: "1" }
    component: A
`;

function files(dir: string) {
  const payroll = join(dir, 'payroll-2023.csv');
  const time = join(dir, 'time-2023.csv');
  const map = join(dir, 'map.yaml');
  writeFileSync(payroll, PAYROLL);
  writeFileSync(time, TIME);
  writeFileSync(map, MAP);
  return { payroll, time, map };
}

describe('rdcredit import into a study folder', () => {
  const dir = copyStudy();
  const src = mkdtempSync(join(tmp, 'src-'));
  const f = files(src);
  const before = readStudyFolder(dir).study!;

  it('imports a payroll register and a time file: new rows with their source, everything else kept', async () => {
    const q = quiet();
    try {
      expect(await runImport(dir, f.payroll, {})).toBe(0);
      expect(await runImport(dir, f.time, { map: f.map })).toBe(0);
    } finally {
      q.restore();
    }
    const after = readStudyFolder(dir);
    expect(after.diagnostics).toEqual([]);
    const s = after.study!;
    // Register sum by check date, employer contributions excluded: 40,000.00 + 40,000.50.
    const e = s.employees.find((x) => x.id === 'GSF-900')!;
    expect(e).toMatchObject({ name: 'New Researcher', officer: false, wagesBox1: 8_000_050, homeLocation: { country: 'US', state: 'ID' }, source: { file: 'payroll-2023.csv', sha256: sha(f.payroll), row: 2 } });
    expect(s.employees.filter((x) => x.id !== 'GSF-900')).toStrictEqual(before.employees);
    // Time: March on A (7.5 + 1.5 = 9 h, direct research, experimentation), April unmapped → non_qualified.
    expect(s.time.slice(0, before.time.length)).toStrictEqual(before.time);
    const added = s.time.slice(before.time.length);
    expect(added).toStrictEqual([
      { employeeId: 'GSF-900', componentId: 'A', activity: 'direct_research', hours: 9, experimentation: true, date: '2023-03-01', location: { country: 'US', state: 'ID' }, basis: 'time_entries', source: { file: 'time-2023.csv', sha256: sha(f.time), note: '2 entries' } },
      { employeeId: 'GSF-900', activity: 'non_qualified', hours: 4, date: '2023-04-01', location: { country: 'US', state: 'ID' }, basis: 'time_entries', source: { file: 'time-2023.csv', sha256: sha(f.time), note: '1 entries' } },
    ]);
    // Nothing else moved.
    for (const k of ['components', 'supplies', 'contracts', 'computers', 'history'] as const) expect(s[k]).toStrictEqual(before[k]);
    // Both raw files are in the folder ledger, byte for byte, with the time received.
    const ev = folderEvidence(dir);
    const entries = await ev.ledger.entries();
    expect(entries.map((x) => [x.name, x.sha256])).toEqual([
      ['payroll-2023.csv', sha(f.payroll)],
      ['time-2023.csv', sha(f.time)],
    ]);
    expect(Buffer.from((await ev.ledger.blob(sha(f.time)))!).toString()).toBe(TIME);
    expect(entries[0]!.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await ev.ledger.verify()).ok).toBe(true);
    expect((await ev.imports.list(s.id)).map((x) => [x.name, x.kind, x.profile])).toEqual([
      ['payroll-2023.csv', 'payroll', 'rdcredit-payroll-register'],
      ['time-2023.csv', 'time', 'rdcredit-time'],
    ]);
  });

  it('importing the same files again changes nothing and says "already imported"', async () => {
    const bytes = snapshot(dir);
    const ledger = (await folderEvidence(dir).ledger.entries()).length;
    const q = quiet();
    try {
      expect(await runImport(dir, f.time, { map: f.map })).toBe(0);
      expect(await runImport(dir, f.payroll, {})).toBe(0);
      expect(q.out()).toMatch(/time-2023\.csv: already imported/);
      expect(q.out()).toMatch(/payroll-2023\.csv: already imported/);
    } finally {
      q.restore();
    }
    expect(snapshot(dir)).toEqual(bytes);
    expect((await folderEvidence(dir).ledger.entries()).length).toBe(ledger);
    // The same bytes under another name are the same file.
    const copy = join(src, 'copy-of-time.csv');
    writeFileSync(copy, TIME);
    const plan = await planImport(readStudyFolder(dir).study!, copy, {}, folderEvidence(dir));
    expect(plan.status).toBe('already_imported');
  });

  it('a file with an error imports nothing; the diagnostic names file, row, column, value and what was expected', async () => {
    const bytes = snapshot(dir);
    const ledger = (await folderEvidence(dir).ledger.entries()).length;
    const bad = join(src, 'time-bad.csv');
    writeFileSync(bad, TIME.replace('2023-04-03', '2023-13-03').replace('1:30', '1:75'));
    const q = quiet();
    try {
      expect(await runImport(dir, bad, { map: f.map })).toBe(2);
      const out = q.out();
      expect(out).toMatch(/error: time-bad\.csv:4 \[date\]: .*expected a date \(YYYY-MM-DD or MM\/DD\/YYYY\), found "2023-13-03"/);
      expect(out).toMatch(/error: time-bad\.csv:3 \[hours\]: .*1:75/);
      expect(out).toMatch(/rejected/);
    } finally {
      q.restore();
    }
    const plan = await planImport(readStudyFolder(dir).study!, bad, { componentMap: f.map }, folderEvidence(dir));
    expect(plan.status).toBe('rejected');
    expect(plan.diagnostics).toContainEqual(expect.objectContaining({ file: 'time-bad.csv', row: 4, column: 'date', value: '2023-13-03', expected: 'a date (YYYY-MM-DD or MM/DD/YYYY)', severity: 'error' }));
    expect(snapshot(dir)).toEqual(bytes);
    expect((await folderEvidence(dir).ledger.entries()).length).toBe(ledger);

    // Accepting the listed rows imports the rest (with a warning: that employee-month already has time).
    const q2 = quiet();
    try {
      expect(await runImport(dir, bad, { map: f.map, acceptSkip: [3, 4] })).toBe(0);
      expect(q2.out()).toMatch(/warning: time-bad\.csv.*double counting/);
    } finally {
      q2.restore();
    }
    const s = readStudyFolder(dir).study!;
    expect(s.time.filter((t) => t.source?.file === 'time-bad.csv').map((t) => [t.employeeId, t.componentId, t.hours])).toEqual([['GSF-900', 'A', 7.5]]);
  });

  it('an employee the study does not know rejects the import (nothing changes)', async () => {
    const bytes = snapshot(dir);
    const p = join(src, 'time-unknown.csv');
    writeFileSync(p, 'employee_id,date,project,hours\nNOBODY,2023-05-01,Coatings R&D,2\n');
    const plan = await planImport(readStudyFolder(dir).study!, p, { componentMap: f.map }, folderEvidence(dir));
    expect(plan.status).toBe('rejected');
    expect(plan.diagnostics).toContainEqual(expect.objectContaining({ file: 'time-unknown.csv', column: 'employee_id', value: 'NOBODY', severity: 'error' }));
    expect(snapshot(dir)).toEqual(bytes);
  });

  it('rebuildFromLedger re-derives the imported rows from the raw bytes', async () => {
    const s = readStudyFolder(dir).study!;
    const rebuilt = await rebuildFromLedger(folderEvidence(dir), s.id);
    const bySha = (rows: { source?: { sha256?: string } }[], h: string) => rows.filter((r) => r.source?.sha256 === h);
    const time = rebuilt.find((r) => r.entry.kind === 'time')!;
    expect(time.result.records.time).toStrictEqual(bySha(s.time, time.entry.sha256));
    const pay = rebuilt.find((r) => r.entry.kind === 'payroll')!;
    expect(pay.result.records.employees).toStrictEqual(bySha(s.employees, pay.entry.sha256));
  });
});

describe('merge policy (pure)', () => {
  const base = readStudyFolder(EX).study!;
  const t = (h: number, sha256?: string, date = '2023-03-01'): TimeRecord => ({ employeeId: 'GSF-101', componentId: 'A', activity: 'direct_research', hours: h, date: date as never, ...(sha256 ? { source: { file: `${sha256}.csv`, sha256 } } : {}) });
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);
  it('keeps every row of other sources, replaces rows of the same file, and --replace removes a named earlier import', () => {
    const s: Study = { ...base, time: [t(1), t(2, A)] };
    const r1 = mergeRecords(s, { ...emptyRecords(), time: [t(3, B)] }, { file: 'b.csv', sha256: B });
    expect(r1.study.time.map((x) => x.hours)).toEqual([1, 2, 3]);
    // Overlapping employee-month: a warning naming the other source, never a silent removal.
    expect(r1.report.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.value).sort()).toEqual(['a'.repeat(64) + '.csv', 'rows entered by hand']);
    const r2 = mergeRecords(s, { ...emptyRecords(), time: [t(3, B)] }, { file: 'b.csv', sha256: B }, { replace: ['aaaaaaaa'] });
    expect(r2.study.time.map((x) => x.hours)).toEqual([1, 3]);
    expect(r2.report.replaced).toEqual({ time: 1 });
    const r3 = mergeRecords(s, { ...emptyRecords(), time: [t(3, B)] }, { file: 'b.csv', sha256: B }, { replace: ['cccccccc'] });
    expect(r3.report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', column: 'replace', value: 'cccccccc' }));
  });
  it('an imported employee never clears the officer flag, role or wage adjustments of a known one', () => {
    const s: Study = { ...base, employees: [{ id: 'GSF-101', name: 'Boss', officer: true, role: 'executive', wagesBox1: 100 as never, wageAdjustments: [{ amount: -5 as never, reason: 'x' }] }], time: [] };
    const r = mergeRecords(s, { ...emptyRecords(), employees: [{ id: 'GSF-101', name: 'Boss', officer: false, wagesBox1: 200 as never, source: { file: 'p.csv', sha256: A } }] }, { file: 'p.csv', sha256: A });
    expect(r.study.employees[0]).toStrictEqual({ id: 'GSF-101', name: 'Boss', officer: true, role: 'executive', wagesBox1: 200, wageAdjustments: [{ amount: -5, reason: 'x' }], source: { file: 'p.csv', sha256: A } });
    expect(r.report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', column: 'wages_box1' }));
  });
});

describe('evidence from MLflow runs and git log', () => {
  it('runs and commits become evidence items linked to components, each with its own content in the ledger', async () => {
    const dir = copyStudy();
    const src = mkdtempSync(join(tmp, 'ev-'));
    const { map } = files(src);
    const q = quiet();
    try {
      expect(await runImport(dir, F('mlflow-runs.json'), { map })).toBe(0);
      expect(await runImport(dir, F('git.log'), { map })).toBe(0);
    } finally {
      q.restore();
    }
    const s = readStudyFolder(dir).study!;
    const ev = s.evidence!;
    const byId = new Map(ev.map((e) => [e.id, e]));
    // FAILED run r2 (experiment 1 → A by the map): failure; FINISHED r1: success.
    expect(byId.get('mlflow:r2')).toMatchObject({ kind: 'experiment_run', outcome: 'failure', claimedDate: '2024-03-09', componentIds: ['A'], source: { file: 'mlflow-runs.json', sha256: sha(F('mlflow-runs.json')), row: 1 } });
    expect(byId.get('mlflow:r1')).toMatchObject({ outcome: 'success', componentIds: ['A'] });
    // The commit "ML-7 try focal loss" (ticket key → A by the map) was reverted: failure; its author date is local (2024-03-31).
    const c1 = ev.find((e) => e.id.startsWith('git:1111111'))!;
    expect(c1).toMatchObject({ kind: 'commit', outcome: 'failure', claimedDate: '2024-03-31', componentIds: ['A'] });
    // The example's own evidence (content under evidence/, not imported) is kept as it was.
    const own = readStudyFolder(EX).study!.evidence ?? [];
    expect(ev.slice(0, own.length)).toStrictEqual(own);
    const entries = await folderEvidence(dir).ledger.entries();
    for (const e of ev.slice(own.length)) {
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      const entry = entries.find((x) => x.sha256 === e.sha256)!;
      expect(entry).toMatchObject({ name: `${e.id}.json`, kind: e.kind });
      if (e.claimedDate) expect(entry.claimedDate).toBe(e.claimedDate);
      const blob = (await folderEvidence(dir).ledger.blob(e.sha256!))!;
      expect(createHash('sha256').update(blob).digest('hex')).toBe(e.sha256);
    }
    expect((await folderEvidence(dir).ledger.verify()).ok).toBe(true);
  });
});

describe('rdcredit import --db (store)', () => {
  it('saves the study and keeps the raw bytes in the store; rebuild from the store ledger reproduces the rows', async () => {
    const dir = copyStudy();
    const src = mkdtempSync(join(tmp, 'db-'));
    const f = files(src);
    const db = join(tmp, `db-${n++}`);
    const q = quiet();
    try {
      expect(await runImport(dir, f.payroll, { db })).toBe(0);
      expect(await runImport(dir, f.time, { db, map: f.map })).toBe(0);
      expect(await runImport(dir, f.time, { db, map: f.map })).toBe(0);
      expect(q.out()).toMatch(/already imported/);
    } finally {
      q.restore();
    }
    const folderStudy = readStudyFolder(dir).study!;
    const store = await openStore({ dataDir: db });
    try {
      expect(await store.loadStudy(folderStudy.id)).toStrictEqual(folderStudy);
      expect((await store.ledger.entries()).map((e) => e.name)).toEqual(['payroll-2023.csv', 'time-2023.csv']);
      const rows = await store.db.query<{ n: number }>('select count(*)::int as n from raw_import where study_id = $1', [folderStudy.id]);
      expect(Number(rows[0]!.n)).toBe(2);
      await expect(store.db.query('delete from raw_import')).rejects.toThrow(/append-only/);
      const rebuilt = await rebuildFromLedger(store, folderStudy.id);
      const time = rebuilt.find((r) => r.entry.kind === 'time')!;
      expect(time.result.records.time).toStrictEqual(folderStudy.time.filter((t) => t.source?.sha256 === sha(f.time)));
    } finally {
      await store.close();
    }
  }, 120_000);
});
