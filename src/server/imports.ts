/**
 * Imports through the API: a preview of the column mapping from the head of a file, and import
 * jobs that run the same service as `rdcredit import` (src/importers/ingest.ts: parse, validate and
 * merge all or nothing; the raw bytes in the evidence ledger; the import log) with progress.
 */
import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { detectProfile, planImport, type Diagnostic, type ImportKind, type ImportResult } from '../importers/index.js';
import { readCsv } from '../importers/csv.js';
import type { Study } from '../study/model.js';
import { ApiError } from './errors.js';
import type { Access, Workspace } from './workspace.js';

export interface ImportPreview {
  format: 'csv' | 'xlsx' | 'json' | 'other';
  headerRow?: number;
  profile?: { id: string; kind: string; vendor: string; confidence: string; alsoMatched: string[] };
  /** Our field → the file's column. */
  mapping: { field: string; column: number; header: string }[];
  /** Headers no field of the profile reads. */
  unmapped: string[];
  sample: string[][];
  diagnostics: Diagnostic[];
}

const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_ROWS = 30;

/** Reads the head of a file and says which profile matches and how its columns map. */
export async function previewImport(tmpDir: string, name: string, head: Uint8Array, kind?: ImportKind): Promise<ImportPreview> {
  const ext = extname(name).toLowerCase();
  if (ext === '.xlsx') return { format: 'xlsx', mapping: [], unmapped: [], sample: [], diagnostics: [{ file: name, severity: 'info', message: 'XLSX files are mapped when imported; the preview reads CSV and TSV only' }] };
  const text = Buffer.from(head.subarray(0, 16)).toString('latin1').replace(/^\uFEFF|^ï»¿/, '');
  if (/^\s*[[{]/.test(text) || ext === '.json') return { format: 'json', mapping: [], unmapped: [], sample: [], diagnostics: [{ file: name, severity: 'info', message: 'JSON exports are recognised by content when imported' }] };
  let cut = Math.min(head.length, PREVIEW_BYTES);
  if (head.length > PREVIEW_BYTES) {
    const nl = head.subarray(0, PREVIEW_BYTES).lastIndexOf(10);
    if (nl > 0) cut = nl + 1;
  }
  mkdirSync(tmpDir, { recursive: true });
  const path = join(tmpDir, `preview-${randomUUID()}${ext || '.csv'}`);
  writeFileSync(path, head.subarray(0, cut));
  const rows: { line: number; texts: string[] }[] = [];
  try {
    await readCsv(path, {}, () => {
      rows.length = 0;
      return (row) => {
        if (rows.length >= PREVIEW_ROWS) return;
        const texts: string[] = [];
        for (let i = 0; i < row.count; i++) texts.push(row.text(i));
        rows.push({ line: row.line, texts });
      };
    });
  } finally {
    rmSync(path, { force: true });
  }
  for (const [i, r] of rows.entries()) {
    const d = detectProfile(r.texts, kind ? { kind } : {});
    if (!d) continue;
    const used = new Set(Object.values(d.columns));
    return {
      format: 'csv',
      headerRow: r.line,
      profile: { id: d.profile.id, kind: d.profile.kind, vendor: d.profile.vendor, confidence: d.profile.confidence, alsoMatched: d.alsoMatched },
      mapping: Object.entries(d.columns)
        .sort((a, b) => a[1] - b[1])
        .map(([field, column]) => ({ field, column, header: r.texts[column] ?? '' })),
      unmapped: r.texts.filter((_, j) => !used.has(j)),
      sample: rows.slice(i + 1, i + 6).map((x) => x.texts),
      diagnostics: [],
    };
  }
  return {
    format: 'csv',
    mapping: [],
    unmapped: rows[0]?.texts ?? [],
    sample: rows.slice(1, 6).map((x) => x.texts),
    diagnostics: [{ file: name, severity: 'error', row: rows[0]?.line ?? 1, message: `no header row in the first ${rows.length} rows matches a ${kind ?? 'known'} profile` }],
  };
}

export interface JobState {
  id: string;
  studyId: string;
  fileName: string;
  status: 'running' | 'done' | 'rejected' | 'failed';
  bytesTotal: number;
  bytesRead: number;
  sha256?: string;
  result?: ImportSummary;
  error?: string;
}

export interface ImportSummary {
  kind: string;
  profile: string;
  sha256: string;
  accepted: boolean;
  /** imported, already_imported (same SHA-256 imported before: nothing changed), rejected, failed. */
  status: string;
  message: string;
  diagnostics: Diagnostic[];
  stats: ImportResult['stats'];
  /** Counts by list (time, employees, supplies, …) of what the merge added, updated and replaced. */
  merged?: { added: Record<string, number>; updated: Record<string, number>; replaced: Record<string, number> };
  version?: number;
}

export class ImportJobs {
  private readonly jobs = new Map<string, JobState>();
  private readonly listeners = new Map<string, Set<(j: JobState) => void>>();

  constructor(
    private readonly ws: Workspace,
    private readonly tmpDir: string,
  ) {
    mkdirSync(tmpDir, { recursive: true });
  }

  /** Streams a request body to a temporary file; enforces the size limit. */
  async receive(body: ReadableStream<Uint8Array> | null, name: string, maxBytes: number): Promise<string> {
    if (!body) throw new ApiError('bad_request', 'the request has no body');
    const path = join(this.tmpDir, `upload-${randomUUID()}${extname(name).toLowerCase() || '.csv'}`);
    let size = 0;
    const limit = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        size += chunk.byteLength;
        if (size > maxBytes) ctl.error(new ApiError('too_large', `the file is larger than ${maxBytes} bytes`));
        else ctl.enqueue(chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(body.pipeThrough(limit) as never), createWriteStream(path));
    } catch (e) {
      rmSync(path, { force: true });
      throw e instanceof ApiError ? e : ((e as { cause?: unknown }).cause instanceof ApiError ? (e as { cause: ApiError }).cause : e);
    }
    return path;
  }

  saveBytes(bytes: Uint8Array, name: string): string {
    const path = join(this.tmpDir, `upload-${randomUUID()}${extname(name).toLowerCase() || '.csv'}`);
    writeFileSync(path, bytes);
    return path;
  }

  get(id: string): JobState | undefined {
    return this.jobs.get(id);
  }

  async load(studyId: string, id: string): Promise<JobState | undefined> {
    const live = this.jobs.get(id);
    if (live) return live.studyId === studyId ? live : undefined;
    const r = (await this.ws.db.query<{ id: string; study_id: string; file_name: string; status: JobState['status']; bytes_total: string; bytes_read: string; sha256: string | null; result: ImportSummary | null }>(
      'select id, study_id, file_name, status, bytes_total, bytes_read, sha256, result from import_job where id = $1 and study_id = $2',
      [id, studyId],
    ))[0];
    if (!r) return undefined;
    return { id: r.id, studyId: r.study_id, fileName: r.file_name, status: r.status, bytesTotal: Number(r.bytes_total), bytesRead: Number(r.bytes_read), ...(r.sha256 ? { sha256: r.sha256 } : {}), ...(r.result ? { result: r.result } : {}) };
  }

  async list(studyId: string) {
    return (await this.ws.db.query<{ id: string; file_name: string; status: string; sha256: string | null; created_at: string; result: ImportSummary | null }>(
      'select id, file_name, status, sha256, created_at::text as created_at, result from import_job where study_id = $1 order by created_at desc limit 100',
      [studyId],
    )).map((r) => ({ id: r.id, fileName: r.file_name, status: r.status, sha256: r.sha256, createdAt: r.created_at, profile: r.result?.profile ?? null, accepted: r.result?.accepted ?? null }));
  }

  subscribe(id: string, fn: (j: JobState) => void): () => void {
    const set = this.listeners.get(id) ?? new Set();
    set.add(fn);
    this.listeners.set(id, set);
    return () => set.delete(fn);
  }

  private emit(j: JobState): void {
    for (const fn of this.listeners.get(j.id) ?? []) fn(j);
  }

  /** Starts an import of a file already on disk; resolves with the job at once, `done` when finished. */
  async start(a: Access, path: string, name: string, opts: { kind?: ImportKind; profile?: string; acceptSkip?: number[] }): Promise<{ job: JobState; done: Promise<JobState> }> {
    const size = statSync(path).size;
    const job: JobState = { id: randomUUID(), studyId: a.studyId, fileName: name, status: 'running', bytesTotal: size, bytesRead: 0 };
    this.jobs.set(job.id, job);
    await this.ws.db.query("insert into import_job (id, study_id, user_id, file_name, status, bytes_total) values ($1, $2, $3, $4, 'running', $5)", [job.id, a.studyId, a.user.id, name, size]);
    const done = this.run(a, job, path, opts).finally(() => {
      rmSync(path, { force: true });
      setTimeout(() => {
        this.jobs.delete(job.id);
        this.listeners.delete(job.id);
      }, 60_000).unref();
    });
    return { job, done };
  }

  private async run(a: Access, job: JobState, path: string, opts: { kind?: ImportKind; profile?: string; acceptSkip?: number[] }): Promise<JobState> {
    try {
      let last = 0;
      const options = {
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.acceptSkip ? { acceptSkip: opts.acceptSkip } : {}),
        onProgress: (read: number, total: number) => {
          job.bytesRead = read;
          job.bytesTotal = total;
          const now = Date.now();
          if (now - last > 100) {
            last = now;
            this.emit(job);
          }
        },
      };
      // The same service as `rdcredit import`: plan (parse, validate, merge; no side effects), then
      // commit (ledger, save, import log). Planned on the working copy; planned again under the
      // study's lock only if the study changed meanwhile.
      const base = await this.ws.study(a.studyId);
      let plan = await planImport(base, path, options, this.ws.store);
      job.sha256 = plan.sha256;
      job.bytesRead = job.bytesTotal;
      const summary: ImportSummary = {
        kind: plan.result?.kind ?? opts.kind ?? 'unknown',
        profile: plan.result?.profile ?? opts.profile ?? '(none)',
        sha256: plan.sha256,
        accepted: plan.status === 'imported',
        status: plan.status,
        message: plan.message,
        diagnostics: plan.diagnostics.map((d) => ({ ...d, file: job.fileName })),
        stats: plan.result?.stats ?? { bytes: job.bytesTotal, rowsRead: 0, rowsUsed: 0, rowsSkipped: 0, rowsExcluded: 0, errorRows: [], recordsOut: 0, millis: 0 },
      };
      if (plan.status === 'imported') {
        const out = await this.ws.change(a, 'import', `file:${job.fileName}`, async (study) => {
          if ((await this.ws.study(a.studyId)) !== base) plan = await planImport(study, path, options, this.ws.store);
          if (plan.status !== 'imported') throw new ApiError('conflict', `the study changed during the import and the file can no longer be merged: ${plan.message}`);
          const before = { employees: study.employees.length, time: study.time.length, supplies: study.supplies.length, contracts: study.contracts.length, computers: study.computers.length, evidence: study.evidence?.length ?? 0 };
          let saved: Study | undefined;
          await plan.commit([this.ws.store], async (next) => {
            saved = next;
            await this.ws.saveStudy(next);
          });
          const s = saved!;
          const after = { employees: s.employees.length, time: s.time.length, supplies: s.supplies.length, contracts: s.contracts.length, computers: s.computers.length, evidence: s.evidence?.length ?? 0, sha256: plan.sha256, profile: plan.result?.profile, report: plan.report };
          return { before, after, value: plan.report };
        });
        summary.merged = out.value ? { added: out.value.added, updated: out.value.updated, replaced: out.value.replaced } : undefined;
        summary.version = out.version;
        job.status = 'done';
      } else job.status = plan.status === 'already_imported' ? 'done' : 'rejected';
      job.result = summary;
    } catch (e) {
      job.status = 'failed';
      job.error = e instanceof Error ? e.message : String(e);
      job.result = { kind: opts.kind ?? 'unknown', profile: opts.profile ?? '(none)', sha256: job.sha256 ?? '', accepted: false, status: 'failed', message: job.error, diagnostics: [{ file: job.fileName, severity: 'error', message: job.error }], stats: { bytes: job.bytesTotal, rowsRead: 0, rowsUsed: 0, rowsSkipped: 0, rowsExcluded: 0, errorRows: [], recordsOut: 0, millis: 0 } };
    }
    await this.ws.db.query('update import_job set status = $2, bytes_read = $3, sha256 = $4, result = $5, finished_at = now() where id = $1', [job.id, job.status, job.bytesRead, job.sha256 ?? null, JSON.stringify(job.result)]);
    this.emit(job);
    return job;
  }
}
