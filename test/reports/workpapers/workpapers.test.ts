import ExcelJS from 'exceljs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLaw } from '../../../src/law/index.js';
import type { Cents } from '../../../src/money/cents.js';
import { writeWorkpapers } from '../../../src/reports/workpapers/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import type { StudyResult } from '../../../src/study/compute/result.js';
import { readStudyFolder } from '../../../src/study/folder/index.js';
import type { Study } from '../../../src/study/model.js';
import { WorkbookEvaluator, type XV } from './excel-eval.js';

const root = resolve(__dirname, '..', '..', '..');
const law = loadLaw();

function load(name: string): { study: Study; result: StudyResult } {
  const { study, diagnostics } = readStudyFolder(resolve(root, 'examples', name));
  if (!study) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return { study, result: computeStudy(law, study) };
}

async function book(result: StudyResult, study: Study): Promise<ExcelJS.Workbook> {
  const bytes = await writeWorkpapers(result, study, { law, preparedAt: '2026-03-01' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** Address of the amount cell of a form line (column A holds the line, C the amount). */
function lineAddr(wb: ExcelJS.Workbook, sheet: string, line: string): string {
  const ws = wb.getWorksheet(sheet)!;
  for (let r = 5; r <= ws.rowCount; r++) if (ws.getCell(`A${r}`).value === line) return `C${r}`;
  throw new Error(`line ${line} not on ${sheet}`);
}

function dollars(v: Cents | unknown): number {
  return (v as number) / 100;
}

function near(a: XV, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
  return a === b;
}

describe.each(['gem-state-fabrication', 'sawtooth-ml'])('workpapers of %s', (name) => {
  let wb: ExcelJS.Workbook;
  let study: Study;
  let result: StudyResult;
  beforeAll(async () => {
    ({ study, result } = load(name));
    wb = await book(result, study);
  }, 60_000);

  it('every formula recomputes to the value the engine cached in it', () => {
    const ev = new WorkbookEvaluator(wb);
    const all = ev.allFormulas();
    expect(all.length).toBeGreaterThan(20);
    // exceljs reads a cached result of 0 back as undefined (the file holds <v>0</v>)
    const off = all.filter((f) => !near(f.computed, f.cached ?? 0));
    expect(off).toEqual([]);
  });

  it('the form sheets recompute to the engine totals, line by line', () => {
    const ev = new WorkbookEvaluator(wb);
    for (const [key, sheet] of [['f6765', 'Form 6765'], ['id67', 'Idaho Form 67']] as const) {
      const f = result.forms[key];
      if (!f) continue;
      for (const [line, v] of Object.entries(f.lines)) {
        const got = ev.get(sheet, lineAddr(wb, sheet, line));
        if (v.kind === 'unknown') expect(got, `${sheet} line ${line}`).toBe('unknown');
        else if (v.kind === 'na') expect(got, `${sheet} line ${line}`).toBe('n/a');
        else if (f.kinds[line] === 'money') expect(got, `${sheet} line ${line}`).toBeCloseTo(dollars(v.value), 2);
      }
    }
  });

  it('totals and every calc line whose inputs are on the sheet are formulas; lines with no calc are values', () => {
    const ws = wb.getWorksheet('Form 6765')!;
    const isFormula = (line: string) => typeof ws.getCell(lineAddr(wb, 'Form 6765', line)).value === 'object' && ws.getCell(lineAddr(wb, 'Form 6765', line)).value !== null && 'formula' in (ws.getCell(lineAddr(wb, 'Form 6765', line)).value as object);
    expect(isFormula('48')).toBe(true);
    expect(isFormula('47')).toBe(true);
    expect(isFormula('42')).toBe(false);
    expect(isFormula('43')).toBe(false);
    expect(ws.getCell(lineAddr(wb, 'Form 6765', '48')).numFmt).toBe('#,##0;(#,##0);0');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
  });

  it('detail sheets show cents, carry a source on every row and tie to the engine', () => {
    const ev = new WorkbookEvaluator(wb);
    for (const sheet of ['Supplies', 'Contract research', 'Cloud and computers']) {
      const ws = wb.getWorksheet(sheet)!;
      let rows = 0;
      for (let r = 5; r <= ws.rowCount; r++) {
        const a = ws.getCell(`A${r}`).value;
        if (a === 'Total') break;
        if (a === null) continue;
        rows++;
        expect(String(ws.getCell(`${sheet === 'Contract research' ? 'K' : 'J'}${r}`).value ?? '').length, `${sheet} row ${r} source`).toBeGreaterThan(0);
      }
      expect(rows).toBe(sheet === 'Supplies' ? study.supplies.length : sheet === 'Contract research' ? study.contracts.length : study.computers.length);
      // the "Difference (should be 0)" row evaluates to 0 when the engine's category is known
      for (let r = 5; r <= ws.rowCount; r++)
        if (ws.getCell(`A${r}`).value === 'Difference (should be 0)') {
          const c = sheet === 'Contract research' ? 'I' : 'H';
          const d = ev.get(sheet, `${c}${r}`);
          expect(d === 'unknown' || Math.abs(d as number) < 0.005, `${sheet} difference ${String(d)}`).toBe(true);
        }
    }
  });
});

describe('changing a cell recomputes the workbook', () => {
  it('Sawtooth ML: $1,000 more wages on line 42 moves QREs by $1,000 and the ASC by $140 (14%)', async () => {
    const { study, result } = load('sawtooth-ml');
    const wb = await book(result, study);
    const ev = new WorkbookEvaluator(wb);
    const F = 'Form 6765';
    const before = (l: string) => ev.get(F, lineAddr(wb, F, l)) as number;
    const l42 = before('42');
    const [b48, b24, b28] = [before('48'), before('24'), before('28')];
    expect(b28).toBe(dollars((result.forms.f6765!.lines['28'] as { value: Cents }).value));
    ev.set(F, lineAddr(wb, F, '42'), l42 + 1000);
    expect(before('48')).toBe(b48 + 1000);
    expect(before('20')).toBe(b48 + 1000);
    expect(before('24')).toBe(b24 + 140);
    expect(before('28')).toBe(b28 + 140);
    // the cover's summary refers to line 28
    const cover = wb.getWorksheet('Cover')!;
    let addr = '';
    cover.eachRow((row, r) => {
      if (row.getCell(1).value === 'Federal research credit (current year)') addr = `B${r}`;
    });
    expect(ev.get('Cover', addr)).toBe(b28 + 140);
  }, 60_000);

  it('Sawtooth ML: a contract amount changes its 65% applicable amount and the sheet total', async () => {
    const { study, result } = load('sawtooth-ml');
    const wb = await book(result, study);
    const ev = new WorkbookEvaluator(wb);
    const S = 'Contract research';
    // CTR-1 Kernelworks: 184,000.00 × 65% = 119,600.00 (contracts.csv; §41(b)(3)(A))
    expect(ev.get(S, 'I5')).toBeCloseTo(119600, 2);
    ev.set(S, 'F5', 200000);
    expect(ev.get(S, 'I5')).toBeCloseTo(130000, 2);
    expect(ev.get(S, 'I6')).toBeCloseTo(130000, 2); // total row
  }, 60_000);

  it('Gem State: Idaho line 4 up $10,000 → line 8 +10,000, line 13 +5,000, line 16 +500 (5% of the excess)', async () => {
    const { study, result } = load('gem-state-fabrication');
    const wb = await book(result, study);
    const ev = new WorkbookEvaluator(wb);
    const S = 'Idaho Form 67';
    const g = (l: string) => ev.get(S, lineAddr(wb, S, l)) as number;
    // seed article Table IV: 1,200,000 QREs, base 750,000, excess 450,000, credit 22,500
    expect([g('8'), g('11'), g('12'), g('13'), g('16')]).toEqual([1200000, 750000, 450000, 600000, 22500]);
    ev.set(S, lineAddr(wb, S, '4'), g('4') + 10000);
    expect([g('8'), g('12'), g('13'), g('14'), g('16')]).toEqual([1210000, 460000, 605000, 460000, 23000]);
  }, 60_000);

  it('Gem State: entering the missing federal facts completes the regular credit (unknown until then, never 0)', async () => {
    const { study, result } = load('gem-state-fabrication');
    const wb = await book(result, study);
    const ev = new WorkbookEvaluator(wb);
    const F = 'Form 6765';
    const g = (l: string) => ev.get(F, lineAddr(wb, F, l));
    expect(g('8')).toBe('unknown');
    expect(g('13')).toBe('unknown');
    ev.set(F, lineAddr(wb, F, '6'), 0.05);
    ev.set(F, lineAddr(wb, F, '7'), 10_000_000);
    // line 8 = 5% × 10,000,000; line 9 = 1,395,000 − 500,000; line 10 = 50% × 1,395,000; line 11 the smaller
    expect([g('8'), g('9'), g('10'), g('11'), g('12')]).toEqual([500000, 895000, 697500, 697500, 697500]);
    expect(g('13')).toBe('unknown'); // item A (the §280C election) is not decided yet
    ev.set(F, lineAddr(wb, F, 'A'), 0);
    expect(g('13')).toBe(139500); // 20% × 697,500
    ev.set(F, lineAddr(wb, F, 'A'), 1);
    expect(g('13')).toBe(110205); // 15.8% × 697,500 = 110,205
  }, 60_000);
});
