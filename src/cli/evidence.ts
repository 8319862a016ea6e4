/**
 * `rdcredit evidence add <study> <file>`: captures a document (an ADR, a design note, a contract,
 * interview notes…) into the study: its bytes go into the study's evidence ledger (append-only,
 * hash-chained) and under `evidence/` in the folder, and an evidence item with its SHA-256, the
 * date it claims and the time it was captured is added to evidence.csv, linked to components and
 * people. Adding the same bytes again changes nothing.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { folderEvidence } from '../evidence/file-ledger.js';
import { isoDate } from '../periods/index.js';
import { readStudyFolder, writeStudyFolder } from '../study/folder/index.js';
import { EVIDENCE_KINDS } from '../study/folder/tables.js';
import type { EvidenceItem } from '../study/model.js';
import { loadStudyOrReport } from './compute.js';

export interface EvidenceAddOptions {
  kind: string;
  title?: string;
  component?: string[];
  employee?: string[];
  claimedDate?: string;
  id?: string;
  outcome?: string;
}

export async function runEvidenceAdd(dir: string, file: string, o: EvidenceAddOptions): Promise<number> {
  const study = loadStudyOrReport(dir);
  if (!study) {
    console.error(`${dir}: the study folder has errors; nothing was captured.`);
    return 2;
  }
  const fail = (m: string) => {
    console.error(m);
    return 2;
  };
  if (!existsSync(file)) return fail(`${file}: no such file`);
  if (!(EVIDENCE_KINDS as readonly string[]).includes(o.kind)) return fail(`--kind must be one of ${EVIDENCE_KINDS.join(', ')}, not "${o.kind}"`);
  const components = o.component ?? [];
  const employees = o.employee ?? [];
  for (const c of components) if (!study.components.some((x) => x.id === c)) return fail(`--component ${c}: no such business component in the study`);
  for (const e of employees) if (!study.employees.some((x) => x.id === e)) return fail(`--employee ${e}: no such employee in the study`);
  let claimed: string | undefined;
  if (o.claimedDate) {
    try {
      claimed = isoDate(o.claimedDate);
    } catch {
      return fail(`--claimed-date must be a date (YYYY-MM-DD), not "${o.claimedDate}"`);
    }
  }
  if (o.outcome && !['success', 'failure', 'inconclusive'].includes(o.outcome)) return fail('--outcome must be success, failure or inconclusive');

  const bytes = new Uint8Array(readFileSync(file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const existing = (study.evidence ?? []).find((e) => e.sha256 === sha256);
  if (existing) {
    console.log(`${basename(file)}: already captured as ${existing.id} (sha256 ${sha256})`);
    return 0;
  }
  const id = o.id ?? `doc:${sha256.slice(0, 12)}`;
  if ((study.evidence ?? []).some((e) => e.id === id)) return fail(`an evidence item ${id} exists already`);
  const capturedAt = new Date().toISOString();
  const uri = `evidence/captured/${sha256.slice(0, 12)}-${basename(file)}`;

  // Ledger first (append-only), then the file in the folder, then the row: a failure leaves the study as it was
  const { entry } = await folderEvidence(dir).ledger.append(bytes, { name: basename(file), kind: o.kind, ...(claimed ? { claimedDate: claimed } : {}), receivedAt: capturedAt, studyId: study.id });
  mkdirSync(join(dir, 'evidence', 'captured'), { recursive: true });
  copyFileSync(file, join(dir, uri));
  const item: EvidenceItem = {
    id,
    kind: o.kind as EvidenceItem['kind'],
    title: o.title ?? basename(file),
    sha256,
    ...(claimed ? { claimedDate: claimed as EvidenceItem['claimedDate'] } : {}),
    capturedAt,
    componentIds: components,
    employeeIds: employees,
    uri,
    ...(o.outcome ? { outcome: o.outcome as EvidenceItem['outcome'] } : {}),
    source: { file: basename(file), sha256, note: `ledger entry ${entry.seq}` },
  };
  const next = { ...study, evidence: [...(study.evidence ?? []), item] };
  writeStudyFolder(next, dir);
  if (!readStudyFolder(dir).study) {
    writeStudyFolder(study, dir);
    return fail('the study could not be written back; the evidence row was not added (the bytes stay in the ledger)');
  }
  console.log(`captured ${basename(file)} as ${id}: sha256 ${sha256}, ledger entry ${entry.seq}${claimed ? `, dated ${claimed}` : ''}`);
  return 0;
}
