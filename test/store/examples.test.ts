import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStudy } from '../../examples/sawtooth-ml/generate.js';
import { dollars, sum } from '../../src/money/cents.js';
import { readStudyFolder, writeStudyFolder } from '../../src/study/folder/index.js';

const EX = resolve(__dirname, '..', '..', 'examples');

describe('example studies', () => {
  it('Gem State Fabrication reads with zero diagnostics and carries the seed article’s figures', () => {
    const r = readStudyFolder(join(EX, 'gem-state-fabrication'));
    expect(r.diagnostics).toEqual([]);
    const s = r.study!;
    expect(s.taxpayer.period).toEqual({ start: '2023-01-01', end: '2023-12-31' });
    // Seed §5.1: A 1,200,000 (wages + supplies, Boise), B 150,000, C 300,000 (Phoenix, AZ), D 350,000; total 2,000,000.
    const wagesOn = (c: string) => sum(s.employees.filter((e) => s.time.some((t) => t.employeeId === e.id && t.componentId === c)).map((e) => e.wagesBox1!));
    const suppliesOn = (c: string) => sum(s.supplies.filter((x) => x.componentId === c).map((x) => x.amount));
    expect(wagesOn('A') + suppliesOn('A')).toBe(dollars(1_200_000));
    expect(suppliesOn('B')).toBe(dollars(150_000));
    expect(wagesOn('D')).toBe(dollars(350_000));
    expect(s.contracts).toHaveLength(1);
    expect(s.contracts[0]).toMatchObject({ amount: dollars(300_000), location: { country: 'US', state: 'AZ' } });
    const total = sum([...s.employees.map((e) => e.wagesBox1!), ...s.supplies.map((x) => x.amount), ...s.contracts.map((c) => c.amount)]);
    expect(total).toBe(dollars(2_000_000));
    // All in-house work in Idaho.
    expect(s.time.every((t) => t.location?.state === 'ID')).toBe(true);
    // Seed §5.2: average Idaho gross receipts of the four preceding years 15,000,000.
    expect(s.history).toHaveLength(4);
    expect(sum(s.history.map((h) => h.grossReceiptsByState!.ID!)) / 4).toBe(dollars(15_000_000));
    expect(s.components.find((c) => c.id === 'A')!.qualification).toBe('qualifies');
    expect(s.components.filter((c) => c.qualification === 'does_not_qualify').map((c) => c.id)).toEqual(['B', 'D']);
    expect(s.grossReceipts).toBeUndefined(); // not given by the article: unknown, not zero
  });

  it('Sawtooth ML reads with zero diagnostics and has the shape the brief asks for', () => {
    const r = readStudyFolder(join(EX, 'sawtooth-ml'));
    expect(r.diagnostics).toEqual([]);
    const s = r.study!;
    expect(s.employees.length).toBeGreaterThanOrEqual(20);
    expect(s.time.length).toBeGreaterThan(2000);
    const homes = new Set(s.employees.map((e) => e.homeLocation?.state));
    expect([...homes].sort()).toEqual(['CA', 'CO', 'ID', 'OR', 'UT', 'WA']);
    // Remote staff worked some weeks in Boise; research compute and production hosting are both present.
    expect(s.time.some((t) => s.employees.find((e) => e.id === t.employeeId)!.homeLocation!.state !== 'ID' && t.location?.state === 'ID')).toBe(true);
    expect(s.computers.some((c) => c.use === 'research')).toBe(true);
    expect(s.computers.some((c) => c.use === 'production' && c.componentId === 'SERVE')).toBe(true);
    expect(s.components.find((c) => c.id === 'LLMAPI')!.qualification).toBe('does_not_qualify');
    expect(s.components.find((c) => c.id === 'SGA')!.qualificationReason).toMatch(/diverged|failed/);
    expect(s.contracts).toHaveLength(1);
  });

  it('the Sawtooth ML CSVs are reproducible from generate.ts byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rdcredit-gen-'));
    try {
      writeStudyFolder(buildStudy(), dir);
      for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(EX, 'sawtooth-ml', f), 'utf8'));
      expect(readStudyFolder(dir).study).toStrictEqual(buildStudy());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
