/**
 * Parallel time import: a large time-entry CSV (UTF-8, header on line 1) is split into byte ranges
 * at line boundaries; each worker thread parses and aggregates its range (./time-worker.ts) while
 * the main thread computes the file's SHA-256; the aggregates are merged into one TimeAggregator,
 * row problems are replayed with global line numbers (so `acceptSkip` and the all-or-nothing rule
 * work exactly as in the sequential import), and the records are produced in the same order.
 *
 * A split point inside a quoted field (a quoted line break) is detected — the range before it then
 * ends inside a quote — and the file is read sequentially instead. So are non-UTF-8 files, files
 * whose header is not on line 1, and other kinds: `undefined` means "use the sequential path".
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
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
import { emptyRecords, type ImportResult } from './types.js';

/** Files smaller than this are read sequentially (the workers' start-up costs ~50 ms each). */
export const PARALLEL_MIN_BYTES = 32 << 20;

const WORKER_URL = new URL(`./time-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

function bootstrap(): string {
  // Under tsx or vitest the worker module is TypeScript: register tsx's loader in the worker first.
  let tsx = '';
  if (WORKER_URL.pathname.endsWith('.ts')) {
    try {
      tsx = (import.meta as { resolve?: (s: string) => string }).resolve?.('tsx/esm/api') ?? '';
    } catch {
      tsx = '';
    }
    if (!tsx) {
      // ESM entry of tsx's API, next to its package.json.
      const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
      tsx = pathToFileURL(pkg.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
    }
  }
  return `(async () => {
  ${tsx ? `const { register } = await import(${JSON.stringify(tsx)}); register();` : ''}
  await import(${JSON.stringify(WORKER_URL.href)});
})().catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'crash', message: String(e && e.stack || e) }); });`;
}

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
    for (let k = 1; k < n; k++) bounds.push(Math.max(bounds[k - 1]!, nextLineStart(fd, dataStart + Math.floor(((size - dataStart) * k) / n), size)));
    bounds.push(size);
  } finally {
    closeSync(fd);
  }
  const det = detectProfile(header, { kind: 'time', ...(opts.profile ? { profile: opts.profile } : {}), delimiter });
  if (!det || det.profile.kind !== 'time') return undefined;
  const file = basename(path);
  const ctx = new ImportContext(file, opts.acceptSkip);
  const people = peopleResolver(map.people, opts);
  const main = new TimeAggregator(ctx, det.profile, det.columns, header, map.time, people);
  if (main.missing().length) return undefined;
  const peopleInput = people ? { map: { ...map.people, ...(opts.people ?? {}) }, ...(opts.employees ? { employees: opts.employees.map((e) => ({ id: e.id, name: e.name })) } : {}) } : undefined;

  // Hash on this thread while the workers parse.
  let done = 0;
  const progress = (b: number) => {
    done += b;
    opts.onProgress?.(Math.min(done, size), size);
  };
  const hashing = (async () => {
    const h = createHash('sha256');
    for await (const c of createReadStream(path, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) h.update(c);
    return h.digest('hex');
  })();
  const code = bootstrap();
  const runs = bounds.slice(0, -1).map((start, k) => {
    const input: TimeWorkerInput = { path, start, end: bounds[k + 1]!, profile: det.profile, columns: det.columns, headers: header, rules: map.time, delimiter, ...(peopleInput ? { people: peopleInput } : {}) };
    return new Promise<Extract<TimeWorkerMessage, { type: 'done' | 'fallback' }>>((resolve, reject) => {
      if (input.start >= input.end) return resolve({ type: 'done', state: new TimeAggregator(new ImportContext('', []), det.profile, det.columns, header, map.time).exportState(), rowsRead: 0, rowsUsed: 0, errors: [], warnings: [], notes: [], lines: 0, endsInQuote: false, people: [] });
      const w = new Worker(code, { eval: true, workerData: { rdcreditTimeWorker: true, input } });
      w.on('message', (m: TimeWorkerMessage | { type: 'crash'; message: string }) => {
        if (m.type === 'progress') progress(m.bytes);
        else if (m.type === 'crash') reject(new Error(`time worker failed: ${m.message}`));
        else {
          resolve(m);
          void w.terminate();
        }
      });
      w.on('error', reject);
      w.on('exit', (c) => (c !== 0 && c !== 1 ? reject(new Error(`time worker exited with code ${c}`)) : undefined));
    });
  });
  let parts: Awaited<(typeof runs)[number]>[];
  const T0 = performance.now();
  const prof = (what: string) => process.env.RDCREDIT_PROFILE && console.error(`[parallel] ${what} ${(performance.now() - T0).toFixed(0)} ms`);
  try {
    parts = await Promise.all(runs);
    prof('workers done');
  } catch (e) {
    if (process.env.RDCREDIT_DEBUG_WORKERS) console.error(e);
    await hashing.catch(() => undefined);
    return undefined; // workers unavailable here: the sequential path
  }
  const sha256 = await hashing;
  prof('hash done');
  if (parts.some((p) => p.type === 'fallback') || parts.slice(0, -1).some((p) => p.type === 'done' && p.endsInQuote)) return undefined;

  ctx.note('info', `profile ${det.profile.id} (${det.profile.vendor}, ${det.profile.confidence}) matched the header${det.alsoMatched.length ? `; also matched: ${det.alsoMatched.join(', ')}` : ''}`);
  let lineOffset = 1; // the header line
  for (const p of parts as Extract<TimeWorkerMessage, { type: 'done' }>[]) {
    ctx.rowsRead += p.rowsRead;
    ctx.rowsUsed += p.rowsUsed;
    for (const e of p.errors) ctx.rowErrors(e.line + lineOffset, e.problems);
    for (const w of p.warnings) ctx.rowWarning(w.line + lineOffset, w.p);
    for (const x of p.notes) ctx.note(x.severity, x.message);
    main.absorb(p.state);
    for (const [v, id] of p.people) people?.resolved.set(v, id);
    lineOffset += p.lines;
  }
  ctx.note('info', `read in ${parts.length} parallel workers`);
  prof('merged');
  const time = main.finish({ file, sha256 });
  prof('finished');
  return withPeople(result(ctx, path, 'time', det.profile.id, { sha256, bytes: size, encoding: 'utf-8', delimiter }, { ...emptyRecords(), time }), people);
}
