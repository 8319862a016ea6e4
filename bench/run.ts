/**
 * Scale benchmark: `npm run bench -- [--scale 0.01] [--out bench/out] [--regenerate] [--workers N]`.
 * Generates a deterministic synthetic company (bench/generate.ts), imports it with our importers
 * (time entries aggregated to employee × component × activity × location × month, plus W-2,
 * FOCUS cloud bill and NetSuite ledger), then times DuckDB reading and aggregating the same
 * time-entry CSV to the same grain. Peak memory of our import is sampled from
 * process.memoryUsage().rss every 20 ms and cross-checked with resourceUsage().maxRSS, both taken
 * before DuckDB runs. The last line is `import_vs_duckdb_ratio=<ours/duckdb>` (time import only).
 */
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { generate, type BenchFiles } from './generate.js';
import { importFile } from '../src/importers/index.js';
import { loadComponentMap, matchTime } from '../src/importers/mapping.js';
import { MS_PER_HOUR } from '../src/importers/parse.js';

function arg(name: string, dflt?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const scale = Number(arg('scale', '1'));
/** Worker threads for the time import (default: the importer's own choice, i.e. the available parallelism, at most 4). */
const workers = arg('workers') === undefined ? undefined : Number(arg('workers'));
const outDir = join(arg('out', 'bench/out')!, `scale-${scale}`);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
sampler.unref();

async function timed<T>(f: () => Promise<T>): Promise<{ v: T; s: number }> {
  const t = performance.now();
  const v = await f();
  return { v, s: (performance.now() - t) / 1000 };
}

const manifest = join(outDir, 'manifest.json');
let files: BenchFiles;
if (!process.argv.includes('--regenerate') && existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scale === scale) files = JSON.parse(readFileSync(manifest, 'utf8')).files;
else {
  const g = await timed(() => generate(outDir, scale));
  files = g.v;
  writeFileSync(manifest, JSON.stringify({ scale, files }));
  console.log(`generated scale ${scale} into ${outDir} in ${g.s.toFixed(1)} s`);
}
const mb = (p: string) => (statSync(p).size / 1e6).toFixed(0);

const rows: string[][] = [];
const line = (name: string, n: number, s: number, extra = '') => rows.push([name, String(n), s.toFixed(2), Math.round(n / s).toLocaleString('en-US'), extra]);

const loadBefore = os.loadavg();
peak = process.memoryUsage().rss;
const time = await timed(() => importFile(files.time, { componentMap: files.map, ...(workers !== undefined ? { workers } : {}) }));
const par = time.v.diagnostics.find((d) => /parallel workers/.test(d.message))?.message ?? 'read sequentially';
if (!time.v.accepted) throw new Error('time import rejected: ' + JSON.stringify(time.v.diagnostics.slice(0, 5)));
line(`ours: time entries (${mb(files.time)} MB) → ${time.v.records.time.length} groups (${par})`, time.v.stats.rowsRead, time.s);
const w2 = await timed(() => importFile(files.w2, {}));
line('ours: W-2 template', w2.v.stats.rowsRead, w2.s);
const cloud = await timed(() => importFile(files.cloud, { componentMap: files.map }));
line(`ours: FOCUS cloud bill → ${cloud.v.records.computers.length} lines`, cloud.v.stats.rowsRead, cloud.s);
const gl = await timed(() => importFile(files.ledger, { componentMap: files.map }));
line('ours: NetSuite ledger', gl.v.stats.rowsRead, gl.s);
const oursPeak = Math.max(peak, process.memoryUsage().rss);
const oursMaxRss = process.resourceUsage().maxRSS * 1024;

// DuckDB: same file, same grain (project → component/activity through the same rules, as a join table).
const map = loadComponentMap(files.map);
const projects = Array.from({ length: 100 }, (_, i) => `PRJ-${String(i).padStart(2, '0')}`);
const dd = await timed(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('CREATE TABLE pmap(project VARCHAR, component VARCHAR, activity VARCHAR)');
  const vals = projects.map((p) => {
    const r = matchTime(map.time, { project: p, task: '', tags: '', client: '' });
    return `('${p}', ${r?.component ? `'${r.component}'` : 'NULL'}, '${r?.activity ?? 'non_qualified'}')`;
  });
  await c.run(`INSERT INTO pmap VALUES ${vals.join(',')}`);
  const hoursExpr = `CASE WHEN contains(hours, ':') THEN CAST(split_part(hours, ':', 1) AS DOUBLE) + CAST(split_part(hours, ':', 2) AS DOUBLE) / 60 ELSE CAST(hours AS DOUBLE) END`;
  const res = await c.runAndReadAll(`
    SELECT count(*) AS groups, sum(h) AS hours FROM (
      SELECT t.employee_id, m.component, m.activity, t.work_state, date_trunc('month', t.date) AS month, sum(${hoursExpr}) AS h
      FROM read_csv('${files.time}', header = true, columns = {'employee_id':'VARCHAR','date':'DATE','project':'VARCHAR','issue':'VARCHAR','hours':'VARCHAR','work_state':'VARCHAR'}) t
      LEFT JOIN pmap m USING (project)
      GROUP BY ALL)`);
  const r = res.getRowObjects()[0]!;
  return { groups: Number(r.groups), hours: Number(r.hours) };
});
line(`duckdb: time entries → ${dd.v.groups} groups`, time.v.stats.rowsRead, dd.s);

const ourHours = time.v.records.time.reduce((a, t) => a + t.hours * MS_PER_HOUR, 0) / MS_PER_HOUR;
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 1e9).toFixed(0)} GB, Node ${process.version}; scale ${scale}; load average (1, 5, 15 min) ${load(loadBefore)} before our imports, ${load(os.loadavg())} after DuckDB`);
const w = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['step', 'rows', 'seconds', 'rows/s', ''][i]!.length));
const fmt = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ');
console.log(fmt(['step', 'rows', 'seconds', 'rows/s', '']));
for (const r of rows) console.log(fmt(r));
console.log(`check: groups ours ${time.v.records.time.length} vs duckdb ${dd.v.groups}; hours ours ${ourHours.toFixed(2)} vs duckdb ${dd.v.hours.toFixed(2)}`);
console.log(`peak RSS during our imports: sampled ${(oursPeak / 1e9).toFixed(2)} GB, maxRSS ${(oursMaxRss / 1e9).toFixed(2)} GB (goal ≤ 1.5 GB)`);
console.log(`import_vs_duckdb_ratio=${(time.s / dd.s).toFixed(2)}`);
