/**
 * Bounded load test of the web API on loopback (not a timed test): 50 users, each with its own
 * session, read dashboards (both demo studies, in turn) while a large time-entry file is imported
 * into one of them. Prints latency percentiles of the reads, during the import and overall.
 *
 *   npx tsx bench/load-web.ts [--users 50] [--reads 40] [--rows 200000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServe } from '../src/cli/serve.js';
import { addMembership, createUser } from '../src/server/index.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const USERS = arg('users', 50);
const READS = arg('reads', 40);
const ROWS = arg('rows', 200_000);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
}
const fmt = (xs: number[]) => `n=${xs.length} p50=${pct(xs, 50).toFixed(1)} ms p95=${pct(xs, 95).toFixed(1)} ms p99=${pct(xs, 99).toFixed(1)} ms max=${Math.max(...xs).toFixed(1)} ms`;

/** A time-entry file in the rdcredit-time layout for the Sawtooth employees. */
function timeFile(path: string, rows: number): number {
  const emps = Array.from({ length: 24 }, (_, i) => `SML-${1001 + i}`);
  const out: string[] = ['employee_id,date,hours,project,issue,work_state'];
  for (let i = 0; i < rows; i++) {
    const d = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    out.push(`${emps[i % emps.length]},${d},${(1 + (i % 7) * 0.25).toFixed(2)},LOADTEST-${i % 5},LT-${i % 97},ID`);
  }
  writeFileSync(path, out.join('\n') + '\n');
  return out.join('\n').length;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rdcredit-load-'));
  const t0 = performance.now();
  const srv = await runServe({ port: 0, dataDir: join(dir, 'db'), demo: true, demoPassword: 'load test password', print: false });
  console.log(`server up in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${srv.url}`);
  try {
    const ws = srv.server.ws;
    const pw = 'load test password';
    const cookies: { cookie: string; csrf: string }[] = [];
    const t1 = performance.now();
    for (let i = 0; i < USERS; i++) {
      const email = `reader${i}@load.test`;
      const id = await createUser(ws.db, { email, name: `Reader ${i}`, password: pw });
      await addMembership(ws.db, id, 'example-cpa', i === 0 ? 'preparer' : 'read_only');
      const r = await fetch(`${srv.url}api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': 'x', cookie: 'rdc_csrf=x' }, body: JSON.stringify({ email, password: pw }) });
      if (!r.ok) throw new Error(`login ${email}: ${r.status}`);
      const csrf = ((await r.json()) as { csrf: string }).csrf;
      cookies.push({ cookie: r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), csrf });
    }
    console.log(`${USERS} users logged in in ${((performance.now() - t1) / 1000).toFixed(1)} s (scrypt N=2^15 per login)`);
    const studies = ['sawtooth-ml-2025', 'gem-state-fabrication-2023'];
    // warm the caches once, as a user opening the app would
    for (const s of studies) await fetch(`${srv.url}api/studies/${s}/dashboard`, { headers: { cookie: cookies[0]!.cookie } });

    const file = join(dir, 'time-load.csv');
    const bytes = timeFile(file, ROWS);
    console.log(`import file: ${ROWS.toLocaleString('en-US')} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB`);

    const during: number[] = [];
    const all: number[] = [];
    let importing = true;
    let errors = 0;
    const importer = (async () => {
      const t = performance.now();
      const { readFileSync } = await import('node:fs');
      const r = await fetch(`${srv.url}api/studies/sawtooth-ml-2025/imports?name=time-load.csv&wait=true`, {
        method: 'POST',
        headers: { cookie: cookies[0]!.cookie, 'x-csrf-token': cookies[0]!.csrf, 'content-type': 'text/csv' },
        body: readFileSync(file),
      });
      const job = (await r.json()) as { status: string; result?: { stats: { rowsRead: number; recordsOut: number } } };
      importing = false;
      return { ms: performance.now() - t, status: job.status, stats: job.result?.stats };
    })();
    const tReads = performance.now();
    await Promise.all(
      cookies.map(async (c, u) => {
        for (let i = 0; i < READS; i++) {
          const s = studies[(u + i) % studies.length]!;
          const t = performance.now();
          const r = await fetch(`${srv.url}api/studies/${s}/dashboard`, { headers: { cookie: c.cookie } });
          await r.arrayBuffer();
          const ms = performance.now() - t;
          if (!r.ok) errors++;
          all.push(ms);
          if (importing) during.push(ms);
        }
      }),
    );
    const readsMs = performance.now() - tReads;
    const imp = await importer;
    console.log(`import: ${imp.status} in ${(imp.ms / 1000).toFixed(1)} s (${imp.stats?.rowsRead ?? '?'} rows read, ${imp.stats?.recordsOut ?? '?'} records)`);
    console.log(`dashboard reads, ${USERS} concurrent users × ${READS}: ${(all.length / (readsMs / 1000)).toFixed(0)} reads/s, ${errors} errors`);
    console.log(`  while the import ran: ${during.length ? fmt(during) : 'none (the import finished first)'}`);
    console.log(`  all reads:            ${fmt(all)}`);
    // after the import the study changed: the first read recomputes it
    const t = performance.now();
    await (await fetch(`${srv.url}api/studies/sawtooth-ml-2025/dashboard`, { headers: { cookie: cookies[1]!.cookie } })).arrayBuffer();
    console.log(`  first dashboard after the import (recompute): ${(performance.now() - t).toFixed(0)} ms`);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
