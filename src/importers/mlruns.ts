/**
 * MLflow's on-disk file store (`mlruns/`) kept byte for byte: the directory is packed into one ZIP
 * archive whose bytes are the same whenever the run data is the same, and the runs are always read
 * from that archive — so importing a directory, importing the archive, and rebuilding from the
 * ledger run the same parser over the same bytes.
 *
 *   mlruns/<experiment>/meta.yaml                  experiment (its `name`)
 *   mlruns/<experiment>/<run>/meta.yaml            run (status, times, user, run name)
 *   mlruns/<experiment>/<run>/{tags,metrics,params}/<key>   one file per key (keys may contain "/")
 *
 * The archive (`packMlruns`) holds exactly these files — run artifacts (`artifacts/`, often model
 * checkpoints), dataset `inputs/`/`outputs/`, the model registry (`models/`), deleted experiments
 * (`.trash/`) and any other dot-file are left out: they are not read and can be very large.
 * Determinism: entries sorted by path (UTF-16 code-unit order, "/" separators), no directory
 * entries, stored without compression (level 0: the bytes do not depend on a deflate
 * implementation), every entry dated 1980-01-01 12:00:00 (the DOS field, written from local-time
 * parts so the time zone does not matter), made by Unix (os 3) with mode 0644.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { ImportContext } from './context.js';
import { cmpStr } from './common.js';
import { result, type ImportOptions } from './index.js';
import type { ComponentMap } from './mapping.js';
import { mlflowEvidence } from './sources.js';
import { emptyRecords, type ImportResult } from './types.js';

/**
 * The entry date of every file in a packed archive, 1980-01-01 12:00:00. The DOS date field is
 * written from local-time parts, so the Date is made from local parts at each call (the zone may change).
 */
const fixedMtime = () => new Date(1980, 0, 1, 12, 0, 0);
/** Unix regular file, mode 0644, in the high 16 bits of the external attributes. */
const FILE_ATTRS = (0o100644 << 16) >>> 0;
/** The most uncompressed bytes an archive's run metadata may hold (guards against ZIP bombs). */
export const MLRUNS_MAX_BYTES = 1 << 30;

const RUN_PARTS = ['tags', 'metrics', 'params'] as const;

export interface PackedMlruns {
  /** Archive name: the directory's name + ".zip" (the name kept in the ledger and on each evidence item). */
  name: string;
  bytes: Uint8Array;
  sha256: string;
  /** Number of files packed. */
  files: number;
  /** Top-level entries not packed (model registry, .trash, stray files), for the diagnostics. */
  leftOut: string[];
}

const visible = (n: string) => !n.startsWith('.');
const isDir = (p: string) => statSync(p).isDirectory();

/** Packs the run metadata of an `mlruns` directory into a deterministic ZIP archive (see the module comment). */
export function packMlruns(dir: string): PackedMlruns {
  const files = new Map<string, Uint8Array>();
  const leftOut: string[] = [];
  const walk = (p: string, rel: string) => {
    for (const n of readdirSync(p).filter(visible)) {
      const q = join(p, n);
      if (isDir(q)) walk(q, `${rel}/${n}`);
      else files.set(`${rel}/${n}`, readFileSync(q));
    }
  };
  for (const exp of readdirSync(dir)) {
    const ep = join(dir, exp);
    if (!visible(exp) || !isDir(ep) || exp === 'models') {
      leftOut.push(exp);
      continue;
    }
    if (existsSync(join(ep, 'meta.yaml'))) files.set(`${exp}/meta.yaml`, readFileSync(join(ep, 'meta.yaml')));
    for (const run of readdirSync(ep).filter(visible)) {
      const rp = join(ep, run);
      if (!isDir(rp) || !existsSync(join(rp, 'meta.yaml'))) continue;
      files.set(`${exp}/${run}/meta.yaml`, readFileSync(join(rp, 'meta.yaml')));
      for (const part of RUN_PARTS) if (existsSync(join(rp, part)) && isDir(join(rp, part))) walk(join(rp, part), `${exp}/${run}/${part}`);
    }
  }
  const bytes = zipArchive(files);
  return { name: `${basename(dir)}.zip`, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), files: files.size, leftOut: leftOut.sort() };
}

/** A ZIP of `files` (path → bytes) that depends on nothing but the paths and bytes. */
export function zipArchive(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const paths = [...files.keys()].sort();
  const data: Zippable = {};
  const mtime = fixedMtime();
  // Every path holds a "/", so no key is an array index and object order is insertion order.
  for (const p of paths) {
    if (!p.includes('/')) throw new Error(`zipArchive: "${p}" is not inside a folder`);
    data[p] = [files.get(p)!, { level: 0, mtime, os: 3, attrs: FILE_ATTRS }];
  }
  return zipSync(data, { level: 0, mtime });
}

/** True when the bytes start like a ZIP archive (local file header or an empty archive). */
export function looksLikeZip(head: string): boolean {
  return head.startsWith('PK\x03\x04') || head.startsWith('PK\x05\x06');
}

/**
 * The run-metadata files of an archive: path → bytes, with a common leading folder ("mlruns/") removed.
 * Only experiment and run meta.yaml and the tags/metrics/params files are extracted.
 */
function archiveFiles(bytes: Uint8Array): Map<string, Uint8Array> {
  let total = 0;
  const wanted = (name: string) => /(^|\/)meta\.yaml$/.test(name) || /\/(tags|metrics|params)\//.test(name);
  const raw = unzipSync(bytes, {
    filter: (f) => {
      if (f.name.endsWith('/') || !wanted(f.name)) return false;
      total += f.originalSize;
      if (total > MLRUNS_MAX_BYTES) throw new Error(`more than ${MLRUNS_MAX_BYTES} bytes of run metadata`);
      return true;
    },
  });
  let entries = Object.entries(raw).map(([k, v]) => [k.replace(/\\/g, '/'), v] as const);
  // Strip a common leading folder ("mlruns/") that is not an experiment (no meta.yaml of its own)
  // while runs (<exp>/<run>/meta.yaml) are still found below it.
  const runsAt = (list: readonly (readonly [string, Uint8Array])[]) => list.some(([k]) => /^[^/]+\/[^/]+\/meta\.yaml$/.test(k));
  for (;;) {
    const first = entries[0]?.[0].split('/')[0];
    if (first === undefined || !entries.every(([k]) => k.startsWith(`${first}/`)) || entries.some(([k]) => k === `${first}/meta.yaml`)) break;
    const stripped = entries.map(([k, v]) => [k.slice(first.length + 1), v] as const);
    if (!runsAt(stripped)) break;
    entries = stripped;
  }
  return new Map(entries.filter(([k]) => k.split('/').every(visible)));
}

/**
 * Reads the runs of an `mlruns` archive (made by packMlruns, or a ZIP of an mlruns folder).
 * `name` is the archive's name (source file of every record); `path` what the result names.
 */
export function importMlrunsArchive(bytes: Uint8Array, name: string, path: string, opts: ImportOptions, map: ComponentMap): ImportResult {
  const ctx = new ImportContext(name, opts.acceptSkip);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const info = { sha256, bytes: bytes.byteLength };
  opts.onProgress?.(bytes.byteLength, bytes.byteLength);
  let files: Map<string, Uint8Array>;
  try {
    files = archiveFiles(bytes);
  } catch (e) {
    ctx.note('error', `not a readable ZIP archive of an MLflow mlruns folder: ${(e as Error).message}`, { expected: 'a ZIP archive of mlruns/<experiment>/<run>/meta.yaml, tags/, metrics/, params/' });
    return result(ctx, path, 'mlflow', 'mlflow-mlruns', info, emptyRecords());
  }
  const text = (p: string) => new TextDecoder('utf-8').decode(files.get(p)!);
  // experiment → run → files below the run, as relative paths
  const tree = new Map<string, Map<string, string[]>>();
  for (const p of files.keys()) {
    const seg = p.split('/');
    if (seg.length < 3 || seg[0] === 'models') continue; // models/: the model registry, not runs
    const runs = tree.get(seg[0]!) ?? new Map<string, string[]>();
    tree.set(seg[0]!, runs);
    const list = runs.get(seg[1]!) ?? [];
    runs.set(seg[1]!, list);
    list.push(seg.slice(2).join('/'));
  }
  const evidence = [];
  for (const exp of [...tree.keys()].sort()) {
    let expName: string | undefined;
    if (files.has(`${exp}/meta.yaml`)) {
      try {
        expName = String((parseYaml(text(`${exp}/meta.yaml`)) as { name?: unknown } | null)?.name ?? '') || undefined;
      } catch {
        ctx.note('warning', `${exp}/meta.yaml is not valid YAML`, { value: `${exp}/meta.yaml`, expected: 'experiment meta.yaml' });
      }
    }
    const runs = tree.get(exp)!;
    for (const run of [...runs.keys()].sort()) {
      const rel = `${exp}/${run}`;
      const parts = runs.get(run)!;
      if (!parts.includes('meta.yaml')) continue;
      ctx.rowsRead++;
      let meta: Record<string, unknown>;
      try {
        meta = (parseYaml(text(`${rel}/meta.yaml`)) ?? {}) as Record<string, unknown>;
        if (typeof meta !== 'object' || Array.isArray(meta)) throw new Error('not a mapping');
      } catch {
        ctx.rowErrors(ctx.rowsRead, [{ column: `${rel}/meta.yaml`, value: '', expected: 'a run meta.yaml (YAML)' }]);
        continue;
      }
      const under = (part: string): Record<string, string> => {
        const out: Record<string, string> = {};
        for (const f of parts.filter((x) => x.startsWith(`${part}/`)).sort()) out[f.slice(part.length + 1)] = text(`${rel}/${f}`);
        return out;
      };
      const tags = under('tags');
      const params = under('params');
      // metric file: one "<timestamp_ms> <value> <step>" line per point → the latest value.
      const metrics = Object.fromEntries(
        Object.entries(under('metrics')).map(([k, v]) => {
          const lines = v.trim().split(/\r?\n/).filter(Boolean);
          return [k, lines.length ? (lines[lines.length - 1]!.split(/\s+/)[1] ?? '') : ''];
        }),
      );
      for (const k of Object.keys(tags)) tags[k] = tags[k]!.trim();
      for (const k of Object.keys(params)) params[k] = params[k]!.trim();
      const id = String(meta.run_id ?? meta.run_uuid ?? run);
      const r: Parameters<typeof mlflowEvidence>[0] = {
        id,
        name: tags['mlflow.runName'] || String(meta.run_name || id),
        experiment: exp,
        user: tags['mlflow.user'] ?? String(meta.user_id ?? ''),
        status: String(meta.status ?? ''),
        start: meta.start_time,
        end: meta.end_time,
        lifecycle: String(meta.lifecycle_stage ?? ''),
      };
      if (expName) r.experimentName = expName;
      evidence.push(mlflowEvidence(r, tags, metrics, params, map, { file: name, sha256, note: rel }));
      ctx.rowsUsed++;
    }
  }
  if (ctx.rowsRead === 0) ctx.note('error', 'no MLflow runs in the archive', { expected: 'mlruns/<experiment>/<run>/meta.yaml' });
  return result(ctx, path, 'mlflow', 'mlflow-mlruns', info, { ...emptyRecords(), evidence: evidence.sort((a, b) => cmpStr(a.id, b.id)) });
}

/** Packs an `mlruns` directory and reads its runs from the archive. */
export function importMlrunsDir(dir: string, opts: ImportOptions, map: ComponentMap, packed: PackedMlruns = packMlruns(dir)): ImportResult {
  const res = importMlrunsArchive(packed.bytes, packed.name, dir, opts, map);
  res.diagnostics.push({
    file: packed.name,
    severity: 'info',
    message: `${basename(dir)}/ packed into ${packed.name} (${packed.files} files of run metadata, tags, metrics and params; sha256 ${packed.sha256.slice(0, 12)}…): artifacts are not kept${packed.leftOut.length ? `; left out: ${packed.leftOut.join(', ')}` : ''}`,
  });
  return res;
}
