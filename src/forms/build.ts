/**
 * From a StudyResult to the forms and schedules as printed (`PrintedForm`): Form 6765 in the
 * revision that applies to the tax year (with Section G from `schedules.sectionG`), Form 8974,
 * Idaho Form 67, and every schedule the result carries (§174/§174A, carryforwards, owners, …).
 * Nothing is recomputed: each printed line is an engine line, rounded to whole dollars.
 */
import type { Val } from '../explain/types.js';
import type { FormMap } from '../law/schema.js';
import type { Law } from '../law/law.js';
import { loadLaw } from '../law/loader.js';
import { taxPeriod } from '../periods/index.js';
import type { FormResult, LineValue, Schedule, StudyResult } from '../study/compute/result.js';
import type { Study } from '../study/model.js';
import { printLine } from './format.js';
import { compareLineIds, LAYOUTS, SECTION_G_TITLE } from './layout.js';
import type { PrintedForm, PrintedLine, PrintedSection } from './model.js';
import { loadPrintRevisions, printRevisionFor, type PrintRevision } from './revisions.js';

export interface BuildOptions {
  /** The law (default: the repository's law directory). */
  law?: Law;
  /** Printed revisions with their own numbering (default: read from the law directory). */
  revisions?: PrintRevision[];
}

/** Schedules printed as their own page, in this order; the others follow by id. */
export const SCHEDULE_ORDER = ['s174', 'carryforward.federal', 'carryforward.id', 'owners', 'multistate'];
/** Schedules printed inside a form rather than on their own. */
const ATTACHED = new Set(['sectionG', 'f8974']);

function kindOf(k: string | undefined): PrintedLine['kind'] {
  if (k === 'rate' || k === 'flag' || k === 'text') return k;
  if (k === 'count') return 'text';
  return 'money';
}

function mapOrUndefined(law: Law, id: string, start: string, end: string): FormMap | undefined {
  try {
    return law.form(id, taxPeriod(start, end));
  } catch {
    return undefined;
  }
}

function sectionsFrom(
  layoutId: string,
  entries: { line: string; section: string | undefined; printed: PrintedLine }[],
): PrintedSection[] {
  const layout = LAYOUTS[layoutId];
  const known = layout?.sections ?? [];
  const bySection = new Map<string, PrintedLine[]>();
  for (const e of entries) {
    const s = e.section ?? 'other';
    const list = bySection.get(s) ?? [];
    list.push(e.printed);
    bySection.set(s, list);
  }
  const order = [...known.map((s) => s.id), ...[...bySection.keys()].filter((k) => !known.some((s) => s.id === k)).sort()];
  const out: PrintedSection[] = [];
  for (const id of order) {
    const lines = bySection.get(id);
    if (!lines?.length) continue;
    lines.sort((a, b) => compareLineIds(a.line, b.line));
    out.push({ id, title: known.find((s) => s.id === id)?.title ?? (id === 'other' ? 'Lines' : /^[A-Z]$/.test(id) ? `Section ${id}` : id), lines });
  }
  return out;
}

function unknownNote(sections: PrintedSection[]): string[] {
  const unknown = sections.flatMap((s) => s.lines).filter((l) => l.status === 'unknown');
  if (!unknown.length) return [];
  const parts = unknown.map((l) => {
    const m = l.missing ?? [];
    return `line ${l.line}: ${m.slice(0, 3).join(', ')}${m.length > 3 ? ` and ${m.length - 3} more` : ''}`;
  });
  return [`"unknown" lines cannot be computed until these inputs are entered: ${parts.join('; ')}.`];
}

/** A form from the engine's FormResult, printed with the form map's captions and sections. */
function formFromResult(result: StudyResult, f: FormResult, map: FormMap | undefined, layoutId: string, extra: { tables?: Schedule[]; notes?: string[] } = {}): PrintedForm {
  const ids = new Set([...Object.keys(map?.lines ?? {}), ...Object.keys(f.lines)]);
  const entries = [...ids].map((line) => {
    const def = map?.lines[line];
    const label = def?.label ?? f.labels[line] ?? `line ${line}`;
    const kind = kindOf(def?.kind ?? f.kinds[line]);
    return { line, section: def?.section, printed: printLine(line, label, kind, f.lines[line]) };
  });
  const sections = sectionsFrom(layoutId, entries);
  return {
    id: f.id === 'id-67' ? 'id67' : f.id,
    kind: 'form',
    formNumber: LAYOUTS[layoutId]?.formNumber ?? `Form ${f.id}`,
    title: map?.title ?? f.title,
    revision: map?.revision ?? f.revision,
    taxpayer: { name: result.study.taxpayer, ...(result.study.ein ? { ein: result.study.ein } : {}) },
    period: result.study.period,
    sections,
    tables: extra.tables ?? [],
    notes: [...(extra.notes ?? []), ...unknownNote(sections)],
    citations: map?.reference ?? [],
  };
}

/** Form 6765 in a printed revision with its own numbering: each printed line shows an engine line. */
function formFromRevision(result: StudyResult, f: FormResult, rev: PrintRevision): PrintedForm {
  const entries = Object.entries(rev.lines).map(([line, def]) => ({
    line,
    section: def.section,
    printed: printLine(line, def.label, kindOf(def.kind), f.lines[def.current], def.current),
  }));
  const sections = sectionsFrom(rev.form, entries);
  const notes = [`Printed in the layout of ${rev.revision}, which applies to tax years beginning ${rev.applies.from}${rev.applies.to ? ` to before ${rev.applies.to}` : ''}; the engine's line numbers (current revision) are given for each line in the JSON output.`];
  const a = f.lines.A;
  if (a?.kind === 'known' && typeof a.value === 'boolean') notes.push(`Reduced credit under section 280C elected (lines 17 and 34): ${a.value ? 'Yes' : 'No'}.`);
  notes.push('This revision has no Sections E–G; the QRE summary and business-component detail are in the study report.');
  return {
    id: f.id,
    kind: 'form',
    formNumber: LAYOUTS[rev.form]?.formNumber ?? 'Form 6765',
    title: rev.title,
    revision: rev.revision,
    taxpayer: { name: result.study.taxpayer, ...(result.study.ein ? { ein: result.study.ein } : {}) },
    period: result.study.period,
    sections,
    tables: [],
    notes: [...notes, ...unknownNote(sections)],
    citations: rev.reference,
  };
}

function scheduleForm(result: StudyResult, s: Schedule): PrintedForm {
  return {
    id: s.id,
    kind: 'schedule',
    formNumber: 'Schedule',
    title: s.title,
    revision: 'rdcredit schedule',
    taxpayer: { name: result.study.taxpayer, ...(result.study.ein ? { ein: result.study.ein } : {}) },
    period: result.study.period,
    sections: [],
    tables: [s],
    notes: [...(s.notes ?? [])],
    citations: s.citation,
  };
}

/** Every form and schedule of a result, as printed, in filing order. */
export function buildForms(result: StudyResult, _study?: Study, opts: BuildOptions = {}): PrintedForm[] {
  const law = opts.law ?? loadLaw();
  const revisions = opts.revisions ?? loadPrintRevisions();
  const { start, end } = result.study.period;
  const schedules = result.schedules ?? {};
  const out: PrintedForm[] = [];

  const f6765 = result.forms.f6765;
  let sectionGPrinted = false;
  if (f6765) {
    const rev = printRevisionFor(revisions, 'f6765', { start });
    if (rev) out.push(formFromRevision(result, f6765, rev));
    else {
      const g = schedules.sectionG;
      sectionGPrinted = g !== undefined;
      out.push(formFromResult(result, f6765, mapOrUndefined(law, 'f6765', start, end), 'f6765', g ? { tables: [{ ...g, title: SECTION_G_TITLE }] } : {}));
    }
  }

  const f8974 = result.forms.f8974;
  const q = schedules.f8974;
  if (f8974) out.push(formFromResult(result, f8974, mapOrUndefined(law, 'f8974', start, end), 'f8974', q ? { tables: [q] } : {}));
  else if (q) out.push({ ...scheduleForm(result, q), id: 'f8974', kind: 'form', formNumber: 'Form 8974', title: 'Qualified Small Business Payroll Tax Credit for Increasing Research Activities', revision: 'quarter by quarter' });

  for (const [key, f] of Object.entries(result.forms).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (key === 'f6765' || key === 'f8974') continue;
    const mapId = f.id;
    out.push(formFromResult(result, f, mapOrUndefined(law, mapId, start, end), mapId));
  }

  const ids = Object.keys(schedules).filter((id) => !ATTACHED.has(id) || (id === 'sectionG' && !sectionGPrinted));
  ids.sort((a, b) => {
    const ia = SCHEDULE_ORDER.indexOf(a);
    const ib = SCHEDULE_ORDER.indexOf(b);
    if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  for (const id of ids) out.push(scheduleForm(result, schedules[id]!));
  return out;
}

/** One form line's explanation (for the report's computation trail). */
export function lineVal(result: StudyResult, formKey: string, line: string): Val<LineValue> | undefined {
  return result.forms[formKey]?.lines[line];
}
