/**
 * Public surface of the importers.
 *
 *   importFile(path, { kind?, profile?, componentMap?, acceptSkip?, onProgress?, year? }) → ImportResult
 *
 * Tabular sources (CSV in any supported encoding, XLSX) are matched to a vendor header profile
 * (YAML data under ./profiles; `listProfiles()`), parsed in one streaming pass, normalised,
 * validated and aggregated to the grain of the study model. JSON API dumps (Jira worklogs, Tempo
 * worklogs, MLflow runs/search), an `mlruns` directory or a ZIP archive of one (./mlruns.ts: a
 * directory is packed into a deterministic archive and read from it) and a `git log` export
 * (format in ./sources.ts) are recognised by content.
 *
 * All or nothing: if any row has an error and its row number is not in `acceptSkip`, the result has
 * `accepted: false` and no records (the diagnostics say what to fix). Rows listed in `acceptSkip`
 * that have errors are skipped and reported as warnings. Output order is deterministic and every
 * result carries the file's SHA-256, computed in the reading pass.
 */
import { statSync, openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ImportContext } from './context.js';
import { readCsv, type CsvInfo, type Row } from './csv.js';
import { loadComponentMap, type ComponentMap, type ComponentMapInput } from './mapping.js';
import { detectProfile, listProfiles, getProfile, type Detection, type Profile } from './profiles.js';
import { TimeAggregator } from './time.js';
import { createProcessor, type Processor } from './processors.js';
import { readXlsx } from './xlsx.js';
import { peopleResolver, resolvedPeople, type Person, type PeopleResolver } from './people.js';
import { importJson, importGitLog, sniffJsonKind } from './sources.js';
import { importMlrunsArchive, importMlrunsDir, looksLikeZip, type PackedMlruns } from './mlruns.js';
import { tryParallelTime } from './parallel.js';
import { emptyRecords, type ImportKind, type ImportResult, type ImportedRecords } from './types.js';

export type { ImportResult, ImportKind, Diagnostic, EvidenceRecord, ImportedRecords, ImportStats, Severity } from './types.js';
export type { Profile } from './profiles.js';
export type { ComponentMap, ComponentMapInput } from './mapping.js';
export { listProfiles, getProfile, detectProfile } from './profiles.js';
export { loadComponentMap } from './mapping.js';
export { PeopleResolver, peopleResolver, personKey, type Person } from './people.js';
export { progressBar } from './progress.js';
export { PARALLEL_MIN_BYTES } from './parallel.js';
export { planImport, rebuildFromLedger, type ImportPlan, type ImportStatus, type ImportIntoStudyOptions, type RebuiltImport } from './ingest.js';
export { mergeRecords, resolveShas, type MergeOptions, type MergeReport } from './merge.js';
export { toEvidenceItems, canonicalRecordBytes, type EvidenceCapture } from './evidence-items.js';
export { packMlruns, zipArchive, importMlrunsArchive, MLRUNS_MAX_BYTES, type PackedMlruns } from './mlruns.js';

export interface ImportOptions {
  /** Restrict profile detection to one kind (or say what a JSON/log file is). */
  kind?: ImportKind;
  /** Force a profile by id (see listProfiles()). */
  profile?: string;
  /** Mapping rules (object or path to a YAML file): projects/tags → components and activities, accounts → supplies… */
  componentMap?: ComponentMapInput | string;
  /** Row numbers (as reported in diagnostics) whose errors the caller accepts: those rows are skipped. */
  acceptSkip?: number[];
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Payroll and ledger: keep only rows whose check/posting date falls in this calendar year. */
  year?: number;
  /** Override the CSV delimiter or encoding detection. */
  delimiter?: ',' | ';' | '\t';
  encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /**
   * Worker threads for a large time-entry CSV (default: the available parallelism, at most 4;
   * 1 = read sequentially). See ./parallel.ts.
   */
  workers?: number;
  /** Smallest file read in parallel (default PARALLEL_MIN_BYTES, 32 MiB). */
  parallelMinBytes?: number;
  /**
   * Time files that name people: the study's employees. Each person in the file must then be an
   * employee id, an entry of the component map's `people:` section, or the name of exactly one of
   * these employees; anything else is a row error naming the candidates (./people.ts).
   */
  employees?: readonly Person[];
  /** More `people:` entries (value → employee id), e.g. the resolutions recorded by an earlier import of the file. */
  people?: Record<string, string>;
}

/** Imports one file (or an `mlruns` directory). Never throws on bad input; throws only on I/O errors and invalid options. */
export async function importFile(path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const t0 = performance.now();
  const map = loadComponentMap(opts.componentMap);
  const st = statSync(path);
  if (opts.profile && !getProfile(opts.profile)) throw new Error(`unknown profile "${opts.profile}"; known: ${listProfiles().map((p) => p.id).join(', ')}`);
  let res: ImportResult;
  if (st.isDirectory()) res = importMlrunsDir(path, opts, map);
  else {
    const ext = extname(path).toLowerCase();
    const head = peek(path, 4096);
    // An Office Open XML workbook is a ZIP too: its first entry is [Content_Types].xml.
    if (ext === '.xlsx' || (looksLikeZip(head) && head.includes('[Content_Types].xml') && ext !== '.zip')) res = await importTabular(path, opts, map, 'xlsx');
    else if (ext === '.zip' || looksLikeZip(head)) res = importMlrunsArchive(new Uint8Array(readFileSync(path)), basename(path), path, opts, map);
    else if (opts.kind === 'git' || (!opts.kind && /^\s*\x1e/.test(head))) res = await importGitLog(path, opts, map);
    else if (ext === '.json' || ext === '.ndjson' || opts.kind === 'mlflow' || /^\s*[[{]/.test(head.replace(/^\uFEFF/, ''))) {
      const jk = sniffJsonKind(head);
      if (jk === undefined && ext !== '.json') res = await importTabular(path, opts, map, 'csv');
      else res = await importJson(path, opts, map, jk);
    } else res = await importTabular(path, opts, map, ext === '.xlsx' ? 'xlsx' : 'csv');
  }
  res.stats.millis = Math.round(performance.now() - t0);
  return res;
}

/** Reads the runs of an `mlruns` directory already packed by `packMlruns` (what planImport keeps in the ledger). */
export function importPackedMlruns(dir: string, packed: PackedMlruns, opts: ImportOptions = {}): ImportResult {
  const t0 = performance.now();
  const res = importMlrunsDir(dir, opts, loadComponentMap(opts.componentMap), packed);
  res.stats.millis = Math.round(performance.now() - t0);
  return res;
}

function peek(path: string, n: number): string {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** Number of records read before giving up on finding a header row. */
const HEADER_SEARCH_ROWS = 30;

async function importTabular(path: string, opts: ImportOptions, map: ComponentMap, format: 'csv' | 'xlsx'): Promise<ImportResult> {
  if (format === 'csv') {
    const par = await tryParallelTime(path, opts, map);
    if (par) return par;
  }
  const people = peopleResolver(map.people, opts);
  const file = basename(path);
  let ctx = new ImportContext(file, opts.acceptSkip);
  let det: Detection | undefined;
  let proc: Processor | undefined;
  let firstRows: string[][] = [];
  let unusable = false;
  let delimiter: string | undefined = opts.delimiter;

  const start = () => {
    ctx = new ImportContext(file, opts.acceptSkip);
    det = undefined;
    proc = undefined;
    firstRows = [];
    unusable = false;
    return (row: Row) => {
      if (proc) return proc.row(row);
      if (unusable) return;
      const texts: string[] = [];
      for (let i = 0; i < row.count; i++) texts.push(row.text(i));
      if (firstRows.length < HEADER_SEARCH_ROWS) firstRows.push(texts);
      const d = detectProfile(texts, { ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.profile ? { profile: opts.profile } : {}), ...(delimiter ? { delimiter } : {}) });
      if (d) {
        det = d;
        proc = createProcessor(ctx, d, texts, map, { ...(opts.year !== undefined ? { year: opts.year } : {}), people });
        const missing = proc.missing();
        if (missing.length) {
          ctx.note('error', `profile ${d.profile.id} matched the header on row ${row.line} but the file lacks a column for: ${missing.join(', ')}`, { row: row.line, expected: missing.join(', ') });
          proc = undefined;
          unusable = true;
        }
        return;
      }
      if (firstRows.length >= HEADER_SEARCH_ROWS) unusable = true;
    };
  };

  let info: CsvInfo;
  if (format === 'xlsx') info = await readXlsx(path, opts, start);
  else
    info = await readCsv(
      path,
      {
        ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
        ...(opts.encoding ? { encoding: opts.encoding } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        onSniff: (s) => (delimiter = s.delimiter),
      },
      start,
    );
  for (const n of info.notes) ctx.note('warning', n, { expected: 'UTF-8 or UTF-16 with BOM' });
  if (!det) {
    const sample = firstRows[0]?.slice(0, 12).join(' | ') ?? '';
    if (!ctx.diagnostics.some((d) => d.severity === 'error'))
        ctx.note('error', `no header row in the first ${Math.min(firstRows.length, HEADER_SEARCH_ROWS)} rows matches a ${opts.profile ? `"${opts.profile}"` : opts.kind ?? 'known'} profile`, {
          row: 1,
          value: sample,
          expected: `the headers of one of: ${listProfiles()
            .filter((p) => (opts.profile ? p.id === opts.profile : !opts.kind || p.kind === opts.kind))
            .map((p) => p.id)
            .join(', ')}`,
        });
    return result(ctx, path, opts.kind ?? 'time', '(none)', info, emptyRecords());
  }
  const d = det as Detection;
  ctx.note('info', `profile ${d.profile.id} (${d.profile.vendor}, ${d.profile.confidence}) matched the header${d.alsoMatched.length ? `; also matched: ${d.alsoMatched.join(', ')}` : ''}`);
  const recs = { ...emptyRecords(), ...(proc as unknown as Processor).finish({ file: basename(path), sha256: info.sha256 }) };
  return withPeople(result(ctx, path, d.profile.kind, d.profile.id, info, recs), people);
}

export function result(ctx: ImportContext, path: string, kind: ImportKind, profile: string, info: { sha256: string; bytes: number; encoding?: string; delimiter?: string }, recs: ImportedRecords): ImportResult {
  ctx.finish();
  const accepted = !ctx.rejected;
  const records = accepted ? recs : emptyRecords();
  const n = Object.values(records).reduce((a, r) => a + (r as unknown[]).length, 0);
  const money = [...records.supplies, ...records.contracts, ...records.computers].map((r) => r.amount as number);
  const stats: ImportResult['stats'] = {
    bytes: info.bytes,
    rowsRead: ctx.rowsRead,
    rowsUsed: accepted ? ctx.rowsUsed : 0,
    rowsSkipped: ctx.rowsSkipped,
    rowsExcluded: ctx.rowsExcluded,
    errorRows: ctx.errorRows,
    recordsOut: n,
    millis: 0,
  };
  if (records.time.length) stats.hoursTotal = records.time.reduce((a, t) => a + t.hours, 0);
  if (money.length) stats.amountTotal = money.reduce((a, b) => a + b, 0) as ImportResult['stats']['amountTotal'] & number;
  if (!accepted && !ctx.diagnostics.some((d) => d.severity === 'error' && d.message.startsWith('import rejected')))
    ctx.diagnostics.unshift({ file: ctx.file, severity: 'error', message: `import rejected: ${ctx.errorRows.length ? `rows with errors (${ctx.errorRows.slice(0, 20).join(', ')}${ctx.errorRows.length > 20 ? ', …' : ''}) are not in acceptSkip` : 'see the errors below'}; no records were produced` });
  const r: ImportResult = { file: path, kind, profile, sha256: info.sha256, accepted, records, diagnostics: ctx.diagnostics, stats };
  if (info.encoding) r.encoding = info.encoding;
  if (info.delimiter) r.delimiter = info.delimiter;
  return r;
}

/** Adds the people resolutions made (see ImportResult.people) to an accepted result. */
export function withPeople(r: ImportResult, people: PeopleResolver | undefined): ImportResult {
  const p = r.accepted ? resolvedPeople(people) : undefined;
  if (p) r.people = p;
  return r;
}

export type { Processor };
export { TimeAggregator };
export type { Profile as HeaderProfile };
