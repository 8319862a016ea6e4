/**
 * The study report as PDF (pdfkit, no browser): the same content as the HTML report, with the
 * charts drawn as vectors from the same layout and the explanation trails as indented text.
 */
import { renderText } from '../../explain/render.js';
import type { PrintedForm } from '../../forms/index.js';
import { FONT, PAGE, drawTable, heightOf, newPdf, pdfBuffer, put, type Pdf } from '../../forms/pdf-kit.js';
import type { StudyResult } from '../../study/compute/result.js';
import type { Study } from '../../study/model.js';
import { drawChartPdf, layoutBarChart } from '../charts/index.js';
import { buildReportModel, type Block, type ReportModel, type ReportOptions } from './model.js';

const W = PAGE.right - PAGE.left;

class Writer {
  y: number = PAGE.top;
  page = 0;
  constructor(
    readonly doc: Pdf,
    readonly running: string,
  ) {}
  newPage(): number {
    this.doc.addPage();
    this.page++;
    put(this.doc, this.running, PAGE.left, 766, { size: 6.5, color: '#666' });
    put(this.doc, `Page ${this.page}`, PAGE.right - 60, 766, { size: 6.5, color: '#666', width: 60, align: 'right' });
    this.y = PAGE.top;
    return this.y;
  }
  need(h: number): void {
    if (this.y + h > PAGE.bottom) this.newPage();
  }
  text(s: string, o: { size?: number; font?: string; indent?: number; color?: string; gap?: number } = {}): void {
    const size = o.size ?? 9;
    const x = PAGE.left + (o.indent ?? 0);
    const w = W - (o.indent ?? 0);
    const h = heightOf(this.doc, s, w, size, o.font ?? FONT.regular);
    if (h > PAGE.bottom - PAGE.top) {
      // very long text: split by lines so pdfkit never breaks pages on its own
      for (const part of s.split('\n')) this.text(part, o);
      return;
    }
    this.need(h);
    put(this.doc, s, x, this.y, { width: w, size, font: o.font ?? FONT.regular, ...(o.color ? { color: o.color } : {}) });
    this.y += h + (o.gap ?? 3);
  }
}

function formLines(w: Writer, f: PrintedForm): void {
  w.text(`${f.formNumber} — ${f.title} (${f.revision})`, { size: 10, font: FONT.bold, gap: 2 });
  for (const s of f.sections) {
    w.need(28);
    w.doc.save().rect(PAGE.left, w.y, W, 12).fill('#d9d9d9').restore();
    put(w.doc, s.title, PAGE.left + 3, w.y + 2.5, { size: 8, font: FONT.bold });
    w.y += 12;
    for (const l of s.lines) {
      const capW = W - 30 - 110;
      const h = Math.max(12, heightOf(w.doc, l.label, capW, 7.5) + 4);
      w.need(h);
      put(w.doc, l.line, PAGE.left + 2, w.y + 2, { size: 7.5, font: FONT.bold });
      put(w.doc, l.label, PAGE.left + 30, w.y + 2, { size: 7.5, width: capW });
      w.doc.save().lineWidth(0.5).rect(PAGE.right - 106, w.y, 106, h).stroke().restore();
      put(w.doc, l.display, PAGE.right - 103, w.y + 2, { size: 7.5, width: 100, align: 'right', font: l.status === 'known' ? FONT.regular : FONT.italic });
      w.y += h;
    }
    w.y += 4;
  }
  for (const t of f.tables) {
    w.text(t.title, { size: 8.5, font: FONT.bold });
    w.y = drawTable(w.doc, t, w.y, () => w.newPage());
  }
  for (const n of f.notes) w.text(n, { size: 7, color: '#444' });
  w.y += 6;
}

function block(w: Writer, b: Block, opts: ReportOptions): void {
  switch (b.kind) {
    case 'p':
      w.text(b.text, { size: 9 });
      break;
    case 'h3':
      w.need(40);
      w.y += 4;
      w.text(b.text, { size: 11, font: FONT.bold });
      break;
    case 'kv':
      for (const [k, v] of b.rows) {
        const h = Math.max(heightOf(w.doc, k, 190, 8.5), heightOf(w.doc, v, W - 200, 8.5)) + 4;
        w.need(h);
        w.doc.save().lineWidth(0.4).rect(PAGE.left, w.y, 196, h).fillAndStroke('#f4f4f4', '#bbb').rect(PAGE.left + 196, w.y, W - 196, h).stroke('#bbb').restore();
        put(w.doc, k, PAGE.left + 3, w.y + 2, { size: 8.5, width: 190 });
        put(w.doc, v, PAGE.left + 199, w.y + 2, { size: 8.5, width: W - 202, font: v === 'unknown' ? FONT.italic : FONT.regular });
        w.y += h;
      }
      w.y += 6;
      break;
    case 'list':
      for (const i of b.items) w.text(`•  ${i}`, { size: 8.5, indent: 8, gap: 1.5 });
      w.y += 3;
      break;
    case 'table':
      w.need(40);
      w.text(b.table.title, { size: 8.5, font: FONT.bold, gap: 2 });
      w.y = drawTable(w.doc, b.table, w.y, () => w.newPage());
      break;
    case 'chart': {
      const h = layoutBarChart(b.chart, W).height;
      w.need(h);
      w.y += drawChartPdf(w.doc, b.chart, PAGE.left, w.y, W) + 6;
      break;
    }
    case 'form':
      formLines(w, b.form);
      break;
    case 'explain': {
      w.need(40);
      w.text(b.title, { size: 10, font: FONT.bold });
      const lines = renderText(b.tree, { maxDepth: opts.explainDepth ?? 6 }).split('\n');
      for (const l of lines) {
        const indent = (/^ */.exec(l)?.[0].length ?? 0) * 3;
        w.text(l.trimStart(), { size: 6.8, indent: Math.min(indent, 200), gap: 0.5, font: 'Courier' });
      }
      w.y += 6;
      break;
    }
  }
}

export async function reportModelPdf(m: ReportModel, opts: ReportOptions & { createdAt?: Date } = {}): Promise<Buffer> {
  const doc = newPdf({ title: m.title, ...(opts.createdAt ? { createdAt: opts.createdAt } : {}) });
  const w = new Writer(doc, `${m.title} — ${m.subtitle}`.slice(0, 150));
  w.newPage();
  w.y = 120;
  w.text(m.title, { size: 20, font: FONT.bold, gap: 8 });
  w.text(m.subtitle, { size: 11, gap: 6 });
  if (m.preparedBy) w.text(`Prepared by ${m.preparedBy}`, { size: 10 });
  if (m.generatedAt) w.text(`Generated ${m.generatedAt}`, { size: 9, color: '#555' });
  w.y += 20;
  w.text('Contents', { size: 12, font: FONT.bold });
  m.sections.forEach((s, i) => w.text(`${i + 1}.  ${s.title}`, { size: 10, indent: 10 }));
  m.sections.forEach((s, i) => {
    w.newPage();
    w.text(`${i + 1}. ${s.title}`, { size: 15, font: FONT.bold, gap: 8 });
    for (const b of s.blocks) block(w, b, opts);
  });
  return pdfBuffer(doc);
}

/** The study report as PDF, produced without a browser. */
export function renderReportPdf(result: StudyResult, study: Study, opts: ReportOptions & { createdAt?: Date } = {}): Promise<Buffer> {
  return reportModelPdf(buildReportModel(result, study, opts), opts);
}
