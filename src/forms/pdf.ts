/**
 * Forms as PDF in the layout of the official form: form number, revision and title in the header,
 * the taxpayer's name and identifying number, the sections with their titles, each line with its
 * number, caption and amount right-aligned in a boxed column (whole dollars), and "unknown" printed
 * where a line cannot be computed. Each form starts on a new page; a long form continues on more.
 */
import { FONT, PAGE, drawTable, heightOf, newPdf, pdfBuffer, put, type Pdf, type PdfOptions } from './pdf-kit.js';
import type { PrintedForm, PrintedLine } from './model.js';

const NUM_W = 24;
const BOX_NUM_W = 24;
const AMOUNT_W = 104;
const AMOUNT_X = PAGE.right - AMOUNT_W;
const BOX_NUM_X = AMOUNT_X - BOX_NUM_W;
const CAPTION_X = PAGE.left + NUM_W;
const CAPTION_W = BOX_NUM_X - CAPTION_X - 6;

function taxYearText(f: PrintedForm): string {
  return `Tax year beginning ${f.period.start}, ending ${f.period.end}`;
}

function header(doc: Pdf, f: PrintedForm): number {
  const top = PAGE.top;
  const h = 46;
  doc.save().lineWidth(1).moveTo(PAGE.left, top + h).lineTo(PAGE.right, top + h).stroke().restore();
  doc.save().lineWidth(0.5).moveTo(PAGE.left + 110, top).lineTo(PAGE.left + 110, top + h).stroke().moveTo(PAGE.right - 110, top).lineTo(PAGE.right - 110, top + h).stroke().restore();
  put(doc, f.formNumber, PAGE.left, top + 2, { size: f.formNumber.length > 10 ? 12 : 16, font: FONT.bold, width: 108 });
  put(doc, `(${f.revision})`, PAGE.left, top + 24, { size: 6.5, width: 108 });
  put(doc, f.title, PAGE.left + 114, top + 4, { size: 11, font: FONT.bold, width: PAGE.right - PAGE.left - 228, align: 'center' });
  put(doc, taxYearText(f), PAGE.left + 114, top + 32, { size: 7, width: PAGE.right - PAGE.left - 228, align: 'center' });
  put(doc, 'Tax year', PAGE.right - 106, top + 4, { size: 7 });
  put(doc, f.period.start.slice(0, 4), PAGE.right - 106, top + 14, { size: 16, font: FONT.bold });
  // Name and identifying number
  const y = top + h;
  const rowH = 24;
  doc.save().lineWidth(0.5).rect(PAGE.left, y, PAGE.right - PAGE.left, rowH).stroke().moveTo(PAGE.right - 150, y).lineTo(PAGE.right - 150, y + rowH).stroke().restore();
  put(doc, 'Name(s) shown on return', PAGE.left + 3, y + 2, { size: 6 });
  put(doc, f.taxpayer.name, PAGE.left + 3, y + 10, { size: 9, width: PAGE.right - PAGE.left - 160 });
  put(doc, 'Identifying number', PAGE.right - 147, y + 2, { size: 6 });
  put(doc, f.taxpayer.ein ?? 'unknown', PAGE.right - 147, y + 10, { size: 9 });
  return y + rowH + 6;
}

function continuation(doc: Pdf, f: PrintedForm): number {
  doc.addPage();
  put(doc, `${f.formNumber} (${f.revision}) — ${f.taxpayer.name}${f.taxpayer.ein ? `, ${f.taxpayer.ein}` : ''} — continued`, PAGE.left, PAGE.top, { size: 7.5, font: FONT.bold });
  doc.save().lineWidth(0.5).moveTo(PAGE.left, PAGE.top + 12).lineTo(PAGE.right, PAGE.top + 12).stroke().restore();
  return PAGE.top + 18;
}

function sectionBar(doc: Pdf, title: string, y: number): number {
  const h = 14;
  doc.save().rect(PAGE.left, y, PAGE.right - PAGE.left, h).fill('#d9d9d9').restore();
  put(doc, title, PAGE.left + 3, y + 3.5, { size: 8.5, font: FONT.bold });
  return y + h;
}

function lineRow(doc: Pdf, l: PrintedLine, y: number): number {
  const capH = heightOf(doc, l.label, CAPTION_W, 8);
  const h = Math.max(15, capH + 6);
  doc.save().lineWidth(0.5).moveTo(PAGE.left, y + h).lineTo(BOX_NUM_X, y + h).strokeColor('#999').stroke().restore();
  put(doc, l.line, PAGE.left + 2, y + 4, { size: 8, font: FONT.bold });
  put(doc, l.label, CAPTION_X, y + 4, { size: 8, width: CAPTION_W });
  doc.save().lineWidth(0.5).rect(BOX_NUM_X, y, BOX_NUM_W, h).fillAndStroke('#f0f0f0', '#000').restore();
  put(doc, l.line, BOX_NUM_X, y + 4, { size: 7.5, font: FONT.bold, width: BOX_NUM_W, align: 'center' });
  doc.save().lineWidth(0.5).rect(AMOUNT_X, y, AMOUNT_W, h).stroke().restore();
  const italic = l.status !== 'known';
  put(doc, l.display, AMOUNT_X + 3, y + 4, { size: 8.5, font: italic ? FONT.italic : FONT.regular, width: AMOUNT_W - 6, align: 'right' });
  return y + h;
}

function drawForm(doc: Pdf, f: PrintedForm): void {
  doc.addPage();
  let y = header(doc, f);
  const next = () => continuation(doc, f);
  for (const s of f.sections) {
    if (y + 14 + 15 > PAGE.bottom) y = next();
    y = sectionBar(doc, s.title, y);
    for (const l of s.lines) {
      const h = Math.max(15, heightOf(doc, l.label, CAPTION_W, 8) + 6);
      if (y + h > PAGE.bottom) y = next();
      y = lineRow(doc, l, y);
    }
    y += 4;
  }
  for (const t of f.tables) {
    if (y + 40 > PAGE.bottom) y = next();
    y = sectionBar(doc, t.title, y) + 4;
    y = drawTable(doc, t, y, next);
  }
  const foot: string[] = [...f.notes];
  if (f.citations.length) foot.push(`Sources: ${f.citations.map((c) => c.title).join('; ')}.`);
  foot.push('Amounts in whole dollars (form rounding). "unknown" = cannot be computed from the study as entered; "not computed" = the study does not fill this line; "n/a" = not applicable.');
  for (const n of foot) {
    const h = heightOf(doc, n, PAGE.right - PAGE.left, 6.5);
    if (y + h > PAGE.bottom) y = next();
    put(doc, n, PAGE.left, y, { size: 6.5, width: PAGE.right - PAGE.left });
    y += h + 2;
  }
}

/** One or more forms as one PDF; each form starts on a new page. */
export async function renderFormPdf(forms: PrintedForm | PrintedForm[], opts: PdfOptions = {}): Promise<Buffer> {
  const list = Array.isArray(forms) ? forms : [forms];
  const doc = newPdf({ title: opts.title ?? list.map((f) => `${f.formNumber} ${f.title}`).join('; '), ...(opts.createdAt ? { createdAt: opts.createdAt } : {}) });
  for (const f of list) drawForm(doc, f);
  if (!list.length) {
    doc.addPage();
    put(doc, 'No forms.', PAGE.left, PAGE.top);
  }
  return pdfBuffer(doc);
}
