/**
 * Parallel time import: a large time-entry CSV (UTF-8, header on line 1) is split into one byte
 * range per thread at line boundaries. The main thread reads the first range itself (and computes
 * the file's SHA-256 meanwhile); a worker thread reads each other range (./time-worker.ts, started
 * as plain JavaScript: ./worker-code.ts). The workers' aggregates are merged into the main thread's
 * TimeAggregator in file order, row problems are replayed with global line numbers (so `acceptSkip`
 * and the all-or-nothing rule work exactly as in the sequential import, and a warning given once
 * per distinct value is given once, at its first row), and the records are produced in the same
 * order.
 *
 * A split point inside a quoted field (a quoted line break) is detected — the range before it then
 * ends inside a quote — and the file is read sequentially instead. So are non-UTF-8 files, files
 * whose header is not on line 1, and other kinds: `undefined` means "use the sequential path".
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ImportContext } from './context.js';
import { sniffDelimiter } from './csv.js';
import type { ImportOptions } from './index.js';
import { result, withPeople } from './index.js';
import { peopleResolver } from './people.js';
import type { ComponentMap } from './mapping.js';
import { detectProfile } from './profiles.js';
import { TimeAggregator } from './time.js';
import type { TimeWorkerInput, TimeWorkerMessage } from './time-worker.js';
import { readTimeRange, RecordingContext, type RangeOutcome } from './time-range.js';
import { timeWorkerCode } from './worker-code.js';
import { emptyRecords, type ImportResult } from './types.js';

/** Files smaller than this are read sequentially (starting workers and merging costs ≈ 0.1 s). */
export const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * The main thread reads the first range itself while the workers start and read the others, and it
 * also computes the SHA-256 of the whole file (≈ 4 % of the parsing cost): its range is smaller by
 * that much so all threads finish together.
 */
const HASH_SHARE = 0.04;

function readAt(fd: number, pos: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  return b.subarray(0, readSync(fd, b, 0, n, pos));
}

/** The position just after the first line break at or after `pos` (or the file size). */
function nextLineStart(fd: number, pos: number, size: number): number {
  while (pos < size) {
    const b = readAt(fd, pos, 1 << 16);
    const i = b.indexOf(0x0a);
    if (i >= 0) return pos + i + 1;
    pos += b.length;
  }
  return size;
}

export async function tryParallelTime(path: string, opts: ImportOptions & { workers?: number; parallelMinBytes?: number }, map: ComponentMap): Promise<ImportResult | undefined> {
  const size = statSync(path).size;
  const n = Math.min(opts.workers ?? Math.min(availableParallelism(), 4), 16);
  if (n < 2 || size < (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES) || opts.encoding || (opts.kind && opts.kind !== 'time')) return undefined;
  const fd = openSync(path, 'r');
  let header: string[];
  let dataStart: number;
  let delimiter: ',' | ';' | '\t';
  const bounds: number[] = [];
  try {
    const head = readAt(fd, 0, 1 << 16);
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return undefined;
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    const eol = head.indexOf(0x0a);
    if (eol < 0) return undefined;
    const line = head.subarray(bom, eol).toString('utf8').replace(/\r$/, '');
    if (line.includes('"')) return undefined;
    delimiter = opts.delimiter ?? sniffDelimiter(head.subarray(bom));
    header = line.split(delimiter).map((h) => h.trim());
    dataStart = eol + 1;
    bounds.push(dataStart);
    // The main thread's range (the first) is smaller by its hashing work; the others are equal.
    const data = size - dataStart;
    const first = n > 1 ? Math.max(0, 1 / n - HASH_SHARE * (1 - 1 / n)) : 1;
    for (let k = 1; k < n; k++) bounds.push(Math.max(bounds[k - 1]!, nextLineStart(fd, dataStart + Math.floor(data * (first + ((1 - first) * (k - 1)) / (n - 1))), size)));
    bounds.push(size);
  } finally {
    closeSync(fd);
  }
  const det = detectProfile(header, { kind: 'time', ...(opts.profile ? { profile: opts.profile } : {}), delimiter });
  if (!det || det.profile.kind !== 'time') return undefined;
  const file = basename(path);
  const ctx = new ImportContext(file, opts.acceptSkip);
  const people = peopleResolver(map.people, opts);
  const mctx = new RecordingContext();
  const main = new TimeAggregator(mctx, det.profile, det.columns, header, map.time, people);
  if (main.missing().length) return undefined;
  const peopleInput = people ? { map: { ...map.people, ...(opts.people ?? {}) }, ...(opts.employees ? { employees: opts.employees.map((e) => ({ id: e.id, name: e.name })) } : {}) } : undefined;

  const T0 = performance.now();
  const prof = (what: string) => process.env.RDCREDIT_PROFILE && console.error(`[parallel] ${what} ${(performance.now() - T0).toFixed(0)} ms`);
  let done = 0;
  const progress = (b: number) => {
    done += b;
    opts.onProgress?.(Math.min(done, size), size);
  };
  const code = await timeWorkerCode();
  prof(`worker code ready (${'url' in code ? 'file' : code.how})`);
  type Part = Extract<TimeWorkerMessage, { type: 'done' }>;
  type Fallback = Extract<TimeWorkerMessage, { type: 'fallback' }>;
  const live: Worker[] = [];
  const runs = bounds.slice(1, -1).map((start, k) => {
    const input: TimeWorkerInput = { path, start, end: bounds[k + 2]!, profile: det.profile, columns: det.columns, headers: header, rules: map.time, delimiter, ...(peopleInput ? { people: peopleInput } : {}) };
    return new Promise<Part | Fallback | undefined>((resolve, reject) => {
      if (input.start >= input.end) return resolve(undefined);
      const workerData = { rdcreditTimeWorker: true, input };
      const w = 'url' in code ? new Worker(code.url, { workerData }) : new Worker(code.code, { eval: true, workerData });
      live.push(w);
      w.on('message', (m: TimeWorkerMessage | { type: 'crash'; message: string }) => {
        if (m.type === 'progress') progress(m.bytes);
        else if (m.type === 'crash') reject(new Error(`time worker failed: ${m.message}`));
        else {
          prof(`worker ${k + 1} done`);
          resolve(m);
          void w.terminate();
        }
      });
      w.on('error', reject);
      // After the result this is a no-op (terminate() exits with code 1); before it, the worker failed.
      w.on('exit', (c) => reject(new Error(`time worker exited with code ${c} before reporting`)));
    });
  });
  // Settle every worker before deciding (a failed one means the sequential path).
  const workers = Promise.allSettled(runs);

  // This thread: hash the whole file and read the first range, interleaved on the event loop.
  const hashing = (async () => {
    const h = createHash('sha256');
    for await (const c of createReadStream(path, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) h.update(c);
    return h.digest('hex');
  })();
  let mine: RangeOutcome;
  try {
    let last = 0;
    mine =
      bounds[1]! > bounds[0]!
        ? await readTimeRange(main, mctx, { path, start: bounds[0]!, end: bounds[1]!, delimiter }, (b) => {
            progress(b - last);
            last = b;
          })
        : { rowsRead: 0, rowsUsed: 0, errors: [], warnings: [], notes: [], lines: 0, endsInQuote: false };
    prof('main range read');
  } catch (e) {
    for (const w of live) void w.terminate();
    await Promise.allSettled([hashing, workers]);
    throw e;
  }
  const settled = await workers;
  prof('workers done');
  const sha256 = await hashing;
  prof('hash done');
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    if (process.env.RDCREDIT_DEBUG_WORKERS) console.error(failed.reason);
    return undefined; // workers unavailable here: the sequential path
  }
  const others = settled.map((s) => (s as PromiseFulfilledResult<Part | Fallback | undefined>).value).filter((p) => p !== undefined);
  if (mine.fallback !== undefined || others.some((p) => p.type === 'fallback')) return undefined;
  const parts: (RangeOutcome & { state?: Part['state']; people?: Part['people'] })[] = [mine, ...(others as Part[])];
  if (parts.slice(0, -1).some((p) => p.endsInQuote)) return undefined;

  ctx.note('info', `profile ${det.profile.id} (${det.profile.vendor}, ${det.profile.confidence}) matched the header${det.alsoMatched.length ? `; also matched: ${det.alsoMatched.join(', ')}` : ''}`);
  // The aggregator gives its warnings (an entry longer than a day) once per distinct value, so each
  // range gave its own first one: keep only the first in the file, as the sequential read does.
  const warned = new Set<string>();
  let lineOffset = 1; // the header line
  for (const p of parts) {
    ctx.rowsRead += p.rowsRead;
    ctx.rowsUsed += p.rowsUsed;
    for (const e of p.errors) ctx.rowErrors(e.line + lineOffset, e.problems);
    for (const w of p.warnings) {
      const key = `${w.p.column}\u0000${w.p.value}\u0000${w.p.message ?? ''}`;
      if (warned.has(key)) continue;
      warned.add(key);
      ctx.rowWarning(w.line + lineOffset, w.p);
    }
    for (const x of p.notes) ctx.note(x.severity, x.message);
    if (p.state) main.absorb(p.state);
    for (const [v, id] of p.people ?? []) people?.resolved.set(v, id);
    lineOffset += p.lines;
  }
  ctx.note('info', `read in ${n} parallel workers`);
  prof('merged');
  const time = main.finish({ file, sha256 }, ctx);
  prof('finished');
  return withPeople(result(ctx, path, 'time', det.profile.id, { sha256, bytes: size, encoding: 'utf-8', delimiter }, { ...emptyRecords(), time }), people);
}
