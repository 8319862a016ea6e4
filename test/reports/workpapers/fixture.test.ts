import ExcelJS from 'exceljs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, sha256Hex, type LedgerEntry } from '../../../src/evidence/ledger.js';
import { loadLaw } from '../../../src/law/index.js';
import { cents } from '../../../src/money/cents.js';
import { writeWorkpapers } from '../../../src/reports/workpapers/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import type { StudyResult } from '../../../src/study/compute/result.js';
import { readStudyFolder } from '../../../src/study/folder/index.js';
import { WorkbookEvaluator } from './excel-eval.js';

const law = loadLaw();

function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  for (let r = 5; r <= ws.rowCount; r++) out.push((ws.getRow(r).values as unknown[]).slice(1));
  return out;
}

describe('workpapers from a hand-built result (employees, states, engine schedules, evidence)', () => {
  it('writes employee formulas, unknown cells and engine schedules with live totals', async () => {
    const { study } = readStudyFolder(resolve(__dirname, '..', '..', '..', 'examples', 'gem-state-fabrication'));
    const base = computeStudy(law, study!);
    const payroll = new TextEncoder().encode('id,wages\nGSF-101,140000\n');
    const sha = sha256Hex(payroll);
    const f = { seq: 1, receivedAt: '2024-02-01T00:00:00Z', name: 'w2.csv', kind: 'w2', sha256: sha, size: payroll.byteLength, prevHash: GENESIS_HASH };
    const ledger: LedgerEntry[] = [{ ...f, hash: entryHash(f) }];
    const s = { ...study!, employees: study!.employees.map((e, i) => (i === 0 ? { ...e, source: { file: 'w2.csv', sha256: sha, row: 2 } } : e)) };
    s.evidence = [{ id: 'EV-1', kind: 'lab_notebook', title: 'Coating trial log', sha256: sha, claimedDate: '2023-03-02' as never, componentIds: ['A'], employeeIds: ['GSF-101'] }];
    const result: StudyResult = {
      ...base,
      employees: [
        { id: 'GSF-101', name: 'Engineer A1', officer: false, wages: 14000000, qualifiedShare: '0.85', qualifiedWages: 11900000, hours: { direct_research: 2080 }, hoursByState: { ID: 2080 }, basis: 'time entries' },
        { id: 'GSF-102', name: 'Engineer A2', officer: true, wages: null, qualifiedShare: null, qualifiedWages: null, hours: {}, hoursByState: {}, basis: 'estimate' },
      ],
      qre: { ...base.qre, byState: { ID: { wages: cents(100000000), supplies: cents(20000000), computers: cents(0), contract: cents(0), total: cents(120000000) }, AZ: { wages: cents(0), supplies: cents(0), computers: cents(0), contract: cents(19500000), total: cents(19500000) } } },
      schedules: {
        s174: {
          id: 's174',
          title: '§174 amounts by year',
          citation: [{ title: '26 U.S.C. § 174' }],
          columns: [
            { key: 'year', label: 'Year', kind: 'text' },
            { key: 'capitalized', label: 'Capitalised', kind: 'money' },
            { key: 'amortized', label: 'Amortised', kind: 'money' },
          ],
          rows: [
            { cells: { year: '2023', capitalized: 150000000, amortized: 15000000 }, source: 'rule us.federal.irc174.schedule' },
            { cells: { year: '2024', capitalized: null, amortized: 30000000 } },
          ],
          totals: { capitalized: null, amortized: 45000000 },
        },
      },
    };
    const bytes = await writeWorkpapers(result, s, { law, ledger, preparedBy: 'Example CPA LLP' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ev = new WorkbookEvaluator(wb);
    for (const f of ev.allFormulas()) expect(f.computed, `${f.sheet}!${f.addr} ${f.formula}`).toEqual(f.cached ?? 0);

    const emp = wb.getWorksheet('QREs by employee')!;
    // 140,000.00 × 0.85 = 119,000.00, written as a formula over the wage and share cells
    expect(emp.getCell('H5').value).toMatchObject({ formula: 'ROUND(F5*G5,2)' });
    expect(ev.get('QREs by employee', 'H5')).toBe(119000);
    expect(emp.getCell('F6').value).toBe('unknown');
    expect(ev.get('QREs by employee', 'H7')).toBe('unknown'); // a total over an unknown is unknown, not a partial sum
    expect(String(emp.getCell('K5').value)).toMatch(/w2\.csv row 2 · ledger #1/);

    const st = wb.getWorksheet('QREs by state')!;
    expect(sheetRows(st).map((r) => r[0]).slice(0, 3)).toEqual(['AZ', 'ID', 'Total']);
    expect(ev.get('QREs by state', 'F7')).toBe(1395000);

    const s174 = wb.getWorksheet('§174 amounts by year')!;
    expect(s174.getCell('B6').value).toBe('unknown');
    expect(ev.get('§174 amounts by year', 'B7')).toBe('unknown');
    expect(ev.get('§174 amounts by year', 'C7')).toBe(450000);
    ev.set('§174 amounts by year', 'C6', 310000);
    expect(ev.get('§174 amounts by year', 'C7')).toBe(460000);

    const evd = wb.getWorksheet('Evidence')!;
    expect(evd.getCell('F5').value).toBe(sha);
    expect(evd.getCell('G5').value).toBe(1);

    const cover = wb.getWorksheet('Cover')!;
    const text = sheetRows(cover).flat().map((x) => (typeof x === 'object' && x && 'text' in x ? (x as { text: string }).text : String(x))).join('\n');
    for (const name of ['Form 6765', 'Idaho Form 67', 'QREs by employee', 'Contract research', '§174 amounts by year', 'Parameters']) expect(text).toContain(name);
    expect(text).toContain('Example CPA LLP');
    expect(text).toContain('history.TY2022.qre'); // the missing list
  }, 60_000);
});
