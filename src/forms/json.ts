/** Forms as JSON: every line with its status, whole-dollar value and printed text; tables with their cells. */
import type { Schedule } from '../study/compute/result.js';
import { cellText, cellValue } from './format.js';
import type { PrintedForm } from './model.js';

export function tableJson(t: Schedule): unknown {
  return {
    id: t.id,
    title: t.title,
    columns: t.columns,
    rows: t.rows.map((r) => ({
      cells: Object.fromEntries(t.columns.map((c) => [c.key, cellValue(c, r.cells[c.key])])),
      display: Object.fromEntries(t.columns.map((c) => [c.key, cellText(c, r.cells[c.key])])),
      ...(r.source ? { source: r.source } : {}),
    })),
    ...(t.totals ? { totals: Object.fromEntries(t.columns.filter((c) => t.totals![c.key] !== undefined).map((c) => [c.key, cellValue(c, t.totals![c.key])])) } : {}),
    ...(t.notes?.length ? { notes: t.notes } : {}),
    citation: t.citation,
  };
}

/** The JSON document of one form (an object; `renderFormJson` serialises it). */
export function formJson(f: PrintedForm): unknown {
  return {
    id: f.id,
    kind: f.kind,
    formNumber: f.formNumber,
    title: f.title,
    revision: f.revision,
    taxpayer: f.taxpayer,
    period: f.period,
    units: 'money in whole dollars (form rounding); null = unknown, see status and missing',
    sections: f.sections.map((s) => ({
      id: s.id,
      title: s.title,
      lines: s.lines.map((l) => ({
        line: l.line,
        ...(l.engineLine ? { engineLine: l.engineLine } : {}),
        label: l.label,
        kind: l.kind,
        status: l.status,
        value: l.value,
        display: l.display,
        ...(l.missing ? { missing: l.missing } : {}),
        ...(l.reason ? { reason: l.reason } : {}),
      })),
    })),
    tables: f.tables.map(tableJson),
    notes: f.notes,
    citations: f.citations,
  };
}

export function renderFormJson(f: PrintedForm): string {
  return `${JSON.stringify(formJson(f), null, 2)}\n`;
}
