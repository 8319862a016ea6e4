/**
 * The parallel time import (worker threads over byte ranges) gives exactly the sequential result:
 * same records in the same order, same SHA-256, errors at the same global rows, acceptSkip alike;
 * a split inside a quoted field falls back to the sequential read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/importers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rdcredit-par-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MAP = { time: [{ match: { project: 'P-1*' }, component: 'A', activity: 'direct_research' as const }, { match: { project: 'P-2*' }, component: 'B', activity: 'direct_support' as const }] };

function timeFile(name: string, rows: number, bad: Record<number, string> = {}): string {
  const lines = ['employee_id,date,project,issue,hours,work_state'];
  for (let i = 0; i < rows; i++) {
    const line = i + 2;
    lines.push(bad[line] ?? `E${i % 37},2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},P-${(i % 3) + 1}${i % 5},T-${i % 11},${i % 4 === 0 ? '1:30' : ((i % 9) + 0.25).toString()},${['CA', 'ID', '', 'NY'][i % 4]}`);
  }
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}
const par = { componentMap: MAP, workers: 3, parallelMinBytes: 0 };
const seq = { componentMap: MAP, workers: 1 };

describe('parallel time import', () => {
  it('gives the sequential result exactly (records, order, hash, counts)', async () => {
    const p = timeFile('ok.csv', 20_000);
    const [a, b] = [await importFile(p, par), await importFile(p, seq)];
    expect(a.diagnostics.map((d) => d.message)).toContain('read in 3 parallel workers');
    expect(b.diagnostics.map((d) => d.message)).not.toContain('read in 3 parallel workers');
    expect(a.accepted).toBe(true);
    expect(a.records).toStrictEqual(b.records);
    expect(a.sha256).toBe(b.sha256);
    expect(a.stats.rowsRead).toBe(20_000);
    expect({ ...a.stats, millis: 0 }).toStrictEqual({ ...b.stats, millis: 0 });
  }, 60_000);

  it('reports errors at the same (global) rows, rejects alike, and honours acceptSkip', async () => {
    const p = timeFile('bad.csv', 9_000, { 3: 'E1,2024-13-01,P-10,T,1,CA', 8_500: 'E2,2024-01-01,P-10,T,x,CA' });
    const [a, b] = [await importFile(p, par), await importFile(p, seq)];
    expect(a.accepted).toBe(false);
    expect(a.stats.errorRows).toEqual([3, 8500]);
    expect(a.diagnostics.filter((d) => d.row !== undefined)).toStrictEqual(b.diagnostics.filter((d) => d.row !== undefined));
    const ok = await importFile(p, { ...par, acceptSkip: [3, 8500] });
    expect(ok.accepted).toBe(true);
    expect(ok.records).toStrictEqual((await importFile(p, { ...seq, acceptSkip: [3, 8500] })).records);
  }, 60_000);

  it('a quoted line break at a split point falls back to the sequential read', async () => {
    const rows = ['employee_id,date,project,issue,hours,work_state'];
    // A note with 3,000 line breaks in the middle of the file: the midpoint split lands inside it.
    for (let i = 0; i < 1000; i++) rows.push(i === 500 ? `E1,2024-01-01,P-10,"${Array.from({ length: 3000 }, (_, k) => `line ${k}`).join('\n')}",1,CA` : `E${i % 7},2024-01-01,P-10,"T-${i}",1,CA`);
    const p = join(dir, 'quoted.csv');
    writeFileSync(p, rows.join('\n') + '\n');
    const a = await importFile(p, { ...par, workers: 2 });
    const b = await importFile(p, seq);
    expect(a.diagnostics.map((d) => d.message)).not.toContain('read in 2 parallel workers');
    expect(a.records).toStrictEqual(b.records);
    expect(a.stats.rowsRead).toBe(1000);
  }, 60_000);
});
