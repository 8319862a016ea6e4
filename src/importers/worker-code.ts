/**
 * How to start a time-import worker thread (./time-worker.ts) without paying for TypeScript in it.
 *
 * - Built JavaScript (`dist/`): the worker is the sibling `time-worker.js`, started as a file.
 * - Under tsx or vitest (this module is TypeScript): the worker and its imports are bundled once
 *   per process with esbuild (which tsx runs on) into one CommonJS script, started with
 *   `eval: true`. A worker then starts in ≈ 30 ms instead of ≈ 0.5–1 s spent registering tsx and
 *   compiling each module in every worker.
 * - If esbuild cannot be loaded, each worker registers tsx's loader and imports the TypeScript
 *   module (the slow path, as before).
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKER_URL = new URL(`./time-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/** Arguments for `new Worker(...)`: a file URL, or code to evaluate. */
export type WorkerCode = { url: URL } | { code: string; how: 'bundle' | 'tsx' };

interface EsbuildLike {
  buildSync(o: Record<string, unknown>): { outputFiles?: { text: string }[] };
}

let cached: WorkerCode | undefined;

/** The worker's code (computed once per process). */
export async function timeWorkerCode(): Promise<WorkerCode> {
  if (cached) return cached;
  if (!WORKER_URL.pathname.endsWith('.ts')) return (cached = { url: WORKER_URL });
  try {
    const name = 'esbuild';
    const esbuild = (await import(name)) as EsbuildLike;
    const out = esbuild.buildSync({
      entryPoints: [fileURLToPath(WORKER_URL)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const text = out.outputFiles?.[0]?.text;
    if (text) return (cached = { code: text, how: 'bundle' });
  } catch {
    // esbuild unavailable: fall through to tsx in each worker.
  }
  return (cached = { code: tsxBootstrap(), how: 'tsx' });
}

function tsxBootstrap(): string {
  let tsx = '';
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
  return `(async () => {
  const { register } = await import(${JSON.stringify(tsx)}); register();
  await import(${JSON.stringify(WORKER_URL.href)});
})().catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'crash', message: String(e && e.stack || e) }); });`;
}
