import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importFile, listProfiles, detectProfile } from '../../src/importers/index.js';
import { readCsv, type Row } from '../../src/importers/csv.js';
import { parseHoursMs, parseTimestamp, parseDate, MS_PER_HOUR } from '../../src/importers/parse.js';
import { parseTags } from '../../src/importers/cloud.js';

const F = (n: string) => join(__dirname, 'fixtures', n);
const MAP = F('component-map.yaml');
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

async function rowsOf(path: string, opts: Parameters<typeof readCsv>[1] = {}) {
  const out: { line: number; fields: string[] }[] = [];
  const info = await readCsv(path, opts, () => {
    out.length = 0;
    return (r: Row) => out.push({ line: r.line, fields: Array.from({ length: r.count }, (_, i) => r.text(i)) });
  });
  return { rows: out, info };
}

describe('CSV reader', () => {
  it('parses RFC 4180 quoting, CRLF, a BOM and a quoted newline, with physical line numbers', async () => {
    const { rows, info } = await rowsOf(F('toggl-bom.csv'));
    expect(info.bom).toBe(true);
    expect(info.encoding).toBe('utf-8');
    expect(rows[0]!.fields[0]).toBe('User'); // BOM stripped
    expect(rows[1]!.fields[5]).toBe('Try focal loss, then "label smoothing"');
    expect(rows[2]!.fields[5]).toBe('multi\r\nline note');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 5, 6]); // the record on line 3 spans two lines
    expect(info.sha256).toBe(sha(F('toggl-bom.csv')));
  });

  it('reads UTF-16 LE and BE with BOM to the same rows as UTF-8', async () => {
    const u8 = (await rowsOf(F('toggl-bom.csv'))).rows;
    const le = await rowsOf(F('toggl-utf16le.csv'));
    const be = await rowsOf(F('toggl-utf16be.csv'));
    expect(le.info.encoding).toBe('utf-16le');
    expect(be.info.encoding).toBe('utf-16be');
    expect(le.rows).toEqual(u8);
    expect(be.rows).toEqual(u8);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8, and says so', async () => {
    const { rows, info } = await rowsOf(F('harvest-eu-cp1252.csv'));
    expect(info.encoding).toBe('windows-1252');
    expect(info.delimiter).toBe(';');
    expect(info.notes.join()).toMatch(/not valid UTF-8/);
    expect(rows[1]!.fields[5]).toBe('Café test – ‘run 7’'); // 0x96 en dash, 0x91/0x92 curly quotes
    expect(rows[1]!.fields[11]).toBe('Zoé');
  });

  it('restarts in Windows-1252 when invalid UTF-8 appears after the first chunk', async () => {
    const { rows, info } = await rowsOf(F('time-late-cp1252.csv'), { chunkSize: 4096 });
    expect(info.encoding).toBe('windows-1252');
    expect(info.notes.join()).toMatch(/near byte \d+/);
    expect(rows.length).toBe(3002); // header + 3000 + the last row, each delivered once after the restart
    expect(rows[3001]!.fields[3]).toBe('ML-–x');
  });

  it('sniffs tab and semicolon delimiters', async () => {
    expect((await rowsOf(F('clockify.tsv'))).info.delimiter).toBe('\t');
    expect((await rowsOf(F('harvest-eu-cp1252.csv'))).info.delimiter).toBe(';');
  });

  it('gives the same rows whatever the chunk size (property)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csvprop-'));
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r\n', ' ', '7', '😀') as fc.Arbitrary<string>, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 64 }), async (table, chunk) => {
        const text = table.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';
        const p = join(dir, 't.csv');
        writeFileSync(p, text);
        const { rows } = await rowsOf(p, { chunkSize: chunk, delimiter: ',' });
        expect(rows.map((r) => r.fields)).toEqual(table);
      }),
      { numRuns: 150 },
    );
  });
});

describe('field parsers', () => {
  it('hours as decimal, decimal comma, h:mm and h:mm:ss, exactly in milliseconds', () => {
    expect(parseHoursMs('1.5')).toBe(1.5 * MS_PER_HOUR);
    expect(parseHoursMs('1,5', true)).toBe(1.5 * MS_PER_HOUR);
    expect(parseHoursMs('1:30')).toBe(90 * 60_000);
    expect(parseHoursMs('01:30:15')).toBe((90 * 60 + 15) * 1000);
    expect(parseHoursMs('0.01')).toBe(36_000);
    expect(parseHoursMs('1:75')).toMatchObject({ bad: true });
    expect(parseHoursMs('-1')).toMatchObject({ bad: true });
  });
  it('timestamps with offsets give the local date of the work', () => {
    // 23:30 on 31 March in New York is 04:30 UTC on 1 April; the work was on 31 March.
    expect(parseTimestamp('2024-03-31T23:30:00.000-0500')).toMatchObject({ localDate: '2024-03-31', offsetMinutes: -300, epochMs: Date.UTC(2024, 3, 1, 4, 30) });
    expect(parseTimestamp('2024-04-01T00:30:00+02:00')).toMatchObject({ localDate: '2024-04-01' });
    expect(parseTimestamp('2024-04-01T03:00:00Z', -300)).toMatchObject({ localDate: '2024-03-31' });
    expect(parseTimestamp('2024-02-30T00:00:00Z')).toMatchObject({ bad: true });
  });
  it('US, ISO and day-first dates', () => {
    expect(parseDate('3/5/2024', ['us'])).toBe('2024-03-05');
    expect(parseDate('05-03-2024', ['dmy'])).toBe('2024-03-05');
    expect(parseDate('2024-02-29', ['iso'])).toBe('2024-02-29');
    expect(parseDate('2023-02-29', ['iso', 'us'])).toMatchObject({ bad: true, expected: 'a date (YYYY-MM-DD or MM/DD/YYYY)' });
  });
  it('cloud tags: JSON object, key/value list, brace-less Azure text', () => {
    expect(parseTags('{" Environment":"dev","user_cost-center":"R&D"}')).toEqual({ environment: 'dev', cost_center: 'R&D' });
    expect(parseTags('[{"key":"env","value":"prod"}]')).toEqual({ env: 'prod' });
    expect(parseTags('"env": "prod", "team": "ml"')).toEqual({ env: 'prod', team: 'ml' });
    expect(parseTags('not tags')).toBeUndefined();
  });
});

describe('profiles', () => {
  it('every YAML profile loads and is found by its own detect headers', () => {
    const ps = listProfiles();
    expect(ps.length).toBeGreaterThanOrEqual(20);
    for (const p of ps) expect(detectProfile(p.detect.all, { ...(p.detect.delimiter ? { delimiter: p.detect.delimiter } : {}) })?.profile.id).toBe(p.id);
  });
  it('the delimiter separates Harvest US from Harvest EU', () => {
    const h = ['Date', 'Client', 'Project', 'Task', 'Hours', 'First Name', 'Last Name'];
    expect(detectProfile(h, { delimiter: ',' })?.profile.id).toBe('harvest-detailed');
    expect(detectProfile(h, { delimiter: ';' })?.profile.id).toBe('harvest-detailed-eu');
  });
});

describe('time importers', () => {
  it('Toggl (BOM, HH:MM:SS, loc: tags) aggregates to employee × component × activity × location × month', async () => {
    const r = await importFile(F('toggl-bom.csv'), { componentMap: MAP });
    expect(r.profile).toBe('toggl-detailed');
    expect(r.accepted).toBe(true);
    expect(r.sha256).toBe(sha(F('toggl-bom.csv')));
    expect(r.records.time.map((t) => [t.employeeId, t.date, t.componentId, t.activity, t.location?.state, t.hours, t.experimentation])).toEqual([
      ['ana@acme.test', '2024-03-01', 'vision', 'direct_research', 'CA', 3, true], // 1:30 + 1:30 (the second crosses midnight, counted on its start date)
      ['ana@acme.test', '2024-04-01', 'vision', 'direct_research', 'NY', 0.25, true],
      ['bo@acme.test', '2024-03-01', undefined, 'non_qualified', undefined, 8, undefined],
    ]);
    expect(r.diagnostics.find((d) => d.severity === 'warning')?.message).toMatch(/no component rule matches "Billing Portal".*8 h/);
  });

  it('UTF-16 files give the same records as UTF-8', async () => {
    const a = await importFile(F('toggl-bom.csv'), { componentMap: MAP });
    const b = await importFile(F('toggl-utf16le.csv'), { componentMap: MAP });
    const strip = (x: typeof a) => x.records.time.map(({ source, ...t }) => t);
    expect(strip(b)).toEqual(strip(a));
    expect(b.encoding).toBe('utf-16le');
  });

  it('Harvest EU: Windows-1252, semicolons, decimal commas, day-first dates; the fallback is a warning', async () => {
    const r = await importFile(F('harvest-eu-cp1252.csv'), { componentMap: MAP });
    expect(r.profile).toBe('harvest-detailed-eu');
    expect(r.records.time).toMatchObject([{ employeeId: 'Zoé Martin', date: '2024-03-01', hours: 3.75, componentId: 'vision' }]);
    expect(r.diagnostics.some((d) => d.severity === 'warning' && /Windows-1252/.test(d.message))).toBe(true);
  });

  it('Clockify (tab-separated, US dates, decimal duration)', async () => {
    const r = await importFile(F('clockify.tsv'), { componentMap: MAP });
    expect(r.profile).toBe('clockify-detailed');
    expect(r.records.time).toMatchObject([{ employeeId: 'ana@acme.test', date: '2024-03-01', hours: 1.5 }]);
  });

  it('Jira worklogs JSON: offsets decide the month of the work, seconds are summed', async () => {
    const r = await importFile(F('jira-worklogs.json'), { componentMap: MAP });
    expect(r.profile).toBe('jira-worklogs-json');
    expect(r.records.time.map((t) => [t.employeeId, t.date, t.componentId ?? null, t.location?.state ?? null, t.hours])).toEqual([
      ['acc-ana', '2024-03-01', 'vision', 'CA', 1.5], // 23:30 −05:00 on 31 March is 1 April UTC, but the work was in March
      ['acc-ana', '2024-04-01', 'vision', 'CA', 0.5], // 00:30 +02:00 on 1 April is 31 March UTC, but the work was in April
      ['acc-bo', '2024-03-01', null, null, 1],
    ]);
  });

  it('bad rows: every problem has file, row, column, value, expected; no records unless the caller accepts those rows', async () => {
    const r = await importFile(F('time-bad.csv'), { componentMap: MAP });
    expect(r.accepted).toBe(false);
    expect(r.records.time).toEqual([]);
    expect(r.stats.errorRows).toEqual([3, 4, 5]);
    const errs = r.diagnostics.filter((d) => d.severity === 'error' && d.row !== undefined);
    expect(errs.map((d) => [d.file, d.row, d.column, d.value])).toEqual([
      ['time-bad.csv', 3, 'date', '2024-13-01'],
      ['time-bad.csv', 4, 'work_state', 'ZZ'],
      ['time-bad.csv', 5, 'hours', 'abc'],
    ]);
    expect(errs.every((d) => d.expected && d.expected.length > 3)).toBe(true);

    const partial = await importFile(F('time-bad.csv'), { componentMap: MAP, acceptSkip: [3, 4] });
    expect(partial.accepted).toBe(false);
    expect(partial.records.time).toEqual([]);

    const ok = await importFile(F('time-bad.csv'), { componentMap: MAP, acceptSkip: [3, 4, 5] });
    expect(ok.accepted).toBe(true);
    expect(ok.stats.rowsSkipped).toBe(3);
    expect(ok.records.time.map((t) => [t.employeeId, t.date, t.location?.state, t.hours])).toEqual([
      ['E1', '2024-01-01', 'CA', 1.5],
      ['E2', '2024-01-01', 'NY', 0.25],
    ]);
    expect(ok.diagnostics.filter((d) => d.row !== undefined).every((d) => d.severity === 'warning')).toBe(true);
  });

  it('the same file imported twice gives identical output; progress reaches the file size', async () => {
    const seen: [number, number][] = [];
    const a = await importFile(F('toggl-bom.csv'), { componentMap: MAP, onProgress: (b, t) => seen.push([b, t]) });
    const b = await importFile(F('toggl-bom.csv'), { componentMap: MAP });
    a.stats.millis = b.stats.millis = 0;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const size = readFileSync(F('toggl-bom.csv')).length;
    expect(seen.at(-1)).toEqual([size, size]);
  });

  it('XLSX via the streaming reader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
    const p = join(dir, 'time.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Time');
    ws.addRow(['employee_id', 'date', 'project', 'issue', 'hours', 'work_state']);
    ws.addRow(['E1', new Date(Date.UTC(2024, 4, 31)), 'PRJ-01', 'ML-1', 2.5, 'TX']);
    ws.addRow(['E1', '2024-05-01', 'PRJ-01', 'ML-2', '1:30', 'TX']);
    await wb.xlsx.writeFile(p);
    const r = await importFile(p, { componentMap: MAP });
    expect(r.profile).toBe('rdcredit-time');
    expect(r.sha256).toBe(sha(p));
    expect(r.records.time).toMatchObject([{ employeeId: 'E1', date: '2024-05-01', hours: 4, location: { country: 'US', state: 'TX' }, componentId: 'vision' }]);
    // A workbook saved without its extension is still read as one (not as an mlruns ZIP).
    const bare = join(dir, 'time-export');
    writeFileSync(bare, readFileSync(p));
    const b = await importFile(bare, { componentMap: MAP });
    expect(b.profile).toBe('rdcredit-time');
    expect(b.records.time).toStrictEqual(r.records.time.map((t) => ({ ...t, source: { ...t.source, file: 'time-export' } })));
  });
});

describe('payroll', () => {
  it('W-2 template: state lines, box 1 consistency, state lines above box 1 flagged', async () => {
    const r = await importFile(F('w2.csv'));
    expect(r.accepted).toBe(false);
    const e = r.diagnostics.find((d) => d.row === 5)!;
    expect(e).toMatchObject({ column: 'box1_wages', value: '80000.20', severity: 'error' });
    const ok = await importFile(F('w2.csv'), { acceptSkip: [5] });
    expect(ok.records.employees).toEqual([
      expect.objectContaining({ id: 'E1', wagesBox1: 15_000_000, stateWages: { NJ: 15_000_000, NY: 15_000_000 }, homeLocation: { country: 'US', state: 'NY' } }),
      expect.objectContaining({ id: 'E2', wagesBox1: 8_000_010, stateWages: { CA: 8_000_010 } }),
    ]);
    expect(ok.diagnostics.some((d) => /state wage lines .* exceed box 1/.test(d.message))).toBe(true);
  });

  it('Gusto journal: check dates decide the year; a file spanning years needs the year option', async () => {
    const r = await importFile(F('gusto-journal.csv'));
    expect(r.profile).toBe('gusto-payroll-journal');
    expect(r.accepted).toBe(false);
    expect(r.diagnostics.some((d) => /spans check-date years 2024, 2025/.test(d.message))).toBe(true);
    const y = await importFile(F('gusto-journal.csv'), { year: 2024 });
    expect(y.records.employees.map((e) => [e.id, e.wagesBox1, e.homeLocation?.state])).toEqual([
      ['E1', 1_000_000, 'CA'],
      ['E2', -10_000, 'NY'],
    ]);
    expect(y.stats.rowsExcluded).toBe(1);
  });
});

describe('ledger and contractors', () => {
  it('QuickBooks Online GL: banners skipped, account carried from section rows, totals dropped, accounts mapped', async () => {
    const r = await importFile(F('qbo-gl.csv'), { componentMap: MAP });
    expect(r.profile).toBe('qbo-general-ledger');
    expect(r.accepted).toBe(true);
    expect(r.records.supplies.map((s) => [s.glAccount, s.amount, s.date, s.componentId, s.source?.row])).toEqual([
      ['6100 Lab Supplies', 125_000, '2024-03-02', 'vision', 7],
      ['6100 Lab Supplies', -5_000, '2024-03-09', 'vision', 8],
    ]);
    expect(r.records.contracts).toMatchObject([{ payee: 'Deep Labs LLC', amount: 2_000_000, paidDate: '2024-04-01', componentId: 'vision' }]);
    expect(r.stats.rowsExcluded).toBe(5); // three "Total for" rows, TOTAL, and the ignored rent line
  });

  it('Xero GL detail: debit − credit, day-first dates', async () => {
    const r = await importFile(F('xero-gl.csv'), { componentMap: MAP });
    expect(r.records.supplies.map((s) => [s.amount, s.date])).toEqual([
      [30_000, '2024-03-15'],
      [-4_550, '2024-03-16'],
    ]);
  });

  it('1099 contractors: work state is the location; a missing one is a warning, never the mailing state', async () => {
    const r = await importFile(F('contractors-1099.csv'), { componentMap: MAP });
    expect(r.records.contracts.map((c) => [c.payee, c.amount, c.location?.state, c.componentId])).toEqual([
      ['Deep Labs LLC', 1_200_000, 'CA', 'vision'],
      ['Jo Freelance', 300_000, undefined, undefined],
    ]);
    expect(r.diagnostics.find((d) => d.row === 3)?.message).toMatch(/mailing state TX/);
  });
});

describe('cloud bills', () => {
  it('FOCUS: tag rules decide component and use, tax left out, credits separate, untagged spend is mixed with an unknown share', async () => {
    const r = await importFile(F('focus.csv'), { componentMap: MAP });
    expect(r.profile).toBe('focus-1');
    expect(r.records.computers.map((c) => [c.componentId ?? null, c.use, c.date, c.amount, c.researchShare ?? null])).toEqual([
      [null, 'production', '2024-09-01', 3_000, null],
      ['vision', 'research', '2024-09-01', -2_000, null], // the credit, kept apart
      ['vision', 'research', '2024-09-01', 15_010, null], // 100.10 + 50.00 (" environment" key normalised)
      [null, 'mixed', '2024-10-01', 1_234, null],
    ]);
    expect(r.stats.rowsExcluded).toBe(1);
  });
  it('Azure EA with brace-less tags, legacy CUR with tag columns', async () => {
    const a = await importFile(F('azure-ea.csv'), { componentMap: MAP });
    expect(a.records.computers).toMatchObject([{ vendor: 'Azure', use: 'research', componentId: 'vision', amount: 1_050, date: '2024-09-01' }]);
    const c = await importFile(F('cur-legacy.csv'), { componentMap: MAP });
    expect(c.profile).toBe('aws-cur-legacy');
    expect(c.records.computers).toMatchObject([{ vendor: 'AWS', use: 'production', amount: 500 }]);
  });
});

describe('evidence', () => {
  it('MLflow runs/search JSON: failed and finished runs, metrics, parent run, component by tag', async () => {
    const r = await importFile(F('mlflow-runs.json'), { componentMap: MAP });
    expect(r.kind).toBe('mlflow');
    expect(r.records.evidence.map((e) => [e.id, e.status, e.date, e.componentId ?? null, e.author])).toEqual([
      ['r1', 'finished', '2024-03-08', 'vision', 'ana'],
      ['r2', 'failed', '2024-03-09', null, 'ana'],
    ]);
    expect(r.records.evidence[0]!.details['metric.val/loss']).toBe('0.42');
    expect(r.records.evidence[1]!.details).toMatchObject({ parent_run: 'r0', note: 'no metrics logged' });
  });

  it('mlruns directory: integer status 4 = failed, latest metric value, experiment name from meta.yaml', async () => {
    const r = await importFile(F('mlruns'), { componentMap: MAP });
    expect(r.records.evidence.map((e) => [e.id, e.title, e.status, e.componentId, e.date])).toEqual([
      ['aaa111', 'crashed-run', 'failed', 'vision', '2020-09-13'],
      ['bbb222', 'bbb222', 'finished', 'vision', '2020-09-13'],
    ]);
    expect(r.records.evidence[1]!.details).toMatchObject({ 'metric.val/loss': '0.5', 'param.lr': '0.01', git_commit: 'abc1234', experiment: 'vision-sweeps' });
    const again = await importFile(F('mlruns'), { componentMap: MAP });
    expect(again.sha256).toBe(r.sha256);
  });

  it('git log: reverted commits, co-authors, numstat, bots, local author dates', async () => {
    const r = await importFile(F('git.log'), { componentMap: MAP });
    expect(r.kind).toBe('git');
    expect(r.sha256).toBe(sha(F('git.log')));
    expect(r.records.evidence.map((e) => [e.id.slice(0, 7), e.status, e.date, e.componentId ?? null])).toEqual([
      ['1111111', 'reverted', '2024-03-31', 'vision'],
      ['2222222', 'revert', '2024-04-02', 'vision'],
      ['3333333', 'committed', '2024-04-03', null],
    ]);
    expect(r.records.evidence[0]!.details).toMatchObject({ co_authors: 'Bo <bo@acme.test>', files_changed: '1', reverted_by: '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' });
    expect(r.records.evidence[2]!.details.bot).toBe('true');
  });
});
