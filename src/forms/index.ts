/**
 * The forms module: Form 6765 (in the revision that applies, Section G included), Form 8974,
 * Idaho Form 67 and the schedules, built from a StudyResult and rendered as JSON, CSV and PDF.
 */
import type { StudyResult } from '../study/compute/result.js';
import type { Study } from '../study/model.js';
import { buildForms, type BuildOptions } from './build.js';
import { renderFormCsv } from './csv.js';
import { formJson } from './json.js';
import { renderFormPdf } from './pdf.js';
import type { PdfOptions } from './pdf-kit.js';

export * from './model.js';
export { buildForms, SCHEDULE_ORDER, type BuildOptions } from './build.js';
export { renderFormJson, formJson, tableJson } from './json.js';
export { renderFormCsv, renderFormLinesCsv, renderTableCsv, csvField, type CsvFile } from './csv.js';
export { renderFormPdf } from './pdf.js';
export { loadPrintRevisions, printRevisionFor, type PrintRevision } from './revisions.js';
export { dollarsText, printLine, cellText, cellValue, UNKNOWN } from './format.js';
export { pdfText, type PdfOptions } from './pdf-kit.js';

export type FormsFormat = 'json' | 'csv' | 'pdf';

export interface OutputFile {
  /** File name relative to the output directory. */
  name: string;
  mediaType: string;
  data: string | Buffer;
}

/**
 * Every form and schedule of a study in one format: json → `forms.json` (all forms), csv → one
 * file per form's lines and per table, pdf → `forms.pdf` (all forms, each from a new page).
 */
export async function renderForms(result: StudyResult, study: Study | undefined, format: FormsFormat, opts: BuildOptions & PdfOptions = {}): Promise<OutputFile[]> {
  const forms = buildForms(result, study, opts);
  switch (format) {
    case 'json':
      return [{ name: 'forms.json', mediaType: 'application/json', data: `${JSON.stringify({ rdcredit: 1, study: result.study, forms: forms.map(formJson) }, null, 2)}\n` }];
    case 'csv':
      return forms.flatMap((f) => renderFormCsv(f).map((c) => ({ name: c.name, mediaType: 'text/csv', data: c.text })));
    case 'pdf':
      return [{ name: 'forms.pdf', mediaType: 'application/pdf', data: await renderFormPdf(forms, opts) }];
  }
}
