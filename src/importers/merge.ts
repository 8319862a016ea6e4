/**
 * Merging an import's records into a study (pure: study in, study out, with a report). The rules
 * (docs/study-format.md, "Importing into a study") are chosen so that no data is ever lost:
 *
 * - time: rows already derived from the same file (same `source.sha256`) and rows of files the
 *   user names in `replace` are removed; every other row is kept; the imported rows are appended.
 *   Imported time that falls in an employee-month already covered by other rows draws a warning
 *   (a possible double count), never a silent removal. Removed rows stay rebuildable: their file
 *   is in the ledger.
 * - employees: matched by id. A new id is added (officer false, to review). For a known id the
 *   import sets the wage fields it carries (W-2 box 1, state wages) and fills fields that are
 *   empty (name, title, home location); officer, role, member and wage adjustments are never
 *   touched. A changed box 1 is reported.
 * - supplies, computers, contracts: importer ids include the file's hash, so rows of the same file
 *   are replaced and all others kept; an id used by a different existing row is an error.
 * - evidence: matched by id (mlflow:<run>, git:<commit>); a known item keeps its fields and gains
 *   the new links (component and employee ids).
 */
import type { BusinessComponent, ComputerCost, ContractResearch, Employee, EvidenceItem, Study, SupplyCost, TimeRecord } from '../study/model.js';
import type { Diagnostic, ImportedRecords } from './types.js';

export interface MergeOptions {
  /** SHA-256 (or a unique prefix of at least 8 hex digits) of earlier imports whose rows this import replaces. */
  replace?: readonly string[];
}

export interface MergeReport {
  added: Record<string, number>;
  replaced: Record<string, number>;
  updated: Record<string, number>;
  diagnostics: Diagnostic[];
}

const monthKey = (t: TimeRecord) => `${t.employeeId}\u0000${(t.date ?? '').slice(0, 7)}`;

/** The SHA-256s in `study` that the prefixes name (each prefix must match exactly one source). */
export function resolveShas(study: Study, prefixes: readonly string[], file: string): { shas: Set<string>; diagnostics: Diagnostic[] } {
  const known = new Set<string>();
  for (const list of [study.time, study.employees, study.supplies, study.computers, study.contracts, study.evidence ?? []] as { source?: { sha256?: string } }[][])
    for (const r of list) if (r.source?.sha256) known.add(r.source.sha256);
  const shas = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of prefixes) {
    const hits = [...known].filter((s) => s.startsWith(p.toLowerCase()));
    if (p.length < 8 || hits.length !== 1)
      diagnostics.push({ file, severity: 'error', column: 'replace', value: p, expected: 'the SHA-256 (or a unique prefix of at least 8 hex digits) of a file imported earlier into this study', message: hits.length > 1 ? `"${p}" matches ${hits.length} imported files` : `no file imported into this study has a SHA-256 starting with "${p}"` });
    else shas.add(hits[0]!);
  }
  return { shas, diagnostics };
}

/**
 * Merges `records` (from the file `file` with content `sha256`) into `study`.
 * @returns the new study (the input is not modified) and what changed, with warnings and errors.
 */
export function mergeRecords(study: Study, records: ImportedRecords & { evidenceItems?: EvidenceItem[] }, src: { file: string; sha256: string }, opts: MergeOptions = {}): { study: Study; report: MergeReport } {
  const report: MergeReport = { added: {}, replaced: {}, updated: {}, diagnostics: [] };
  const note = (d: Omit<Diagnostic, 'file'>) => report.diagnostics.push({ file: src.file, ...d });
  const bump = (m: Record<string, number>, k: string, n = 1) => {
    if (n) m[k] = (m[k] ?? 0) + n;
  };
  const { shas: replace, diagnostics } = resolveShas(study, opts.replace ?? [], src.file);
  report.diagnostics.push(...diagnostics);
  replace.add(src.sha256);
  const fromReplaced = (r: { source?: { sha256?: string } }) => r.source?.sha256 !== undefined && replace.has(r.source.sha256);

  // Time.
  let time = study.time;
  if (records.time.length) {
    const kept = study.time.filter((t) => !fromReplaced(t));
    bump(report.replaced, 'time', study.time.length - kept.length);
    const covered = new Map<string, Set<string>>();
    for (const t of kept) {
      const k = monthKey(t);
      const s = covered.get(k) ?? new Set<string>();
      s.add(t.source?.file ?? 'rows entered by hand');
      covered.set(k, s);
    }
    const overlap = new Map<string, number>();
    for (const t of records.time) for (const f of covered.get(monthKey(t)) ?? []) overlap.set(f, (overlap.get(f) ?? 0) + 1);
    for (const [f, n] of overlap)
      note({
        severity: 'warning',
        value: f,
        expected: 'time for each employee-month from one source',
        message: `${n} imported time rows fall in employee-months that already have time from ${f}: check for double counting; if this file supersedes it, re-import with --replace <its sha256>`,
      });
    time = [...kept, ...records.time];
    bump(report.added, 'time', records.time.length);
  }

  // Employees.
  const employees = study.employees.map((e) => ({ ...e }));
  const byId = new Map(employees.map((e, i) => [e.id, i]));
  for (const imp of records.employees) {
    const i = byId.get(imp.id);
    if (i === undefined) {
      employees.push(imp);
      byId.set(imp.id, employees.length - 1);
      bump(report.added, 'employees');
      continue;
    }
    const cur = employees[i]!;
    const next: Employee = { ...cur };
    if (imp.wagesBox1 !== undefined) {
      if (cur.wagesBox1 !== undefined && cur.wagesBox1 !== imp.wagesBox1)
        note({ severity: 'warning', column: 'wages_box1', value: imp.id, expected: 'one source of W-2 box 1 per employee', message: `employee ${imp.id}: W-2 box 1 ${cur.wagesBox1 / 100} (${cur.source?.file ?? 'entered by hand'}) replaced by ${imp.wagesBox1 / 100} from this file` });
      next.wagesBox1 = imp.wagesBox1;
      if (imp.source) next.source = imp.source;
    }
    if (imp.stateWages !== undefined) next.stateWages = imp.stateWages;
    if (cur.name === cur.id && imp.name !== imp.id) next.name = imp.name;
    if (cur.title === undefined && imp.title !== undefined) next.title = imp.title;
    if (cur.homeLocation === undefined && imp.homeLocation !== undefined) next.homeLocation = imp.homeLocation;
    employees[i] = next;
    bump(report.updated, 'employees');
  }

  // Id-keyed cost lines.
  function byIdMerge<T extends { id: string; source?: { sha256?: string } }>(key: string, cur: T[], imp: T[]): T[] {
    if (!imp.length) return cur;
    const kept = cur.filter((r) => !fromReplaced(r));
    bump(report.replaced, key, cur.length - kept.length);
    const ids = new Set(kept.map((r) => r.id));
    for (const r of imp)
      if (ids.has(r.id)) note({ severity: 'error', column: 'id', value: r.id, expected: `an id not already used in ${key}`, message: `${key}: id ${r.id} is already used by another row of the study` });
    bump(report.added, key, imp.length);
    return [...kept, ...imp];
  }
  const supplies = byIdMerge<SupplyCost>('supplies', study.supplies, records.supplies);
  const computers = byIdMerge<ComputerCost>('computers', study.computers, records.computers);
  const contracts = byIdMerge<ContractResearch>('contracts', study.contracts, records.contracts);

  // Evidence items.
  let evidence = study.evidence;
  if (records.evidenceItems?.length) {
    const list = (study.evidence ?? []).map((e) => ({ ...e }));
    const at = new Map(list.map((e, i) => [e.id, i]));
    for (const item of records.evidenceItems) {
      const i = at.get(item.id);
      if (i === undefined) {
        list.push(item);
        at.set(item.id, list.length - 1);
        bump(report.added, 'evidence');
        continue;
      }
      const cur = list[i]!;
      const union = (a: string[], b: string[]) => [...a, ...b.filter((x) => !a.includes(x))];
      list[i] = { ...cur, componentIds: union(cur.componentIds, item.componentIds), employeeIds: union(cur.employeeIds, item.employeeIds) };
      bump(report.updated, 'evidence');
    }
    evidence = list;
  }

  // References the study folder requires.
  const empIds = new Set(employees.map((e) => e.id));
  const compIds = new Set(study.components.map((c: BusinessComponent) => c.id));
  const missingEmp = new Map<string, number>();
  const missingComp = new Map<string, number>();
  for (const t of records.time) {
    if (!empIds.has(t.employeeId)) missingEmp.set(t.employeeId, (missingEmp.get(t.employeeId) ?? 0) + 1);
    if (t.componentId !== undefined && !compIds.has(t.componentId)) missingComp.set(t.componentId, (missingComp.get(t.componentId) ?? 0) + 1);
  }
  for (const r of [...records.supplies, ...records.computers, ...records.contracts])
    if (r.componentId !== undefined && !compIds.has(r.componentId)) missingComp.set(r.componentId, (missingComp.get(r.componentId) ?? 0) + 1);
  for (const [id, n] of missingEmp)
    note({ severity: 'error', column: 'employee_id', value: id, expected: 'an id in employees.csv (import the payroll or W-2 file first, or add the employee)', message: `employee "${id}" (${n} imported time rows) is not an employee of the study` });
  for (const [id, n] of missingComp)
    note({ severity: 'error', column: 'component_id', value: id, expected: 'an id in components.csv (fix the component map or add the component)', message: `component "${id}" (${n} imported rows, from the component map) is not a business component of the study` });

  const out: Study = { ...study, employees, time, supplies, computers, contracts };
  if (evidence !== undefined) out.evidence = evidence;
  return { study: out, report };
}
