/** Sheet helpers for the workpapers: formats, a row writer with source references, unique sheet names. */
import type ExcelJS from 'exceljs';
import type { LedgerEntry } from '../../evidence/ledger.js';
import type { SourceRef } from '../../study/model.js';

export const FMT = {
  /** Detail amounts: dollars and cents. */
  cents: '#,##0.00;(#,##0.00);0.00',
  /** Form lines: whole dollars. */
  dollars: '#,##0;(#,##0);0',
  rate: '0.00##%',
  hours: '#,##0.00',
  count: '#,##0',
  /** Flags are 1/0 so formulas can read them; they print Yes/No. */
  flag: '"Yes";"Yes";"No"',
} as const;

export const UNKNOWN = 'unknown';
export const NA = 'n/a';

/** A cell: a value, or a formula with the engine's value as its cached result. */
export type Cell =
  | { v: string | number | null; fmt?: string; bold?: boolean; link?: string; wrap?: boolean }
  | { f: string; result: string | number; fmt?: string; bold?: boolean };

export const val = (v: string | number | null | undefined, fmt?: string): Cell => ({ v: v ?? null, ...(fmt ? { fmt } : {}) });
export const txt = (v: string | undefined): Cell => ({ v: v ?? null });
export const money = (c: number | null | undefined, fmt: string = FMT.cents): Cell => (c === null || c === undefined ? { v: UNKNOWN } : { v: c / 100, fmt });
export const formula = (f: string, result: string | number, fmt?: string): Cell => ({ f, result, ...(fmt ? { fmt } : {}) });

/** Column letter of a 1-based index. */
export function col(n: number): string {
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A sheet name Excel accepts (≤ 31 characters, none of []:*?/\), unique in the workbook. */
export function sheetName(wb: ExcelJS.Workbook, wanted: string): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).trim() || 'Sheet';
  let name = base;
  for (let i = 2; wb.worksheets.some((w) => w.name.toLowerCase() === name.toLowerCase()); i++) name = `${base.slice(0, 27)} (${i})`;
  return name;
}

/** 'Form 6765'!C12 style reference. */
export function qref(sheet: string, cell: string): string {
  return `'${sheet.replace(/'/g, "''")}'!${cell}`;
}

export interface ColumnSpec {
  header: string;
  width: number;
}

/**
 * Writes one sheet in the workpaper layout: title (row 1), subtitle (row 2), note (row 3),
 * column headers (row 4, frozen with the first column), data from row 5.
 */
export class SheetWriter {
  readonly ws: ExcelJS.Worksheet;
  row = 5;
  static readonly HEADER_ROW = 4;

  constructor(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, columns: ColumnSpec[], note?: string) {
    this.ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 1, ySplit: SheetWriter.HEADER_ROW }] });
    this.ws.columns = columns.map((c) => ({ width: c.width }));
    this.ws.getCell('A1').value = title;
    this.ws.getCell('A1').font = { bold: true, size: 13 };
    this.ws.getCell('A2').value = subtitle;
    this.ws.getCell('A2').font = { italic: true };
    if (note) this.ws.getCell('A3').value = note;
    const h = this.ws.getRow(SheetWriter.HEADER_ROW);
    columns.forEach((c, i) => {
      const cell = h.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
      cell.border = { bottom: { style: 'thin' } };
      cell.alignment = { wrapText: true, vertical: 'top' };
    });
    this.ws.autoFilter = { from: { row: SheetWriter.HEADER_ROW, column: 1 }, to: { row: SheetWriter.HEADER_ROW, column: columns.length } };
  }

  /** Writes a row; returns its number. */
  add(cells: (Cell | undefined)[], opts: { bold?: boolean; topBorder?: boolean } = {}): number {
    const r = this.ws.getRow(this.row);
    cells.forEach((c, i) => {
      if (!c) return;
      const cell = r.getCell(i + 1);
      if ('f' in c) cell.value = { formula: c.f, result: c.result } as ExcelJS.CellFormulaValue;
      else if (c.link && typeof c.v === 'string') cell.value = { text: c.v, hyperlink: c.link };
      else cell.value = c.v;
      if (c.fmt) cell.numFmt = c.fmt;
      if (c.bold || opts.bold) cell.font = { bold: true };
      if ('wrap' in c && c.wrap) cell.alignment = { wrapText: true, vertical: 'top' };
      if (!('f' in c) && c.v === UNKNOWN) cell.font = { italic: true, color: { argb: 'FFB00020' } };
      if (opts.topBorder) cell.border = { top: { style: 'thin' } };
    });
    return this.row++;
  }

  skip(n = 1): void {
    this.row += n;
  }
}

/** "payroll.csv row 12 · ledger #3" from a SourceRef, with the ledger entry found by SHA-256. */
export function sourceText(s: SourceRef | undefined, ledger: ReadonlyMap<string, LedgerEntry>, extra?: string, record?: string): string {
  const parts: string[] = record ? [record] : [];
  if (s?.file) parts.push(`${s.file}${s.row !== undefined ? ` row ${s.row}` : ''}`);
  else if (s?.row !== undefined) parts.push(`row ${s.row}`);
  if (s?.sha256) {
    const e = ledger.get(s.sha256);
    parts.push(e ? `ledger #${e.seq} (${s.sha256.slice(0, 12)}…)` : `sha256 ${s.sha256.slice(0, 12)}… (not in the ledger)`);
  }
  if (extra) parts.push(extra);
  if (s?.note) parts.push(s.note);
  return parts.join(' · ');
}
