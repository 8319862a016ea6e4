/**
 * Forms as CSV (RFC 4180, CRLF line ends, every field quoted when needed): one file for the
 * form's lines and one for each table (Section G, Form 8974 quarters, a schedule).
 */
import type { Schedule } from '../study/compute/result.js';
import { cellValue } from './format.js';
import type { PrintedForm } from './model.js';

export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: (string | number | boolean | null | undefined)[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * A table as CSV: a header of column labels, one row per schedule row (money in whole dollars;
 * unknown cells are the word "unknown", never empty), the totals row, and the source column.
 */
export function renderTableCsv(t: Schedule): string {
  const header = [...t.columns.map((c) => c.label), 'Source'];
  const val = (c: Schedule['columns'][number], v: Schedule['rows'][number]['cells'][string] | undefined) => {
    const x = cellValue(c, v);
    return v === undefined ? '' : x === null ? 'unknown' : x;
  };
  const rows = t.rows.map((r) => [...t.columns.map((c) => val(c, r.cells[c.key])), r.source ?? '']);
  if (t.totals) rows.push([...t.columns.map((c, i) => (t.totals![c.key] !== undefined ? val(c, t.totals![c.key]) : i === 0 ? 'Total' : '')), '']);
  return csv([header, ...rows]);
}

/** The form's lines as CSV: form, revision, section, line, engine line, caption, status, value, printed text, missing. */
export function renderFormLinesCsv(f: PrintedForm): string {
  const rows: (string | number | boolean | null)[][] = [['form', 'revision', 'section', 'line', 'engine_line', 'caption', 'status', 'value', 'printed', 'missing']];
  for (const s of f.sections)
    for (const l of s.lines)
      rows.push([f.formNumber, f.revision, s.title, l.line, l.engineLine ?? l.line, l.label, l.status, l.value === null ? '' : l.value, l.display, (l.missing ?? []).join('; ')]);
  return csv(rows);
}

export interface CsvFile {
  name: string;
  text: string;
}

/** One form as CSV files: `<id>.csv` for the lines (when it has lines) and `<id>.<table>.csv` per table. */
export function renderFormCsv(f: PrintedForm): CsvFile[] {
  const out: CsvFile[] = [];
  if (f.sections.length) out.push({ name: `${f.id}.csv`, text: renderFormLinesCsv(f) });
  for (const t of f.tables) out.push({ name: t.id === f.id && !f.sections.length ? `${f.id}.csv` : `${f.id}.${t.id}.csv`, text: renderTableCsv(t) });
  return out;
}
