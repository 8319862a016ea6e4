/**
 * Non-tabular sources:
 *  - JSON API dumps: Jira worklogs (`{ "worklogs": [...] }`), Tempo v4 worklogs (`{ "results": [...] }`)
 *    and MLflow `runs/search` (`{ "runs": [...] }`). Items are flattened to dotted keys (arrays of
 *    {key, value} become `path.<key>`) and matched to a profile like a CSV header, so the Jira and
 *    Tempo layouts are YAML profiles too. The file is read whole (API dumps are small); it is hashed.
 *  - (An MLflow `mlruns` directory or its ZIP archive: ./mlruns.ts.)
 *  - A `git log` export in this format (fields separated by 0x1f, records by 0x1e):
 *      git log --all --date=iso-strict \
 *        --format='%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%s%x1f%b' > git.log
 *    (`--numstat` may be added: its lines after the body are counted as files changed.)
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { IsoDate } from '../periods/date.js';
import { ImportContext } from './context.js';
import { cmpStr } from './common.js';
import { result, withPeople, type ImportOptions } from './index.js';
import { peopleResolver } from './people.js';
import { test, type ComponentMap } from './mapping.js';
import { isBad, parseTimestamp } from './parse.js';
import { detectProfile } from './profiles.js';
import { createProcessor } from './processors.js';
import { ArrayRow } from './xlsx.js';
import { emptyRecords, type EvidenceRecord, type ImportResult } from './types.js';

export type JsonKind = 'time-json' | 'mlflow';

export function sniffJsonKind(head: string): JsonKind | undefined {
  if (/"runs"\s*:/.test(head) && /"(run_id|run_uuid|info)"/.test(head)) return 'mlflow';
  if (/"(worklogs|results)"\s*:/.test(head) && /"(timeSpentSeconds|tempoWorklogId)"/.test(head)) return 'time-json';
  return undefined;
}

/** Flattens a JSON item to dotted keys; arrays of {key, value} become `path.<key>`; arrays of scalars are joined with ", ". */
export function flatten(v: unknown, path = '', out: Record<string, string> = {}): Record<string, string> {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) {
    if (v.every((x) => x && typeof x === 'object' && 'key' in x)) for (const x of v as { key: unknown; value: unknown }[]) flatten(x.value, `${path}.${String(x.key)}`, out);
    else if (v.every((x) => typeof x !== 'object')) out[path] = v.map(String).join(', ');
    return out;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, path ? `${path}.${k}` : k, out);
    return out;
  }
  out[path] = String(v);
  return out;
}

function readWhole(path: string): { text: string; sha256: string; bytes: number } {
  const b = readFileSync(path);
  return { text: b.toString('utf8').replace(/^\uFEFF/, ''), sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length };
}

export async function importJson(path: string, opts: ImportOptions, map: ComponentMap, kind: JsonKind | undefined): Promise<ImportResult> {
  const file = basename(path);
  const ctx = new ImportContext(file, opts.acceptSkip);
  const { text, sha256, bytes } = readWhole(path);
  opts.onProgress?.(bytes, bytes);
  const info = { sha256, bytes, encoding: 'utf-8' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    ctx.note('error', `not valid JSON: ${(e as Error).message}`, { expected: 'a JSON document' });
    return result(ctx, path, opts.kind ?? 'time', '(none)', info, emptyRecords());
  }
  if (kind === 'mlflow' || opts.kind === 'mlflow') {
    const runs = (data as { runs?: unknown[] }).runs;
    if (!Array.isArray(runs)) {
      ctx.note('error', 'no "runs" array (expected the JSON of MLflow runs/search)', { expected: '{"runs": [...]}' });
      return result(ctx, path, 'mlflow', 'mlflow-rest', info, emptyRecords());
    }
    const evidence: EvidenceRecord[] = [];
    runs.forEach((run, i) => {
      ctx.rowsRead++;
      const r = run as { info?: Record<string, unknown>; data?: { tags?: { key: string; value: string }[]; metrics?: { key: string; value: number }[]; params?: { key: string; value: string }[] } };
      const inf = r.info ?? {};
      const id = String(inf.run_id ?? inf.run_uuid ?? '');
      if (!id) return ctx.rowErrors(i + 1, [{ column: 'info.run_id', value: '', expected: 'a run id' }]);
      const tags = Object.fromEntries((r.data?.tags ?? []).map((t) => [t.key, t.value]));
      const ev = mlflowEvidence(
        { id, name: String(inf.run_name ?? tags['mlflow.runName'] ?? id), experiment: String(inf.experiment_id ?? ''), user: String(tags['mlflow.user'] ?? inf.user_id ?? ''), status: String(inf.status ?? ''), start: inf.start_time, end: inf.end_time, lifecycle: String(inf.lifecycle_stage ?? '') },
        tags,
        Object.fromEntries((r.data?.metrics ?? []).map((m) => [m.key, String(m.value)])),
        Object.fromEntries((r.data?.params ?? []).map((m) => [m.key, m.value])),
        map,
        { file, sha256, row: i + 1 },
      );
      evidence.push(ev);
      ctx.rowsUsed++;
    });
    return result(ctx, path, 'mlflow', 'mlflow-rest', info, { ...emptyRecords(), evidence: evidence.sort((a, b) => cmpStr(a.id, b.id)) });
  }
  // Time JSON (Jira worklogs / Tempo): flatten and match a profile on the keys.
  const items = (data as { worklogs?: unknown[]; results?: unknown[] }).worklogs ?? (data as { results?: unknown[] }).results ?? (Array.isArray(data) ? data : undefined);
  if (!Array.isArray(items)) {
    ctx.note('error', 'no "worklogs" or "results" array', { expected: 'Jira worklogs or Tempo worklogs JSON' });
    return result(ctx, path, 'time', '(none)', info, emptyRecords());
  }
  const flat = items.map((x) => flatten(x));
  const headers = [...new Set(flat.slice(0, 200).flatMap((o) => Object.keys(o)))].sort();
  const det = detectProfile(headers, { kind: 'time', ...(opts.profile ? { profile: opts.profile } : {}) });
  if (!det) {
    ctx.note('error', 'the worklog items match no time profile', { value: headers.slice(0, 20).join(', '), expected: 'the fields of jira-worklogs-json or tempo-worklogs-json' });
    return result(ctx, path, 'time', '(none)', info, emptyRecords());
  }
  ctx.note('info', `profile ${det.profile.id} (${det.profile.vendor}, ${det.profile.confidence}) matched the item fields`);
  const people = peopleResolver(map.people, opts);
  const proc = createProcessor(ctx, det, headers, map, { ...(opts.year !== undefined ? { year: opts.year } : {}), people });
  const missing = proc.missing();
  if (missing.length) {
    ctx.note('error', `profile ${det.profile.id} matched but the items lack: ${missing.join(', ')}`, { expected: missing.join(', ') });
    return result(ctx, path, 'time', det.profile.id, info, emptyRecords());
  }
  flat.forEach((o, i) => proc.row(new ArrayRow(headers.map((h) => o[h] ?? ''), i + 1)));
  return withPeople(result(ctx, path, 'time', det.profile.id, info, { ...emptyRecords(), ...proc.finish({ file, sha256 }) }), people);
}

const MLFLOW_STATUS: Record<string, string> = { '1': 'running', '2': 'scheduled', '3': 'finished', '4': 'failed', '5': 'killed' };

function msDate(v: unknown): { date?: IsoDate; timestamp?: string } {
  const n = Number(v);
  if (v === undefined || v === null || v === '' || !Number.isFinite(n)) return {};
  const iso = new Date(n).toISOString();
  return { date: iso.slice(0, 10) as IsoDate, timestamp: iso };
}

export function mlflowEvidence(
  run: { id: string; name: string; experiment: string; experimentName?: string; user: string; status: string; start: unknown; end: unknown; lifecycle: string },
  tags: Record<string, string>,
  metrics: Record<string, string>,
  params: Record<string, string>,
  map: ComponentMap,
  src: { file: string; sha256: string; row?: number; note?: string },
): EvidenceRecord {
  const st = MLFLOW_STATUS[run.status] ?? run.status.toLowerCase();
  const status = st;
  const start = msDate(run.start);
  const details: Record<string, string> = { experiment_id: run.experiment };
  if (run.experimentName) details.experiment = run.experimentName;
  if (run.lifecycle) details.lifecycle_stage = run.lifecycle;
  if (run.end !== undefined && run.end !== null && run.end !== '') details.end_time = msDate(run.end).timestamp ?? String(run.end);
  if (tags['mlflow.parentRunId']) details.parent_run = tags['mlflow.parentRunId'];
  if (tags['mlflow.source.git.commit']) details.git_commit = tags['mlflow.source.git.commit'];
  if (tags['rdcredit.component']) details['tag.rdcredit.component'] = tags['rdcredit.component'];
  for (const k of Object.keys(metrics).sort()) details[`metric.${k}`] = metrics[k]!;
  for (const k of Object.keys(params).sort()) details[`param.${k}`] = params[k]!;
  if (Object.keys(metrics).length === 0) details.note = 'no metrics logged';
  const rule = map.evidence.find(
    (r) =>
      (r.match.experiment === undefined || test(r.match.experiment, run.experimentName ?? run.experiment)) &&
      (r.match.author === undefined || test(r.match.author, run.user)) &&
      Object.entries(r.match.tag ?? {}).every(([k, p]) => tags[k] !== undefined && test(p, tags[k])) &&
      r.match.message === undefined,
  );
  const ev: EvidenceRecord = { kind: 'experiment_run', id: run.id, title: run.name, status, details: sortKeys(details), source: { ...src, system: 'mlflow' } };
  if (start.date) ev.date = start.date;
  if (start.timestamp) ev.timestamp = start.timestamp;
  if (run.user) ev.author = run.user;
  if (rule) ev.componentId = rule.component;
  return ev;
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

/** Streams a git log export (format in the module comment) → commit evidence. */
export async function importGitLog(path: string, opts: ImportOptions, map: ComponentMap): Promise<ImportResult> {
  const file = basename(path);
  const ctx = new ImportContext(file, opts.acceptSkip);
  const hash = createHash('sha256');
  const total = statSync(path).size;
  let bytes = 0;
  let rest = '';
  let n = 0;
  const commits: EvidenceRecord[] = [];
  const reverts = new Map<string, string>();
  const dec = new TextDecoder('utf-8');
  const handle = (rec: string) => {
    if (rec.trim() === '') return;
    n++;
    ctx.rowsRead++;
    const f = rec.split('\x1f');
    if (f.length < 10) return ctx.rowErrors(n, [{ column: '(record)', value: rec.slice(0, 80), expected: '10 fields separated by 0x1f (see the git log format)' }]);
    const [sha, parents, an, ae, aI, cn, ce, cI, subject] = f as [string, string, string, string, string, string, string, string, string];
    let body = f.slice(9).join('\x1f');
    // Trailing --numstat lines.
    const lines = body.replace(/\s+$/, '').split('\n');
    let files = 0;
    while (lines.length && /^(\d+|-)\t(\d+|-)\t.+$/.test(lines[lines.length - 1]!)) {
      lines.pop();
      files++;
    }
    body = lines.join('\n').trim();
    const problems = [];
    if (!/^[0-9a-f]{7,64}$/.test(sha.trim())) problems.push({ column: 'sha (%H)', value: sha, expected: 'a hex commit id' });
    const ts = parseTimestamp(aI.trim());
    if (isBad(ts)) problems.push({ column: 'author date (%aI)', value: aI, expected: ts.expected });
    if (problems.length) return ctx.rowErrors(n, problems);
    const details: Record<string, string> = { author_email: ae, committer: cn, committer_email: ce, committer_date: cI, parents };
    if (files) details.files_changed = String(files);
    const co = [...body.matchAll(/^Co-authored-by:\s*(.+)$/gim)].map((m) => m[1]!.trim());
    if (co.length) details.co_authors = co.join('; ');
    if (parents.trim().split(/\s+/).length > 1) details.merge = 'true';
    if (/\[bot\]|dependabot|renovate/i.test(an + ae)) details.bot = 'true';
    if (body) details.body = body;
    const rv = /This reverts commit ([0-9a-f]{7,64})/.exec(body);
    if (rv) reverts.set(rv[1]!, sha.trim());
    const rule = map.evidence.find(
      (r) => r.match.experiment === undefined && r.match.tag === undefined && (r.match.message === undefined || test(r.match.message, `${subject}\n${body}`)) && (r.match.author === undefined || test(r.match.author, `${an} <${ae}>`)) && (r.match.message !== undefined || r.match.author !== undefined),
    );
    const ev: EvidenceRecord = {
      kind: 'commit',
      id: sha.trim(),
      title: subject,
      date: (ts as { localDate: IsoDate }).localDate,
      timestamp: aI.trim(),
      author: `${an} <${ae}>`,
      status: rv ? 'revert' : 'committed',
      details: sortKeys(details),
      source: { file, row: n, system: 'git' },
    };
    if (rule) ev.componentId = rule.component;
    commits.push(ev);
    ctx.rowsUsed++;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    const text = rest + dec.decode(chunk, { stream: true });
    const recs = text.split('\x1e');
    rest = recs.pop()!;
    recs.forEach(handle);
    opts.onProgress?.(bytes, total);
  }
  handle(rest + dec.decode());
  const sha256 = hash.digest('hex');
  for (const c of commits) {
    c.source.sha256 = sha256;
    for (const [target, by] of reverts) if (c.id.startsWith(target) || target.startsWith(c.id)) {
      c.status = 'reverted';
      c.details = sortKeys({ ...c.details, reverted_by: by });
    }
  }
  return result(ctx, path, 'git', 'git-log', { sha256, bytes }, { ...emptyRecords(), evidence: commits.sort((a, b) => cmpStr(a.date ?? '', b.date ?? '') || cmpStr(a.id, b.id)) });
}
