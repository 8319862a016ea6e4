/**
 * Shared PDF drawing (pdfkit, no browser): document setup with a fixed creation date so output is
 * reproducible, text made safe for the standard fonts (WinAnsi), and a table that splits its
 * columns into groups that fit the page and repeats its header on each new page.
 */
import PDFDocument from 'pdfkit';
import type { Schedule, ScheduleColumn } from '../study/compute/result.js';
import { cellText } from './format.js';

export type Pdf = PDFKit.PDFDocument;

export const PAGE = { width: 612, height: 792, left: 36, right: 576, top: 36, bottom: 750 } as const;
export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const;

const WINANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACE: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '≠': '!=', '−': '-', '✓': 'v', '✔': 'v', '✗': 'x', '≈': '~', '∑': 'sum', '·': '·', '\u00a0': ' ', '\t': ' ' };

/** Text the standard PDF fonts can show: characters outside WinAnsi are spelled out or replaced by "?". */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (REPLACE[ch] !== undefined) out += REPLACE[ch];
    else if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WINANSI_EXTRA.has(ch) || ch === '\n') out += ch;
    else out += '?';
  }
  return out;
}

export interface PdfOptions {
  title?: string;
  /** Creation date written into the PDF (default 2000-01-01, so the same input gives the same bytes). */
  createdAt?: Date;
}

export function newPdf(opts: PdfOptions = {}): Pdf {
  const created = opts.createdAt ?? new Date(Date.UTC(2000, 0, 1));
  return new PDFDocument({
    size: 'LETTER',
    margins: { top: PAGE.top, left: PAGE.left, right: PAGE.width - PAGE.right, bottom: 5 },
    autoFirstPage: false,
    info: { Title: pdfText(opts.title ?? 'rdcredit'), Producer: 'rdcredit', Creator: 'rdcredit', CreationDate: created, ModDate: created },
  });
}

/** Ends the document and resolves with its bytes. */
export function pdfBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Writes text at a position without letting pdfkit break pages on its own. */
export function put(doc: Pdf, text: string, x: number, y: number, o: { width?: number; size?: number; font?: string; align?: 'left' | 'right' | 'center'; color?: string } = {}): number {
  doc.font(o.font ?? FONT.regular).fontSize(o.size ?? 8).fillColor(o.color ?? '#000');
  const t = pdfText(text);
  const opts: PDFKit.Mixins.TextOptions = { lineBreak: o.width !== undefined, ...(o.width !== undefined ? { width: o.width } : {}), ...(o.align ? { align: o.align } : {}) };
  const h = o.width !== undefined ? doc.heightOfString(t, opts) : doc.currentLineHeight();
  doc.text(t, x, y, opts);
  return h;
}

export function heightOf(doc: Pdf, text: string, width: number, size = 8, font: string = FONT.regular): number {
  doc.font(font).fontSize(size);
  return doc.heightOfString(pdfText(text), { width });
}

function colWidth(c: ScheduleColumn): number {
  switch (c.kind) {
    case 'money':
      return 62;
    case 'count':
    case 'flag':
      return 36;
    case 'hours':
    case 'rate':
      return 46;
    case 'date':
      return 56;
    default:
      return /name|description|information|title|component|reason|basis/i.test(c.key) ? 130 : 64;
  }
}

/** Which column identifies a row (repeated in every column group), by preference. */
const KEY_COLUMNS = [/^name$/i, /name/i, /^id$/i, /^(component|vintage|year|quarter|state|member|owner|file|option|category|test|exclusion)$/i, /title|description/i];

/** Groups of columns that fit the width, each starting with the table's key column. */
export function columnGroups(cols: ScheduleColumn[], width: number): ScheduleColumn[][] {
  const text = cols.filter((c) => c.kind === 'text');
  const key = KEY_COLUMNS.map((re) => text.find((c) => re.test(c.key))).find((c) => c !== undefined) ?? cols[0];
  if (!key) return [];
  const rest = cols.filter((c) => c !== key);
  const groups: ScheduleColumn[][] = [];
  let cur: ScheduleColumn[] = [key];
  let used = colWidth(key);
  for (const c of rest) {
    const w = colWidth(c);
    if (used + w > width && cur.length > 1) {
      groups.push(cur);
      cur = [key];
      used = colWidth(key);
    }
    cur.push(c);
    used += w;
  }
  groups.push(cur);
  return groups;
}

/**
 * Draws a schedule as a boxed table from y; returns the y after it. `onNewPage` is called after a
 * page break (to draw the page's running header) and returns the y to continue from.
 */
export function drawTable(doc: Pdf, t: Schedule, y0: number, onNewPage: () => number): number {
  let y = y0;
  const width = PAGE.right - PAGE.left;
  const groups = columnGroups(t.columns, width);
  const rows = [...t.rows.map((r) => ({ cells: r.cells, total: false })), ...(t.totals ? [{ cells: t.totals, total: true }] : [])];
  groups.forEach((cols, gi) => {
    const natural = cols.map(colWidth);
    const sum = natural.reduce((a, b) => a + b, 0);
    const scale = sum < width ? width / sum : 1;
    const widths = natural.map((w) => w * scale);
    const xs = widths.map((_, i) => PAGE.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const header = () => {
      const h = Math.max(...cols.map((c, i) => heightOf(doc, c.label, widths[i]! - 4, 6.5, FONT.bold))) + 6;
      if (y + h > PAGE.bottom) y = onNewPage();
      doc.save().rect(PAGE.left, y, xs[xs.length - 1]! + widths[widths.length - 1]! - PAGE.left, h).fillAndStroke('#e6e6e6', '#000').restore();
      cols.forEach((c, i) => put(doc, c.label, xs[i]! + 2, y + 3, { width: widths[i]! - 4, size: 6.5, font: FONT.bold, align: c.kind === 'text' ? 'left' : 'right' }));
      y += h;
    };
    if (groups.length > 1) {
      if (y + 14 > PAGE.bottom) y = onNewPage();
      put(doc, `Columns, part ${gi + 1} of ${groups.length}`, PAGE.left, y + 2, { size: 7, font: FONT.italic });
      y += 12;
    }
    header();
    for (const r of rows) {
      const texts = cols.map((c, i) => (r.total && i === 0 && r.cells[c.key] === undefined ? 'Total' : r.total && r.cells[c.key] === undefined ? '' : cellText(c, r.cells[c.key])));
      const h = Math.max(...texts.map((s, i) => heightOf(doc, s, widths[i]! - 4, 7, r.total ? FONT.bold : FONT.regular))) + 5;
      if (y + h > PAGE.bottom) {
        y = onNewPage();
        header();
      }
      cols.forEach((c, i) => {
        doc.save().lineWidth(0.5).rect(xs[i]!, y, widths[i]!, h).stroke().restore();
        put(doc, texts[i]!, xs[i]! + 2, y + 3, { width: widths[i]! - 4, size: 7, font: r.total ? FONT.bold : FONT.regular, align: c.kind === 'text' ? 'left' : 'right' });
      });
      y += h;
    }
    y += 8;
  });
  return y;
}
