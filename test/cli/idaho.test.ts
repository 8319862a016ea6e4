/**
 * `rdcredit idaho startup`: the start-up election over yearly study folders through the command
 * line (the figures are the multiyear tests' hand-derived ones: 52,518 without, 66,259 with).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dollars } from '../../src/money/cents.js';
import { isoDate } from '../../src/periods/index.js';
import { readStudyFolder, writeStudyFolder } from '../../src/study/folder/index.js';
import type { Study } from '../../src/study/model.js';

const root = resolve(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'rdcredit-idaho-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const base = readStudyFolder(join(root, 'examples', 'sawtooth-ml')).study!;

function yearStudy(year: number, elected?: boolean): Study {
  const s = structuredClone(base);
  s.id = `sawtooth-ml-${year}`;
  s.taxpayer.period = { start: isoDate(`${year}-01-01`), end: isoDate(`${year}-12-31`) };
  s.history = [1, 2, 3, 4].map((k) => ({
    period: { start: isoDate(`${year - k}-01-01`), end: isoDate(`${year - k}-12-31`) },
    qreByState: { ID: year - k >= 2022 ? dollars(2000000) : dollars(0) },
    grossReceipts: dollars(30000000),
    grossReceiptsByState: { ID: dollars(20000000) },
  }));
  s.baseFacts = {
    firstTaxYearStart: isoDate('1984-01-01'),
    federalStartUp: false,
    idahoBusinessSince: 1984,
    basePeriod: [1984, 1985, 1986, 1987, 1988].map((y) => ({ year: y, idahoQre: dollars(80000), idahoGrossReceipts: dollars(1000000) })),
  };
  s.stateFacts = { ...s.stateFacts, ID: { income_tax: '0', credits_ahead: '0', first_qre_year: '2022' } };
  delete s.elections.idahoStartupElection;
  if (elected !== undefined) s.elections.idahoStartupElection = elected;
  delete s.taxFacts.carryforwards;
  s.taxFacts.carryforwards = [];
  return s;
}

describe('rdcredit idaho startup', () => {
  it('compares the election over the years; a later "not elected" after an election is a problem (exit 1)', () => {
    const dirs = [2022, 2023].map((y) => {
      const d = join(tmp, `y${y}`);
      writeStudyFolder(yearStudy(y), d);
      return d;
    });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'idaho', 'startup', ...dirs], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2022\s+\$52,518\s+\$66,259\s+\$13,741/);
    expect(r.stdout).toMatch(/2023\s+\$52,518\s+\$66,259\s+\$13,741/);
    const e = join(tmp, 'e2022');
    writeStudyFolder(yearStudy(2022, true), e);
    const n = join(tmp, 'n2023');
    writeStudyFolder(yearStudy(2023, false), n);
    const r2 = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'idaho', 'startup', e, n], { cwd: root, encoding: 'utf8' });
    expect(r2.status).toBe(1);
    expect(r2.stdout).toMatch(/problem/);
  }, 120_000);
});
