/**
 * Output commands: forms, the study report, the XLSX workpapers, the audit file and the
 * refund-claim packet. Each computes the study the same way `compute` does and writes files.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { folderEvidence } from '../evidence/file-ledger.js';
import type { LedgerEntry } from '../evidence/ledger.js';
import { renderForms, type FormsFormat } from '../forms/index.js';
import { loadLaw } from '../law/index.js';
import { buildAuditFile, verifyAuditFile } from '../reports/audit/index.js';
import { buildRefundPacket, refundPacketCsv, refundPacketMarkdown } from '../reports/refund/index.js';
import { renderReportHtml, renderReportPdf } from '../reports/report/index.js';
import { writeWorkpapers } from '../reports/workpapers/index.js';
import { openStore } from '../store/index.js';
import { computeStudy } from '../study/compute/index.js';
import { evidenceFiles, keptShas, retainedEvidence } from '../study/evidence-files.js';
import type { StudyResult } from '../study/compute/result.js';
import type { Study } from '../study/model.js';
import { loadStudyOrReport } from './compute.js';

interface Computed {
  study: Study;
  result: StudyResult;
  ledger: { entries: LedgerEntry[]; blobs: Map<string, Uint8Array> } | undefined;
}

/** Computes the study with the evidence bytes actually kept (its ledger and its folder's files). */
async function computeOrReport(dir: string, db?: string): Promise<Computed | undefined> {
  const study = loadStudyOrReport(dir);
  if (!study) {
    console.error(`${dir}: the study folder has errors; nothing was written.`);
    return undefined;
  }
  const ledger = await studyLedger(dir, db);
  const retained = retainedEvidence(dir, study, keptShas(ledger?.entries ?? [], (sha) => ledger?.blobs.get(sha)));
  return { study, result: computeStudy(loadLaw(), study, { retainedEvidence: retained }), ledger };
}

function write(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, data);
  console.error(`wrote ${path}`);
}

/** The study's evidence ledger (its embedded database), when it has one. */
async function studyLedger(dir: string, db?: string): Promise<{ entries: LedgerEntry[]; blobs: Map<string, Uint8Array> } | undefined> {
  const dataDir = db ?? join(dir, '.rdcredit', 'db');
  if (!existsSync(dataDir)) {
    // The study folder's own file ledger (rdcredit import without --db)
    if (db || !existsSync(join(dir, '.rdcredit', 'ledger'))) return undefined;
    return folderEvidence(dir).ledger.snapshot();
  }
  const store = await openStore({ dataDir });
  try {
    return await store.ledger.snapshot();
  } finally {
    await store.close();
  }
}

export async function runForms(dir: string, opts: { format: string; out: string }): Promise<number> {
  if (!['json', 'csv', 'pdf'].includes(opts.format)) {
    console.error(`--format must be json, csv or pdf, not "${opts.format}"`);
    return 2;
  }
  const c = await computeOrReport(dir);
  if (!c) return 2;
  const files = await renderForms(c.result, c.study, opts.format as FormsFormat, { law: loadLaw() });
  for (const f of files) write(join(opts.out, f.name), f.data);
  return 0;
}

export async function runReport(dir: string, opts: { format: string; out: string }): Promise<number> {
  if (!['html', 'pdf'].includes(opts.format)) {
    console.error(`--format must be html or pdf, not "${opts.format}"`);
    return 2;
  }
  const c = await computeOrReport(dir);
  if (!c) return 2;
  write(opts.out, opts.format === 'pdf' ? await renderReportPdf(c.result, c.study) : renderReportHtml(c.result, c.study));
  return 0;
}

export async function runWorkpapers(dir: string, opts: { out: string; db?: string; preparedBy?: string }): Promise<number> {
  const c = await computeOrReport(dir, opts.db);
  if (!c) return 2;
  const ledger = c.ledger;
  const buf = await writeWorkpapers(c.result, c.study, {
    law: loadLaw(),
    ...(ledger ? { ledger: ledger.entries } : {}),
    ...(c.result.qualification ? { qualification: c.result.qualification } : {}),
    ...(opts.preparedBy ? { preparedBy: opts.preparedBy } : {}),
  });
  write(opts.out, buf);
  return 0;
}

export async function runRefundPacket(dir: string, opts: { json?: boolean; csv?: string; out?: string; signer?: string }): Promise<number> {
  const c = await computeOrReport(dir);
  if (!c) return 2;
  const signer = opts.signer ? (([name, title, date]) => ({ name: name ?? '', title: title ?? '', date: date ?? '' }))(opts.signer.split(',').map((x) => x.trim())) : undefined;
  const packet = buildRefundPacket(c.study, c.result, { ...(c.result.qualification ? { qualification: c.result.qualification } : {}), ...(signer ? { signer } : {}) });
  if (opts.csv) write(opts.csv, refundPacketCsv(packet));
  if (opts.out) write(opts.out, refundPacketMarkdown(packet));
  if (opts.json) console.log(JSON.stringify(packet, null, 2));
  else if (!opts.out) console.log(refundPacketMarkdown(packet));
  return packet.check.complete ? 0 : 1;
}

export async function runAudit(dir: string, opts: { out: string; db?: string; preparedBy?: string }): Promise<number> {
  const c = await computeOrReport(dir, opts.db);
  if (!c) return 2;
  const law = loadLaw();
  const ledger = c.ledger;
  // The evidence bytes: the study folder's files that hash to their items' SHA-256, and the
  // ledger's blobs. The readiness check "Raw inputs retained" is judged on exactly these.
  const folder = evidenceFiles(dir, c.study);
  for (const p of folder.problems) console.error(`warning: ${p.message}`);
  const forms: Record<string, Uint8Array | string> = {};
  for (const fmt of ['json', 'csv', 'pdf'] as const) for (const f of await renderForms(c.result, c.study, fmt, { law })) forms[f.name] = f.data as Uint8Array | string;
  const packet = buildRefundPacket(c.study, c.result, c.result.qualification ? { qualification: c.result.qualification } : {});
  const zip = buildAuditFile({
    result: c.result,
    reportPdf: await renderReportPdf(c.result, c.study),
    reportHtml: renderReportHtml(c.result, c.study),
    forms,
    workpapers: await writeWorkpapers(c.result, c.study, { law, ...(ledger ? { ledger: ledger.entries } : {}), ...(c.result.qualification ? { qualification: c.result.qualification } : {}) }),
    refund: { 'refund-packet.json': JSON.stringify(packet, null, 2), 'refund-packet.md': refundPacketMarkdown(packet), 'refund-packet.csv': refundPacketCsv(packet) },
    ledger: { entries: ledger?.entries ?? [], blob: (sha) => ledger?.blobs.get(sha) },
    ...(c.study.evidence ? { evidence: c.study.evidence } : {}),
    evidenceFiles: folder.files,
    createdAt: new Date().toISOString(),
    ...(opts.preparedBy ? { preparedBy: opts.preparedBy } : {}),
  });
  write(opts.out, zip);
  const v = verifyAuditFile(zip);
  console.log(`root hash ${v.manifest?.rootHash ?? '(none)'} — record it outside the file (engagement letter, return workpapers): rdcredit verify ${opts.out} --root <hash>`);
  return v.ok ? 0 : 1;
}
