/**
 * The modules the server wires in by default: the qualification engine (src/study/qualify), the
 * quick check (src/assist) and the downloads of the forms and reports modules (study report PDF
 * and HTML, forms PDF, XLSX workpapers, the audit file). Each adapts that module to the small
 * interfaces in extensions.ts.
 */
import type { Law } from '../law/law.js';
import { AnswersSchema, loadQuickCheckData, quickCheck, quickCheckJson, type QuickCheckData } from '../assist/index.js';
import { renderForms } from '../forms/index.js';
import { buildAuditFile } from '../reports/audit/index.js';
import { renderReportHtml, renderReportPdf } from '../reports/report/index.js';
import { writeWorkpapers } from '../reports/workpapers/index.js';
import { loadQualificationData, qualifyStudy } from '../study/qualify/index.js';
import type { Study } from '../study/model.js';
import type { Store } from '../store/index.js';
import { ApiError } from './errors.js';
import type { DownloadContext, DownloadProvider, Extensions, InterviewQuestion } from './extensions.js';

export function qualificationProvider(): NonNullable<Extensions['qualification']> {
  const data = loadQualificationData();
  const questions: InterviewQuestion[] = data.interview.questions.map((q) => {
    const choices = q.options ? Object.entries(q.options).map(([value, label]) => ({ value, label })) : undefined;
    const type: InterviewQuestion['type'] = q.type === 'list' ? (choices ? 'multi' : 'list') : q.type;
    return { id: q.id, section: q.section, text: q.text, help: q.help, type, required: q.required, ...(choices ? { choices } : {}) };
  });
  return {
    questions: () => questions,
    qualify: (law, study, kept) => qualifyStudy(study, { law, data, ...(kept ? { retained: kept } : {}) }),
  };
}

export function quickCheckProvider(): NonNullable<Extensions['quickCheck']> {
  let data: QuickCheckData | undefined;
  const load = () => (data ??= loadQuickCheckData());
  return {
    inputSchema: () => ({ questions: load().questions, profiles: load().profiles.map((p) => ({ id: p.id, label: (p as { label?: string }).label ?? p.id })) }),
    run: (law: Law, input: unknown) => {
      const parsed = AnswersSchema.safeParse(input);
      if (!parsed.success) throw new ApiError('bad_request', 'the quick check answers do not match the questionnaire', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      return quickCheckJson(quickCheck(law, load(), parsed.data));
    },
  };
}

const bytes = (d: string | Uint8Array) => (typeof d === 'string' ? new TextEncoder().encode(d) : d);

/** The ledger entries a study may show: its own imports and the evidence it references. */
async function studyLedger(store: Store, study: Study) {
  const shas = new Set((study.evidence ?? []).map((e) => e.sha256).filter((x): x is string => !!x));
  const entries = (await store.ledger.entries()).filter((e) => e.studyId === study.id || shas.has(e.sha256));
  const blobs = new Map<string, Uint8Array>();
  for (const e of entries) {
    const b = await store.ledger.blob(e.sha256);
    if (b) blobs.set(e.sha256, b);
  }
  return { entries, blob: (sha: string) => blobs.get(sha) };
}

export function downloadProviders(store: Store): DownloadProvider[] {
  const reportPdf = (x: DownloadContext) => renderReportPdf(x.result, x.study);
  const formsPdf = async (x: DownloadContext) => (await renderForms(x.result, x.study, 'pdf'))[0]!.data as Buffer;
  const workpapers = async (x: DownloadContext) => {
    const ledger = await studyLedger(store, x.study);
    return writeWorkpapers(x.result, x.study, { law: x.law, ledger: ledger.entries, ...(x.qualification ? { qualification: x.qualification } : {}) });
  };
  return [
    { id: 'report-pdf', title: 'Study report (PDF)', contentType: 'application/pdf', fileName: (s) => `${s.id}-report.pdf`, render: reportPdf },
    { id: 'report-html', title: 'Study report (HTML)', contentType: 'text/html; charset=utf-8', fileName: (s) => `${s.id}-report.html`, render: (x) => renderReportHtml(x.result, x.study) },
    { id: 'forms-pdf', title: 'Forms 6765, 8974 and state forms (PDF)', contentType: 'application/pdf', fileName: (s) => `${s.id}-forms.pdf`, render: formsPdf },
    { id: 'workpapers-xlsx', title: 'Workpapers (XLSX)', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: (s) => `${s.id}-workpapers.xlsx`, render: workpapers },
    {
      id: 'audit-zip',
      title: 'Audit file (ZIP: report, forms, workpapers, ledger, manifest)',
      contentType: 'application/zip',
      fileName: (s) => `${s.id}-audit.zip`,
      render: async (x) => {
        const ledger = await studyLedger(store, x.study);
        const forms: Record<string, Uint8Array | string> = {};
        for (const f of await renderForms(x.result, x.study, 'pdf')) forms[f.name] = bytes(f.data);
        return buildAuditFile({
          result: x.result,
          reportPdf: await reportPdf(x),
          forms,
          workpapers: await workpapers(x),
          ledger,
          ...(x.study.evidence ? { evidence: x.study.evidence } : {}),
        });
      },
    },
  ];
}

/** Everything that has landed, wired in. */
export function defaultExtensions(store: Store): Extensions {
  return { qualification: qualificationProvider(), quickCheck: quickCheckProvider(), downloads: downloadProviders(store) };
}
