/** The study report (HTML and PDF) and the pieces the other outputs reuse. */
export { buildReportModel, valText, type Block, type ReportModel, type ReportOptions, type ReportSection } from './model.js';
export { renderReportHtml, reportModelHtml, renderExplanationHtml, escapeHtml } from './html.js';
export { renderReportPdf, reportModelPdf } from './pdf.js';
