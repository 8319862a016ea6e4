/**
 * Charts as data: one layout (`layoutBarChart`) computes the drawing as primitives (rectangles,
 * text, lines) in points; `chartSvg` turns them into inline SVG for the HTML report and
 * `drawChartPdf` draws the same primitives as vectors in the PDF. Values are integer cents (a
 * chart is the one place a ratio becomes a float: bar lengths only).
 */
import type { Cents } from '../../money/cents.js';
import { dollarsText, pdfText } from '../../forms/index.js';

export interface Bar {
  label: string;
  /** Cents; null = unknown (drawn as the word "unknown", no bar). */
  value: Cents | number | null;
  /** Highlight (the chosen method, the current year). */
  emphasis?: boolean;
}

export interface BarChart {
  id: string;
  title: string;
  bars: Bar[];
  /** Printed under the chart. */
  note?: string;
}

export type Primitive =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string }
  | { kind: 'text'; x: number; y: number; text: string; size: number; anchor: 'start' | 'end' | 'middle'; bold?: boolean; italic?: boolean; fill?: string };

export interface ChartLayout {
  width: number;
  height: number;
  primitives: Primitive[];
}

const BAR_H = 14;
const GAP = 6;
const TITLE_H = 18;
const COLORS = { bar: '#3b6ea5', emphasis: '#c0772b', axis: '#555', text: '#222', muted: '#777' };

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Horizontal bar chart: label on the left, bar, amount in whole dollars at the bar's end. */
export function layoutBarChart(c: BarChart, width = 520): ChartLayout {
  const labelW = Math.min(200, Math.round(width * 0.36));
  const valueW = 80;
  const plotX = labelW + 6;
  const plotW = Math.max(40, width - plotX - valueW);
  const known = c.bars.map((b) => (typeof b.value === 'number' ? b.value : null));
  const maxV = Math.max(0, ...known.filter((v): v is number => v !== null).map((v) => Math.abs(v)));
  const ps: Primitive[] = [{ kind: 'text', x: 0, y: 12, text: c.title, size: 10, anchor: 'start', bold: true, fill: COLORS.text }];
  let y = TITLE_H + 4;
  if (!c.bars.length) {
    ps.push({ kind: 'text', x: 0, y: y + 10, text: 'No data.', size: 8, anchor: 'start', italic: true, fill: COLORS.muted });
    y += BAR_H + GAP;
  }
  c.bars.forEach((b, i) => {
    const v = known[i];
    ps.push({ kind: 'text', x: labelW, y: y + BAR_H - 4, text: clip(b.label, 42), size: 8, anchor: 'end', fill: COLORS.text, ...(b.emphasis ? { bold: true } : {}) });
    if (v === null || v === undefined) {
      ps.push({ kind: 'text', x: plotX, y: y + BAR_H - 4, text: 'unknown', size: 8, anchor: 'start', italic: true, fill: COLORS.muted });
    } else {
      const w = maxV > 0 ? (Math.abs(v) / maxV) * plotW : 0;
      if (w > 0) ps.push({ kind: 'rect', x: plotX, y, w: Math.max(1, Math.round(w * 10) / 10), h: BAR_H, fill: b.emphasis ? COLORS.emphasis : COLORS.bar });
      ps.push({ kind: 'text', x: plotX + w + 4, y: y + BAR_H - 4, text: `$${dollarsText(v as Cents)}`, size: 8, anchor: 'start', fill: COLORS.text });
    }
    y += BAR_H + GAP;
  });
  ps.push({ kind: 'line', x1: plotX, y1: TITLE_H, x2: plotX, y2: y - GAP + 2, stroke: COLORS.axis });
  if (c.note) {
    ps.push({ kind: 'text', x: 0, y: y + 10, text: c.note, size: 7, anchor: 'start', italic: true, fill: COLORS.muted });
    y += 14;
  }
  return { width, height: y + 4, primitives: ps };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline SVG (no external references). */
export function chartSvg(c: BarChart, width = 520): string {
  const l = layoutBarChart(c, width);
  const body = l.primitives
    .map((p) => {
      switch (p.kind) {
        case 'rect':
          return `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" fill="${p.fill}"/>`;
        case 'line':
          return `<line x1="${p.x1}" y1="${p.y1}" x2="${p.x2}" y2="${p.y2}" stroke="${p.stroke}" stroke-width="1"/>`;
        case 'text':
          return `<text x="${p.x}" y="${p.y}" font-size="${p.size}" text-anchor="${p.anchor}"${p.bold ? ' font-weight="bold"' : ''}${p.italic ? ' font-style="italic"' : ''} fill="${p.fill ?? '#000'}">${esc(p.text)}</text>`;
      }
    })
    .join('');
  return `<svg role="img" aria-label="${esc(c.title)}" class="chart" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="Helvetica, Arial, sans-serif">${body}</svg>`;
}

/** Draws the chart into a pdfkit document at (x, y); returns its height. */
export function drawChartPdf(doc: PDFKit.PDFDocument, c: BarChart, x: number, y: number, width = 520): number {
  const l = layoutBarChart(c, width);
  for (const p of l.primitives) {
    if (p.kind === 'rect') doc.save().rect(x + p.x, y + p.y, p.w, p.h).fill(p.fill).restore();
    else if (p.kind === 'line') doc.save().lineWidth(0.75).moveTo(x + p.x1, y + p.y1).lineTo(x + p.x2, y + p.y2).stroke(p.stroke).restore();
    else {
      const font = p.bold ? 'Helvetica-Bold' : p.italic ? 'Helvetica-Oblique' : 'Helvetica';
      doc.font(font).fontSize(p.size).fillColor(p.fill ?? '#000');
      const t = pdfText(p.text);
      const w = doc.widthOfString(t);
      const tx = p.anchor === 'end' ? x + p.x - w : p.anchor === 'middle' ? x + p.x - w / 2 : x + p.x;
      // SVG text y is the baseline; pdfkit places the top of the line: move up by the ascent.
      doc.text(t, tx, y + p.y - p.size * 0.8, { lineBreak: false });
    }
  }
  doc.fillColor('#000');
  return l.height;
}
