import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { arbitraryStudy } from '../../../test/store/arbitrary-study.js';
import { emptyStudy } from '../../../test/support/study.js';
import { cents, dollars } from '../../money/cents.js';
import { isoDate } from '../../periods/date.js';
import type { Study } from '../model.js';
import { initStudyFolder, parseCsv, readStudyFolder, writeCsv, writeStudyFolder } from './index.js';
import { location, money } from './values.js';

const tmp = mkdtempSync(join(tmpdir(), 'rdcredit-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(tmp, `s${n++}`);

const YAML_MIN = `formatVersion: 1
id: s1
title: Test
taxpayer:
  id: tp
  name: Test Co
  entityType: c_corporation
  period: { start: 2025-01-01, end: 12/31/2025 }
  states: [ID, az]
grossReceipts: "$15,000,000"
grossReceiptsByState: { ID: "1,234.56" }
history:
  - period: { start: 2024-01-01, end: 2024-12-31 }
    qre: (45.00)
    grossReceipts:
elections:
  method: best
  section280c: best
`;

function folder(files: Record<string, string>): string {
  const dir = fresh();
  initStudyFolder(dir, { taxpayerName: 'x' });
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
  return dir;
}

describe('cell codecs', () => {
  it('reads money exactly in the forms people write', () => {
    expect(money.parse('1,234.56')).toEqual({ ok: true, value: 123456 });
    expect(money.parse('$12')).toEqual({ ok: true, value: 1200 });
    expect(money.parse('(45.00)')).toEqual({ ok: true, value: -4500 });
    expect(money.parse('0.1')).toEqual({ ok: true, value: 10 });
    expect(money.parse('12.345').ok).toBe(false); // a third decimal is refused, not rounded
    expect(money.parse('abc').ok).toBe(false);
    expect(money.parse('1,5').ok).toBe(false);
    expect(money.parse('(1,234,567.80)')).toEqual({ ok: true, value: -123456780 });
  });
  it('reads locations: state, US-state, US, foreign country', () => {
    expect(location.parse('ID')).toEqual({ ok: true, value: { country: 'US', state: 'ID' } });
    expect(location.parse('US-ID')).toEqual({ ok: true, value: { country: 'US', state: 'ID' } });
    expect(location.parse('us')).toEqual({ ok: true, value: { country: 'US' } });
    expect(location.parse('country:IN')).toEqual({ ok: true, value: { country: 'IN' } });
    expect(location.parse('GB')).toEqual({ ok: true, value: { country: 'GB' } });
    // A USPS code always means the state; India is written country:IN.
    expect(location.parse('IN')).toEqual({ ok: true, value: { country: 'US', state: 'IN' } });
    expect(location.parse('US-XX').ok).toBe(false);
    expect(location.format({ country: 'IN' })).toBe('country:IN');
  });
  it('CSV quoting round-trips commas, quotes and newlines', () => {
    const rows = [['a,b', 'say "hi"', 'two\nlines'], ['', 'x', '']];
    const back = parseCsv(writeCsv(['h1', 'h2', 'h3'], rows));
    expect(back.map((r) => r.cells)).toEqual([['h1', 'h2', 'h3'], ...rows]);
    expect(back.map((r) => r.line)).toEqual([1, 2, 4]);
  });
});

describe('readStudyFolder', () => {
  it('a new folder from the templates reads with zero diagnostics', () => {
    const dir = fresh();
    initStudyFolder(dir, { taxpayerName: 'Gem State Fabrication', year: 2023, states: ['ID'] });
    const r = readStudyFolder(dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.study?.taxpayer.period).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    expect(r.study?.taxpayer.states).toEqual(['ID']);
    expect(r.study?.grossReceipts).toBeUndefined();
    expect(() => initStudyFolder(dir, { taxpayerName: 'x' })).toThrow(/not empty/);
  });

  it('parses money, US dates, locations; an empty cell is unknown, not zero', () => {
    const dir = folder({
      'study.yaml': YAML_MIN,
      'employees.csv': 'id,name,officer,wages_box1,state_wages,home_location\ne1,Ann,no,"120,000.50",ID=100000; AZ=20000.50,US-ID\ne2,Bob,yes,,,\n',
      'time.csv': 'employee_id,activity,hours,date,location\ne1,direct_research,7.5,03/04/2025,country:IN\ne2,non_qualified,1,,\n',
    });
    const r = readStudyFolder(dir);
    expect(r.diagnostics).toEqual([]);
    const s = r.study!;
    expect(s.grossReceipts).toBe(dollars(15_000_000));
    expect(s.grossReceiptsByState).toEqual({ ID: 123456 });
    expect(s.taxpayer.states).toEqual(['ID', 'AZ']);
    expect(s.taxpayer.period.end).toBe('2025-12-31');
    expect(s.history[0]!.qre).toBe(cents(-4500));
    expect('grossReceipts' in s.history[0]!).toBe(false);
    expect(s.employees[0]).toEqual({ id: 'e1', name: 'Ann', officer: false, wagesBox1: 12000050, stateWages: { ID: 10000000, AZ: 2000050 }, homeLocation: { country: 'US', state: 'ID' } });
    expect(s.employees[1]).toEqual({ id: 'e2', name: 'Bob', officer: true });
    expect(s.time[0]).toEqual({ employeeId: 'e1', activity: 'direct_research', hours: 7.5, date: '2025-03-04', location: { country: 'IN' } });
    expect(s.time[1]).toEqual({ employeeId: 'e2', activity: 'non_qualified', hours: 1 });
  });

  it('reports every bad cell with file, row, column, value and what was expected, and yields no study', () => {
    const dir = folder({
      'study.yaml': YAML_MIN,
      'employees.csv': 'id,name,officer,wages_box1\ne1,Ann,maybe,12.345\ne1,Ann2,no,"1,0"\n',
      'time.csv': 'employee_id,activity,hours,location,component_id\ne9,researching,-1,Idaho,c1\n',
      'supplies.csv': 'id,description,amount\ns1,steel,10\n',
    });
    const r = readStudyFolder(dir);
    expect(r.study).toBeUndefined();
    const find = (file: string, column: string) => r.diagnostics.find((d) => d.file === file && d.column === column);
    expect(find('employees.csv', 'officer')).toMatchObject({ row: 2, value: 'maybe', severity: 'error', expected: expect.stringContaining('true or false') });
    expect(find('employees.csv', 'wages_box1')).toMatchObject({ row: 2, value: '12.345', expected: expect.stringContaining('at most two decimals') });
    expect(r.diagnostics.find((d) => d.file === 'employees.csv' && d.row === 3 && d.column === 'wages_box1')).toMatchObject({ value: '1,0' });
    expect(r.diagnostics.find((d) => d.file === 'employees.csv' && d.column === 'id')).toMatchObject({ row: 3, value: 'e1', message: expect.stringContaining('duplicate') });
    expect(find('time.csv', 'activity')).toMatchObject({ row: 2, value: 'researching', expected: expect.stringContaining('direct_research') });
    expect(find('time.csv', 'hours')).toMatchObject({ row: 2, value: '-1' });
    expect(find('time.csv', 'location')).toMatchObject({ row: 2, value: 'Idaho' });
    expect(find('time.csv', 'employee_id')).toMatchObject({ row: 2, value: 'e9', expected: 'an id in employees.csv' });
    expect(find('time.csv', 'component_id')).toMatchObject({ value: 'c1', expected: 'an id in components.csv' });
    expect(find('supplies.csv', 'kind')).toMatchObject({ row: 1, message: expect.stringContaining('required column') });
  });

  it('reports study.yaml problems with the line and the key path', () => {
    const bad = YAML_MIN.replace('grossReceipts: "$15,000,000"', 'grossReceipts: lots').replace('entityType: c_corporation', 'entityType: llc').replace('method: best', 'method: best\n  colour: red');
    const dir = folder({ 'study.yaml': bad });
    const r = readStudyFolder(dir);
    expect(r.study).toBeUndefined();
    const byCol = (c: string) => r.diagnostics.find((d) => d.column === c);
    expect(byCol('grossReceipts')).toMatchObject({ file: 'study.yaml', row: 10, value: 'lots', expected: expect.stringContaining('amount of money') });
    expect(byCol('taxpayer.entityType')).toMatchObject({ row: 7, value: 'llc', expected: expect.stringContaining('c_corporation') });
    expect(byCol('elections')).toMatchObject({ value: 'colour', message: expect.stringContaining('unknown key') });
  });

  it('reports a missing required key and YAML syntax errors', () => {
    const r1 = readStudyFolder(folder({ 'study.yaml': YAML_MIN.replace('  name: Test Co\n', '') }));
    expect(r1.diagnostics).toContainEqual(expect.objectContaining({ file: 'study.yaml', column: 'taxpayer.name', message: expect.stringContaining('required') }));
    const r2 = readStudyFolder(folder({ 'study.yaml': 'id: [unclosed\n' }));
    expect(r2.study).toBeUndefined();
    expect(r2.diagnostics[0]).toMatchObject({ file: 'study.yaml', severity: 'error', message: expect.stringContaining('YAML syntax') });
    const r3 = readStudyFolder(join(tmp, 'nope'));
    expect(r3.diagnostics[0]!.message).toMatch(/does not exist/);
  });
});

describe('writeStudyFolder', () => {
  const full: Study = emptyStudy({
    id: 'full',
    firm: { id: 'f1', name: 'Acme CPA' },
    client: { id: 'c1', name: 'Client, Inc.' },
    grossReceipts: cents(150000000),
    history: [{ period: { start: isoDate('2024-01-01'), end: isoDate('2024-12-31') }, qre: cents(100), qreByState: {}, payrollElection: { amount: cents(5) } }],
    employees: [
      { id: 'e1', name: 'Ann "A" Lee', officer: false, wagesBox1: cents(-1), wageAdjustments: [{ amount: cents(-250000), reason: 'box 12 code D; excluded' }], stateWages: {} },
    ],
    time: [{ employeeId: 'e1', activity: 'direct_research', hours: 0.1 + 0.2, location: { country: 'US' }, source: { file: 'a.csv', row: 7 } }],
    components: [{ id: 'c', name: 'x', type: 'process', qualification: 'needs_information', informationSought: 'multi\nline' }],
    taxFacts: { carryforwards: [], payrollTaxes: [{ quarter: '2026-Q1', socialSecurity: cents(1), medicare: cents(2) }] },
    elections: { method: 'asc', section280c: false, section174aCapitalizeMonths: 60, options: {} },
  });

  it('round-trips a study with edge values (negative cents, empty maps, quotes, newlines, float hours)', () => {
    const dir = fresh();
    writeStudyFolder(full, dir);
    const r = readStudyFolder(dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.study).toStrictEqual(full);
    expect(readFileSync(join(dir, 'employees.csv'), 'utf8')).toContain('-0.01');
  });

  it('property: any valid study round-trips through the folder deep-equal', () => {
    fc.assert(
      fc.property(arbitraryStudy, (s) => {
        const dir = fresh();
        writeStudyFolder(s, dir);
        const r = readStudyFolder(dir);
        expect(r.diagnostics).toEqual([]);
        expect(r.study).toStrictEqual(s);
        rmSync(dir, { recursive: true });
      }),
      { numRuns: 150 },
    );
  });
});

describe('docs/study-format.md', () => {
  it('documents every file and every column', async () => {
    const { TABLES } = await import('./tables.js');
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'study-format.md'), 'utf8');
    for (const t of TABLES) {
      expect(doc).toContain(`### ${t.file}`);
      for (const c of t.columns) expect(doc, `${t.file}: ${c.name}`).toContain(`| \`${c.name}\` |`);
    }
  });
});
