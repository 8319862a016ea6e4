/**
 * Time files that name people instead of employee ids (a Toggl-style export: User and Email): each
 * person resolves through the component map's people: section, an exact employee id, or the name of
 * exactly one employee; ambiguous and unknown people are row errors naming the candidates, never a
 * guess. The resolutions are recorded with the import so a rebuild gives the same rows.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runImport } from '../../src/cli/import.js';
import { folderEvidence } from '../../src/evidence/index.js';
import { importFile, loadComponentMap, PeopleResolver, planImport, rebuildFromLedger } from '../../src/importers/index.js';
import { readStudyFolder } from '../../src/study/folder/index.js';

const EX = resolve(__dirname, '..', '..', 'examples', 'gem-state-fabrication');
const F = (n: string) => join(__dirname, 'fixtures', n);
const TOGGL = F('toggl-people.csv');
const tmp = mkdtempSync(join(tmpdir(), 'rdcredit-people-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** The example study with four more people: two of them share the name "Chris Lee". */
function study(): string {
  const dir = join(tmp, `study-${n++}`);
  cpSync(EX, dir, { recursive: true });
  appendFileSync(
    join(dir, 'employees.csv'),
    ['GSF-901,Ana Ruiz', 'GSF-902,Bo Chen', 'GSF-903,Chris Lee', 'GSF-904,Chris Lee'].map((p) => `${p},,engineer,false,,,,ID,,,,,\n`).join(''),
  );
  return dir;
}
const TIME_RULES = `time:
  - match: { project: "Coatings*" }
    component: A
    activity: direct_research
    experimentation: true
`;
function mapFile(extra = ''): string {
  const p = join(tmp, `map-${n++}.yaml`);
  writeFileSync(p, TIME_RULES + extra);
  return p;
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

describe('a Toggl export that names people, imported into a study', () => {
  const dir = study();

  it('resolves unique names; an ambiguous or unknown person is an error with file, row, column and the candidates', async () => {
    const plan = await planImport(readStudyFolder(dir).study!, TOGGL, { componentMap: mapFile() }, folderEvidence(dir));
    expect(plan.status).toBe('rejected');
    const errors = plan.diagnostics.filter((d) => d.severity === 'error' && d.row !== undefined);
    expect(errors.map((d) => [d.file, d.row, d.column, d.value])).toEqual([
      ['toggl-people.csv', 4, 'Email', 'bo@gemstate.test'],
      ['toggl-people.csv', 5, 'Email', 'chris@gemstate.test'],
      ['toggl-people.csv', 6, 'Email', 'leigh@contractor.test'],
    ]);
    // Unknown: never matched by similarity, only shown.
    expect(errors[0]!.message).toBe('"bo@gemstate.test" (Bo) is not an employee of the study: no employee id, employee name or people: entry matches; similar names: GSF-902 (Bo Chen)');
    // Ambiguous: both candidates, and how to choose.
    expect(errors[1]!.message).toBe('"chris@gemstate.test" (Chris Lee) matches 2 employees of the study by name: GSF-903 (Chris Lee), GSF-904 (Chris Lee); say which in the component map\'s people: section');
    expect(errors[1]!.expected).toBe('one employee: add "Chris Lee" to the component map\'s people: section with one of GSF-903, GSF-904');
    expect(errors[2]!.message).toMatch(/"leigh@contractor\.test" \(Chris Leigh\) is not an employee of the study.*similar names: GSF-903 \(Chris Lee\), GSF-904 \(Chris Lee\)$/);
    expect(plan.result!.records.time).toEqual([]);
  });

  it('with a people: section (e-mail or name, any case) and the unknown row skipped, the import resolves every person', async () => {
    const map = mapFile(`people:
  BO@GemState.test: GSF-902
  "  chris lee ": GSF-904
`);
    const q = quiet();
    try {
      expect(await runImport(dir, TOGGL, { map })).toBe(2);
      expect(q.out()).toMatch(/error: toggl-people\.csv:6 \[Email\]: "leigh@contractor\.test" \(Chris Leigh\) is not an employee/);
      expect(await runImport(dir, TOGGL, { map, acceptSkip: [6] })).toBe(0);
    } finally {
      q.restore();
    }
    const s = readStudyFolder(dir).study!;
    const added = s.time.filter((t) => t.source?.file === 'toggl-people.csv');
    expect(added.map((t) => [t.employeeId, t.componentId ?? null, t.activity, t.hours, t.date, t.source?.note])).toEqual([
      ['GSF-101', null, 'non_qualified', 0.5, '2023-03-01', '1 entries'], // "Engineer A1": the name of one employee
      ['GSF-901', 'A', 'direct_research', 3, '2023-03-01', '2 entries'], // "Ana Ruiz" and "ANA  RUIZ " share one e-mail
      ['GSF-902', 'A', 'direct_research', 3.5, '2023-03-01', '1 entries'], // the people: section, by e-mail
      ['GSF-904', 'A', 'direct_research', 4, '2023-03-01', '1 entries'], // the people: section, by name
    ]);
    // The resolutions are recorded with the import (value as written → employee id).
    const [entry] = await folderEvidence(dir).imports.list(s.id);
    expect(entry!.options.people).toEqual({ 'a1@gemstate.test': 'GSF-101', 'ana@gemstate.test': 'GSF-901', 'bo@gemstate.test': 'GSF-902', 'chris@gemstate.test': 'GSF-904' });
    expect((entry!.options.componentMap as { people: Record<string, string> }).people).toEqual({ 'BO@GemState.test': 'GSF-902', '  chris lee ': 'GSF-904' });
    // … and the employees the rows went to (ids only), against which a rebuild checks the people.
    expect(entry!.options.employees).toEqual(['GSF-101', 'GSF-901', 'GSF-902', 'GSF-904'].map((id) => ({ id, name: '' })));
  });

  it('rebuildFromLedger gives the same rows without the employee list', async () => {
    const s = readStudyFolder(dir).study!;
    const [rebuilt] = await rebuildFromLedger(folderEvidence(dir), s.id);
    expect(rebuilt!.result.records.time).toStrictEqual(s.time.filter((t) => t.source?.sha256 === rebuilt!.entry.sha256));
  });

  it('a people: entry naming someone who is not an employee is an error', async () => {
    const plan = await planImport(readStudyFolder(study()).study!, TOGGL, { componentMap: mapFile('people:\n  Ana Ruiz: GSF-999\n'), acceptSkip: [4, 5, 6] }, folderEvidence(join(tmp, `ev-${n++}`)));
    expect(plan.status).toBe('rejected');
    expect(plan.diagnostics).toContainEqual(
      expect.objectContaining({ row: 2, column: 'Email', value: 'ana@gemstate.test', severity: 'error', message: 'the component map\'s people: section gives GSF-999 for "Ana Ruiz", which is not an employee of the study' }),
    );
  });
});

describe('PeopleResolver', () => {
  const staff = [
    { id: 'E1', name: 'E2' },
    { id: 'E2', name: 'Dana  Smith' },
    { id: 'E3', name: 'Lee Park' },
    { id: 'E4', name: 'lee park' },
  ];
  it('order: the people: section, then an exact id, then the name of exactly one employee', () => {
    const r = new PeopleResolver({ 'Dana Smith': 'E3', Alias: 'E1' }, staff);
    expect(r.resolve('alias')).toEqual({ id: 'E1' }); // the map, case-insensitively
    expect(r.resolve('E2')).toEqual({ id: 'E2' }); // an id beats a name that spells it
    expect(r.resolve('e3')).toMatchObject({ problem: expect.anything() }); // ids are exact
    expect(r.resolve('e2')).toEqual({ id: 'E1' }); // … names are not: E1 is named "E2"
    expect(r.resolve(' DANA SMITH ')).toEqual({ id: 'E3' }); // the map before the name
    expect(new PeopleResolver({}, staff).resolve('dana smith')).toEqual({ id: 'E2' }); // runs of spaces are one space
    expect(new PeopleResolver({}, staff).resolve('Lee Park')).toMatchObject({ problem: { message: expect.stringContaining('E3 (Lee Park), E4 (lee park)') } });
    expect([...r.resolved]).toEqual([
      ['alias', 'E1'],
      ['e2', 'E1'],
      ['DANA SMITH', 'E3'],
    ]);
  });

  it('without the study\'s employees only the map applies and other values are kept as written', async () => {
    const r = await importFile(F('toggl-bom.csv'), { componentMap: { ...loadComponentMap(F('component-map.yaml')), people: { 'Ana@Acme.test': 'E-1' } } });
    expect(r.accepted).toBe(true);
    expect([...new Set(r.records.time.map((t) => t.employeeId))]).toEqual(['E-1', 'bo@acme.test']);
    expect(r.people).toEqual({ 'ana@acme.test': 'E-1' });
  });

  it('the people: section: numbers read as ids, a key given twice with two ids is refused', () => {
    const p = join(tmp, `map-${n++}.yaml`);
    writeFileSync(p, 'people:\n  Ana: 1001\n  "007": "007"\n');
    expect(loadComponentMap(p).people).toEqual({ Ana: '1001', '007': '007' });
    expect(() => loadComponentMap({ people: { Ana: 'E1', ' ana ': 'E2' } })).toThrow(/is given twice \(as E1 and E2\)/);
  });
});

describe('people in a large file read by parallel workers', () => {
  it('resolve and report exactly as the sequential read', async () => {
    const lines = ['employee_id,date,project,issue,hours,work_state'];
    for (let i = 0; i < 6000; i++) lines.push(`${i === 4321 ? 'Nobody Known' : `Person ${i % 23}`},2024-0${(i % 9) + 1}-11,P-${i % 3},T-1,1.25,ID`);
    const p = join(tmp, `people-${n++}.csv`);
    writeFileSync(p, lines.join('\n') + '\n');
    const employees = Array.from({ length: 23 }, (_, i) => ({ id: `E${i}`, name: `person ${i}` }));
    const opts = { employees, people: { 'Person 7': 'E0' }, acceptSkip: [4323] };
    const par = await importFile(p, { ...opts, workers: 3, parallelMinBytes: 0 });
    const seq = await importFile(p, { ...opts, workers: 1 });
    expect(par.diagnostics.map((d) => d.message)).toContain('read in 3 parallel workers');
    expect(par.accepted).toBe(true);
    expect(par.records).toStrictEqual(seq.records);
    expect(par.people).toStrictEqual(seq.people);
    expect(Object.keys(seq.people!)).toHaveLength(23);
    expect(seq.people!['Person 7']).toBe('E0');
    expect(new Set(seq.records.time.map((t) => t.employeeId)).has('E7')).toBe(false);
    expect(par.diagnostics.filter((d) => d.row === 4323).map((d) => d.severity)).toEqual(['warning']);
    expect(seq.diagnostics.filter((d) => d.row === 4323).map((d) => d.message)).toEqual(par.diagnostics.filter((d) => d.row === 4323).map((d) => d.message));
  }, 60_000);
});
