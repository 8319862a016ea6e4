/**
 * Importing a file into a study, all or nothing, with its raw bytes kept in the evidence ledger.
 *
 *   const plan = await planImport(study, 'payroll.csv', { componentMap }, folderEvidence(dir));
 *   if (plan.status === 'imported') await plan.commit([folderEvidence(dir)], async (s) => writeFolder(s));
 *
 * 1. The file is hashed; a file whose SHA-256 is already in the study's import log is "already
 *    imported" and nothing changes.
 * 2. It is parsed, validated and aggregated by `importFile`; a file with errors on rows not listed
 *    in `acceptSkip` is rejected and nothing changes.
 * 3. MLflow runs and commits become evidence items, each with its own content in the ledger.
 * 4. The records are merged into the study (./merge.ts); a merge error (an unknown employee or
 *    component) rejects the import and nothing changes.
 * 5. `commit` appends the raw bytes and the evidence contents to each ledger (one transaction per
 *    ledger), lets the caller save the study, and only then records the import in each import log —
 *    so a failure before the end leaves the import unrecorded and it can simply be run again.
 *
 * `rebuildFromLedger(target, studyId, study?)` re-derives every imported file's records from the
 * bytes in the ledger with the options recorded at import time (and, given the study, the evidence
 * items). An `mlruns` directory is kept as the deterministic ZIP archive `packMlruns` makes of it
 * (./mlruns.ts), so it is rebuilt like any file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { EvidenceTarget, ImportLogEntry } from '../evidence/file-ledger.js';
import type { Study } from '../study/model.js';
import { toEvidenceItems, type EvidenceCapture } from './evidence-items.js';
import { importFile, importPackedMlruns, type ImportOptions } from './index.js';
import { packMlruns } from './mlruns.js';
import { loadComponentMap } from './mapping.js';
import { mergeRecords, type MergeReport } from './merge.js';
import type { Diagnostic, ImportResult } from './types.js';

export interface ImportIntoStudyOptions extends ImportOptions {
  /** SHA-256s (or unique prefixes) of earlier imports whose rows this file replaces (see merge.ts). */
  replace?: string[];
  /** When the bytes were received (default: now). */
  receivedAt?: string;
}

export type ImportStatus = 'imported' | 'already_imported' | 'rejected';

export interface ImportPlan {
  status: ImportStatus;
  sha256: string;
  /** The study after the import (the input study when not imported). */
  study: Study;
  result?: ImportResult;
  report?: MergeReport;
  /** Everything to show: the importer's diagnostics, then the merge's. */
  diagnostics: Diagnostic[];
  /** Short human message ("already imported", "imported: 12 time rows, …", "rejected: …"). */
  message: string;
  /**
   * Keeps the bytes in every target's ledger, calls `save(study)`, then records the import in every
   * target's import log. Only for status "imported".
   */
  commit(targets: readonly EvidenceTarget[], save: (study: Study) => Promise<void>): Promise<ImportLogEntry[]>;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

/**
 * The importer options worth recording to re-derive the rows: the component map by content, and
 * the people the file names resolved to employee ids (so a rebuild needs no employee list).
 */
function recordedOptions(opts: ImportIntoStudyOptions, result: ImportResult): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of ['kind', 'profile', 'acceptSkip', 'year', 'delimiter', 'encoding'] as const) if (opts[k] !== undefined) o[k] = opts[k];
  if (opts.componentMap !== undefined) o.componentMap = loadComponentMap(opts.componentMap);
  const people = { ...(opts.people ?? {}), ...(result.people ?? {}) };
  if (Object.keys(people).length) o.people = people;
  // The employees the time rows went to (ids only): a rebuild checks the people against these, so a
  // row that named no employee at import time (skipped with acceptSkip) is not let through later.
  if (result.kind === 'time' && opts.employees) o.employees = [...new Set(result.records.time.map((t) => t.employeeId))].sort().map((id) => ({ id, name: '' }));
  return o;
}

/** The people entries (value → employee id) of recorded or given options: the component map's and the recorded resolutions. */
function peopleOf(opts: { componentMap?: unknown; people?: unknown }): Record<string, string> {
  const map = opts.componentMap === undefined ? {} : loadComponentMap(opts.componentMap as ImportOptions['componentMap']).people;
  return { ...map, ...((opts.people as Record<string, string> | undefined) ?? {}) };
}

const notCommittable = async (): Promise<never> => {
  throw new Error('only an accepted import can be committed');
};

/** Plans the import of `path` into `study` (no side effects). `log` is the evidence target whose import log decides "already imported". */
export async function planImport(study: Study, path: string, opts: ImportIntoStudyOptions, log: EvidenceTarget): Promise<ImportPlan> {
  // A directory (MLflow mlruns) is packed into one deterministic archive: its bytes are what the
  // ledger keeps, its SHA-256 is the import's identity, and the runs are read from it.
  const packed = statSync(path).isDirectory() ? packMlruns(path) : undefined;
  const file = packed ? packed.name : basename(path);
  const sha256 = packed ? packed.sha256 : await hashFile(path);
  const earlier = (await log.imports.list(study.id)).find((e) => e.sha256 === sha256);
  if (earlier)
    return { status: 'already_imported', sha256, study, diagnostics: [], message: `already imported (${earlier.name}, ${earlier.receivedAt}, sha256 ${sha256.slice(0, 12)}…): nothing changed`, commit: notCommittable };

  // People named in a time file are resolved against the study's employees (./people.ts).
  const withStaff: ImportIntoStudyOptions = { ...opts, employees: opts.employees ?? study.employees.map((e) => ({ id: e.id, name: e.name })) };
  const result = packed ? importPackedMlruns(path, packed, withStaff) : await importFile(path, withStaff);
  if (!result.accepted || result.sha256 !== sha256) {
    const diagnostics = [...result.diagnostics];
    if (result.accepted) diagnostics.unshift({ file, severity: 'error', message: 'the file changed while it was being imported', expected: 'a file that does not change during the import' });
    return { status: 'rejected', sha256, study, result, diagnostics, message: `rejected: ${diagnostics.filter((d) => d.severity === 'error').length} errors; nothing was imported`, commit: notCommittable };
  }
  const receivedAt = opts.receivedAt ?? new Date().toISOString();
  const { captures, diagnostics: evDiags } = toEvidenceItems(result.records.evidence, study, receivedAt, file, peopleOf(opts));
  const merged = mergeRecords(study, { ...result.records, evidenceItems: captures.map((c) => c.item) }, { file, sha256 }, opts.replace ? { replace: opts.replace } : {});
  const diagnostics = [...result.diagnostics, ...evDiags, ...merged.report.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors) return { status: 'rejected', sha256, study, result, report: merged.report, diagnostics, message: `rejected: ${errors} errors merging into the study; nothing was imported`, commit: notCommittable };

  const counts: Record<string, number> = {};
  for (const [k, n] of Object.entries(merged.report.added)) counts[k] = n;
  const parts = Object.entries(merged.report.added).map(([k, n]) => `${n} ${k} added`);
  for (const [k, n] of Object.entries(merged.report.updated)) parts.push(`${n} ${k} updated`);
  for (const [k, n] of Object.entries(merged.report.replaced)) parts.push(`${n} ${k} replaced`);
  return {
    status: 'imported',
    sha256,
    study: merged.study,
    result,
    report: merged.report,
    diagnostics,
    message: `imported (${result.profile}, sha256 ${sha256.slice(0, 12)}…): ${parts.join(', ') || 'no records'}`,
    async commit(targets, save) {
      const raw = packed ? packed.bytes : new Uint8Array(readFileSync(path));
      if (createHash('sha256').update(raw).digest('hex') !== sha256) throw new Error(`${file} changed after it was read; import it again`);
      const items = [
        { bytes: raw, input: { name: file, kind: result.kind, receivedAt, studyId: study.id, ...(study.firm ? { firmId: study.firm.id } : {}) } },
        ...captures.map((c: EvidenceCapture) => ({ bytes: c.bytes, input: { name: `${c.item.id}.json`, kind: c.item.kind, receivedAt, studyId: study.id, ...(c.item.claimedDate ? { claimedDate: c.item.claimedDate } : {}) } })),
      ];
      const kept = [];
      for (const t of targets) kept.push((await t.ledger.appendMany(items))[0]!.entry);
      await save(merged.study);
      const out: ImportLogEntry[] = [];
      for (const [i, t] of targets.entries())
        out.push(await t.imports.append({ studyId: study.id, sha256, ledgerSeq: kept[i]!.seq, name: file, kind: result.kind, profile: result.profile, options: recordedOptions(withStaff, result), receivedAt, records: counts }));
      return out;
    },
  };
}

export interface RebuiltImport {
  entry: ImportLogEntry;
  result: ImportResult;
  /**
   * With `study`: the evidence items (MLflow runs, commits) as the import made them — captured at
   * the time received, linked to the study's components and employees — each with the canonical
   * content whose SHA-256 is the item's address in the ledger.
   */
  evidence?: EvidenceCapture[];
}

/**
 * Re-derives the records of every file imported into `studyId` from the raw bytes in the ledger,
 * with the options recorded at import time. Throws when a raw file is missing or no longer hashes
 * to its recorded SHA-256 (run `ledger.verify()` to see which entry).
 */
export async function rebuildFromLedger(target: EvidenceTarget, studyId: string, study?: Study): Promise<RebuiltImport[]> {
  const out: RebuiltImport[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rdcredit-rebuild-'));
  try {
    for (const entry of await target.imports.list(studyId)) {
      const bytes = await target.ledger.blob(entry.sha256);
      if (!bytes) throw new Error(`ledger: the raw file ${entry.name} (${entry.sha256.slice(0, 12)}…) is missing`);
      const p = join(mkdtempSync(join(dir, `${entry.seq}-`)), entry.name);
      writeFileSync(p, bytes);
      const result = await importFile(p, entry.options as ImportOptions);
      if (result.sha256 !== entry.sha256) throw new Error(`ledger: the raw file ${entry.name} no longer hashes to ${entry.sha256.slice(0, 12)}…`);
      result.file = entry.name;
      const rebuilt: RebuiltImport = { entry, result };
      if (study && result.records.evidence.length) rebuilt.evidence = toEvidenceItems(result.records.evidence, study, entry.receivedAt, entry.name, peopleOf(entry.options)).captures;
      out.push(rebuilt);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
