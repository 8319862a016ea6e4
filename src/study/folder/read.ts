/**
 * Reading a study folder: study.yaml plus the CSV files, validated cell by cell. Every problem is
 * reported with its file, row (line), column, value and what was expected; a folder with any
 * error yields no study, and reading never stops at the first problem.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML, { LineCounter, isNode } from 'yaml';
import type { Study } from '../model.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import { TABLES, setPath, type TableSpec } from './tables.js';
import { INTERVIEWS_YAML, InterviewsYaml, QUALIFICATION_LOG_YAML, QualificationLogYaml, readRecordsYaml } from './records-yaml.js';
import { StudyYaml } from './yaml-schema.js';

export type Severity = 'error' | 'warning' | 'info';

/** One problem found in a study folder. `row` is the 1-based line in the file (the CSV header is line 1). */
export interface Diagnostic {
  file: string;
  row?: number;
  column?: string;
  value?: string;
  expected?: string;
  severity: Severity;
  message: string;
}

export interface ReadResult {
  /** The study, when the folder has no errors. */
  study?: Study;
  diagnostics: Diagnostic[];
}

export const STUDY_YAML = 'study.yaml';

/** Removes keys whose value is undefined, recursively (the model omits unknown fields). */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
    return out as T;
  }
  return v;
}

function readYaml(dir: string, diags: Diagnostic[]): ReturnType<typeof StudyYaml.parse> | undefined {
  const path = join(dir, STUDY_YAML);
  if (!existsSync(path)) {
    diags.push({ file: STUDY_YAML, severity: 'error', message: `${STUDY_YAML} is missing from ${dir}`, expected: 'a study.yaml file (rdcredit init creates one)' });
    return undefined;
  }
  const text = readFileSync(path, 'utf8');
  const lc = new LineCounter();
  const doc = YAML.parseDocument(text, { schema: 'failsafe', lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      diags.push({ file: STUDY_YAML, row: e.linePos?.[0]?.line, severity: 'error', message: `YAML syntax: ${e.message.split('\n')[0]}`, expected: 'valid YAML' });
    return undefined;
  }
  const raw = doc.toJS() ?? {};
  const r = StudyYaml.safeParse(raw);
  if (r.success) return clean(r.data);
  for (const issue of r.error.issues) {
    const p = issue.path.map(String);
    let node: unknown = doc.getIn(issue.path as (string | number)[], true);
    // For a missing key, point at the parent.
    let q = [...issue.path];
    while (!isNode(node) && q.length > 0) {
      q = q.slice(0, -1);
      node = q.length ? doc.getIn(q as (string | number)[], true) : doc.contents;
    }
    const row = isNode(node) && node.range ? lc.linePos(node.range[0]).line : undefined;
    let value: unknown = raw;
    for (const k of issue.path) value = (value as any)?.[k as any];
    const missing = value === undefined;
    const unknownKeys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : undefined;
    diags.push({
      file: STUDY_YAML,
      row,
      column: p.join('.') || '(document)',
      value: unknownKeys ? unknownKeys.join(', ') : typeof value === 'string' ? value : missing ? undefined : JSON.stringify(value),
      expected: unknownKeys ? 'only the keys documented in docs/study-format.md' : issue.message,
      severity: 'error',
      message: unknownKeys
        ? `unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.join(', ')} at ${p.join('.') || 'top level'}`
        : missing
          ? `${p.join('.')} is required: ${issue.message}`
          : `${p.join('.')}: ${issue.message}`,
    });
  }
  return undefined;
}

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

function readTable(dir: string, spec: TableSpec, diags: Diagnostic[]): { rows: Record<string, any>[]; lines: number[]; present: boolean } {
  const path = join(dir, spec.file);
  if (!existsSync(path)) return { rows: [], lines: [], present: false };
  let recs;
  try {
    recs = parseCsv(readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      diags.push({ file: spec.file, row: e.line, severity: 'error', message: e.message, expected: 'a closing double quote' });
      return { rows: [], lines: [], present: true };
    }
    throw e;
  }
  if (recs.length === 0) return { rows: [], lines: [], present: true };
  const header = recs[0]!.cells.map(norm);
  const known = new Map(spec.columns.map((c) => [c.name, c]));
  const idx = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === '') return;
    if (!known.has(h)) {
      diags.push({ file: spec.file, row: 1, column: h, value: recs[0]!.cells[i], severity: 'error', message: `unknown column "${recs[0]!.cells[i]}"`, expected: `one of ${spec.columns.map((c) => c.name).join(', ')}` });
    } else if (idx.has(h)) {
      diags.push({ file: spec.file, row: 1, column: h, severity: 'error', message: `column "${h}" appears twice`, expected: 'each column once' });
    } else idx.set(h, i);
  });
  for (const c of spec.columns)
    if (c.required && !idx.has(c.name))
      diags.push({ file: spec.file, row: 1, column: c.name, severity: 'error', message: `required column "${c.name}" is missing`, expected: `a column ${c.name}: ${c.doc}` });
  const rows: Record<string, any>[] = [];
  const lines: number[] = [];
  for (const rec of recs.slice(1)) {
    if (rec.cells.every((c) => c.trim() === '')) continue;
    if (rec.cells.length > header.length)
      diags.push({ file: spec.file, row: rec.line, severity: 'error', message: `row has ${rec.cells.length} cells but the header has ${header.length}`, value: rec.cells.slice(header.length).join(','), expected: `${header.length} cells` });
    const out: Record<string, any> = {};
    for (const c of spec.columns) {
      const i = idx.get(c.name);
      const raw = i === undefined ? '' : (rec.cells[i] ?? '');
      const cell = raw.trim();
      if (cell === '') {
        if (c.required && i !== undefined)
          diags.push({ file: spec.file, row: rec.line, column: c.name, value: '', severity: 'error', message: `${c.name} is required`, expected: c.codec.expected });
        continue;
      }
      const p = c.codec.parse(cell);
      if (!p.ok) {
        diags.push({ file: spec.file, row: rec.line, column: c.name, value: raw, severity: 'error', message: `${c.name}: "${raw}" is not ${p.expected}`, expected: p.expected });
        continue;
      }
      setPath(out, c.path, p.value);
    }
    if (spec.key === 'evidence') {
      // An empty list cell is the empty list (never unknown).
      out.componentIds ??= [];
      out.employeeIds ??= [];
    }
    rows.push(out);
    lines.push(rec.line);
  }
  return { rows, lines, present: true };
}

/**
 * Reads and validates a study folder.
 * @param dir the folder holding study.yaml and the CSV files (a missing CSV file means no rows).
 * @returns the `Study` when there is no error, and every diagnostic found.
 */
export function readStudyFolder(dir: string): ReadResult {
  const diags: Diagnostic[] = [];
  if (!existsSync(dir)) return { diagnostics: [{ file: dir, severity: 'error', message: `study folder ${dir} does not exist`, expected: 'a folder with study.yaml' }] };
  const meta = readYaml(dir, diags);
  const tables = new Map<string, { rows: Record<string, any>[]; lines: number[]; present: boolean }>();
  for (const spec of TABLES) tables.set(spec.key, readTable(dir, spec, diags));
  const interviews = readRecordsYaml(dir, INTERVIEWS_YAML, InterviewsYaml, diags);
  const qualificationLog = readRecordsYaml(dir, QUALIFICATION_LOG_YAML, QualificationLogYaml, diags);
  const allowed = new Set([STUDY_YAML, INTERVIEWS_YAML, QUALIFICATION_LOG_YAML, ...TABLES.map((t) => t.file)]);
  for (const f of readdirSync(dir))
    if (/\.(csv|ya?ml)$/i.test(f) && !allowed.has(f))
      diags.push({ file: f, severity: 'warning', message: `${f} is not part of the study format and was not read`, expected: [...allowed].join(', ') });

  // Ids unique within each file.
  for (const spec of TABLES) {
    if (!spec.idColumn) continue;
    const t = tables.get(spec.key)!;
    const seen = new Map<string, number>();
    t.rows.forEach((r, i) => {
      if (r.id === undefined) return;
      const prev = seen.get(r.id);
      if (prev !== undefined)
        diags.push({ file: spec.file, row: t.lines[i], column: 'id', value: r.id, severity: 'error', message: `duplicate id "${r.id}" (first on line ${prev})`, expected: 'an id used once in the file' });
      else seen.set(r.id, t.lines[i]!);
    });
  }
  // References between files.
  const ids = (key: string) => new Set(tables.get(key)!.rows.map((r) => r.id as string));
  const employees = ids('employees');
  const components = ids('components');
  const members = new Set((meta?.taxpayer.groupMembers ?? []).map((g) => g.id));
  const check = (key: string, field: string, column: string, set: Set<string>, what: string) => {
    const spec = TABLES.find((t) => t.key === key)!;
    const t = tables.get(key)!;
    t.rows.forEach((r, i) => {
      const v = r[field];
      if (v !== undefined && !set.has(v))
        diags.push({ file: spec.file, row: t.lines[i], column, value: v, severity: 'error', message: `${column} "${v}" is not ${what}`, expected: what });
    });
  };
  check('time', 'employeeId', 'employee_id', employees, 'an id in employees.csv');
  check('wageAdjustments', 'employeeId', 'employee_id', employees, 'an id in employees.csv');
  for (const key of ['time', 'supplies', 'computers', 'contracts', 'basicResearch'])
    check(key, 'componentId', 'component_id', components, 'an id in components.csv');
  check('components', 'parentId', 'parent_id', components, 'an id in components.csv');
  const listCheck = (key: string, field: string, column: string, set: Set<string>, what: string) => {
    const spec = TABLES.find((t) => t.key === key)!;
    const t = tables.get(key)!;
    t.rows.forEach((r, i) => {
      for (const v of (r[field] as string[] | undefined) ?? [])
        if (!set.has(v)) diags.push({ file: spec.file, row: t.lines[i], column, value: v, severity: 'error', message: `${column}: "${v}" is not ${what}`, expected: what });
    });
  };
  listCheck('evidence', 'componentIds', 'component_ids', components, 'an id in components.csv');
  listCheck('evidence', 'employeeIds', 'employee_ids', employees, 'an id in employees.csv');
  const evidenceIds = ids('evidence');
  const yamlRef = (file: string, rowOf: (p: (string | number)[]) => number | undefined, path: (string | number)[], v: string, set: Set<string>, what: string) => {
    if (!set.has(v)) diags.push({ file, row: rowOf(path), column: path.join('.'), value: v, severity: 'error', message: `${path.join('.')}: "${v}" is not ${what}`, expected: what });
  };
  interviews.value?.forEach((iv, i) => {
    yamlRef(INTERVIEWS_YAML, interviews.rowOf, [i, 'componentId'], iv.componentId, components, 'an id in components.csv');
    iv.answers.forEach((a, j) => a.evidenceIds?.forEach((e, k) => yamlRef(INTERVIEWS_YAML, interviews.rowOf, [i, 'answers', j, 'evidenceIds', k], e, evidenceIds, 'an id in evidence.csv')));
  });
  qualificationLog.value?.forEach((q, i) => yamlRef(QUALIFICATION_LOG_YAML, qualificationLog.rowOf, [i, 'componentId'], q.componentId, components, 'an id in components.csv'));
  if (meta) {
    check('employees', 'memberId', 'member_id', members, 'a taxpayer.groupMembers id in study.yaml');
    check('components', 'memberId', 'member_id', members, 'a taxpayer.groupMembers id in study.yaml');
  }

  if (!meta || diags.some((x) => x.severity === 'error')) return { diagnostics: diags };

  const rows = (key: string) => tables.get(key)!.rows;
  const adjustments = new Map<string, { amount: number; reason: string }[]>();
  for (const a of rows('wageAdjustments')) {
    const list = adjustments.get(a.employeeId) ?? [];
    list.push({ amount: a.amount, reason: a.reason });
    adjustments.set(a.employeeId, list);
  }
  const employeesOut = rows('employees').map((e) => {
    const adj = adjustments.get(e.id);
    if (!adj) return e;
    // Keep the model's field order: wageAdjustments after wagesBox1.
    const { id, name, title, role, officer, wagesBox1, ...rest } = e;
    return clean({ id, name, title, role, officer, wagesBox1, wageAdjustments: adj, ...rest });
  });
  const study: Study = {
    formatVersion: 1,
    id: meta.id,
    title: meta.title,
    ...(meta.firm ? { firm: meta.firm } : {}),
    ...(meta.client ? { client: meta.client } : {}),
    taxpayer: meta.taxpayer as Study['taxpayer'],
    ...(meta.grossReceipts !== undefined ? { grossReceipts: meta.grossReceipts } : {}),
    ...(meta.grossReceiptsByState ? { grossReceiptsByState: meta.grossReceiptsByState } : {}),
    history: meta.history as Study['history'],
    employees: employeesOut as Study['employees'],
    time: rows('time') as Study['time'],
    components: rows('components') as Study['components'],
    supplies: rows('supplies') as Study['supplies'],
    computers: rows('computers') as Study['computers'],
    contracts: rows('contracts') as Study['contracts'],
    basicResearch: rows('basicResearch') as Study['basicResearch'],
    energyConsortia: rows('energyConsortia') as Study['energyConsortia'],
    section174Pools: rows('section174Pools') as Study['section174Pools'],
    taxFacts: meta.taxFacts as Study['taxFacts'],
    elections: meta.elections as Study['elections'],
    ...(meta.baseFacts ? { baseFacts: meta.baseFacts as NonNullable<Study['baseFacts']> } : {}),
    ...(meta.stateFacts ? { stateFacts: meta.stateFacts } : {}),
    ...(tables.get('evidence')!.present ? { evidence: rows('evidence') as NonNullable<Study['evidence']> } : {}),
    ...(interviews.value ? { interviews: clean(interviews.value) as Study['interviews'] } : {}),
    ...(qualificationLog.value ? { qualificationLog: clean(qualificationLog.value) as Study['qualificationLog'] } : {}),
  };
  return { study, diagnostics: diags };
}
