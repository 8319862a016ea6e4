/**
 * The API's JSON view of a StudyResult: every value with its status (known / unknown with what is
 * missing / not applicable), money in integer cents, rates as exact decimal strings. Explanation
 * trees are sent on request (`explain`), since a whole result's trees run to megabytes.
 */
import type { Explanation, Val } from '../explain/types.js';
import type { LawView } from '../law/law.js';
import type { Cents } from '../money/cents.js';
import { rateToDecimal, type Rate } from '../money/rate.js';
import { roundToDollar } from '../money/rounding.js';
import { computeEmployeeWages, section3401Wages } from '../study/compute/wages.js';
import type { EmployeeResult, FormResult, LineValue, Schedule, StudyResult } from '../study/compute/result.js';
import type { Study } from '../study/model.js';

export interface JsonVal {
  status: 'known' | 'unknown' | 'na';
  /** Integer cents for money; decimal string for rates; the value for flags and text. */
  value?: number | string | boolean;
  missing?: string[];
  reason?: string;
}

export function moneyVal(v: Val<Cents>): JsonVal {
  if (v.kind === 'known') return { status: 'known', value: v.value };
  if (v.kind === 'unknown') return { status: 'unknown', missing: v.missing };
  return { status: 'na', reason: v.reason };
}

export function lineVal(kind: FormResult['kinds'][string], v: Val<LineValue>): JsonVal {
  if (v.kind === 'unknown') return { status: 'unknown', missing: v.missing };
  if (v.kind === 'na') return { status: 'na', reason: v.reason };
  if (kind === 'money') return { status: 'known', value: roundToDollar(v.value as Cents) };
  if (kind === 'rate') return { status: 'known', value: rateToDecimal(v.value as Rate, 6) };
  return { status: 'known', value: v.value as string | boolean };
}

export interface JsonLine extends JsonVal {
  line: string;
  label: string;
  kind: FormResult['kinds'][string];
}

export interface JsonForm {
  id: string;
  title: string;
  revision: string;
  lines: JsonLine[];
}

export function formJson(f: FormResult): JsonForm {
  return {
    id: f.id,
    title: f.title,
    revision: f.revision,
    lines: Object.entries(f.lines).map(([line, v]) => ({ line, label: f.labels[line] ?? `line ${line}`, kind: f.kinds[line] ?? 'money', ...lineVal(f.kinds[line] ?? 'money', v) })),
  };
}

export function resultJson(r: StudyResult) {
  return {
    study: r.study,
    qre: {
      wages: moneyVal(r.qre.wages),
      supplies: moneyVal(r.qre.supplies),
      computers: moneyVal(r.qre.computers),
      contract: moneyVal(r.qre.contract),
      basicResearch: moneyVal(r.qre.basicResearch),
      total: moneyVal(r.qre.total),
      byComponent: r.qre.byComponent,
      ...(r.qre.byState ? { byState: r.qre.byState } : {}),
    },
    federal: {
      credit: moneyVal(r.federal.credit),
      chosen: r.federal.chosen,
      alternatives: r.federal.alternatives.map((a) => ({ method: a.method, section280c: a.section280c, credit: moneyVal(a.credit) })),
      comparison: r.federal.comparison,
    },
    states: Object.fromEntries(Object.entries(r.states).map(([k, s]) => [k, { name: s.name, credit: moneyVal(s.credit), ...(s.note ? { note: s.note } : {}) }])),
    forms: Object.fromEntries(Object.entries(r.forms).map(([k, f]) => [k, formJson(f)])),
    flags: r.flags,
    missing: r.missing,
    notes: r.notes,
    // The pass-through owners' schedules (federal "owners" and each state's "owners.<state>"), when the study has owners.
    ...(ownerSchedules(r) ? { schedules: ownerSchedules(r) } : {}),
  };
}

function ownerSchedules(r: StudyResult): Record<string, Schedule> | undefined {
  const e = Object.entries(r.schedules ?? {}).filter(([k]) => k === 'owners' || k.startsWith('owners.'));
  return e.length ? Object.fromEntries(e) : undefined;
}
export type ResultJson = ReturnType<typeof resultJson>;

/** Finds the explanation of a form line ("f6765", "24") or, failing that, of a rule id anywhere in the result. */
export function findExplanation(r: StudyResult, form: string | undefined, line: string | undefined, rule: string | undefined): Explanation | undefined {
  if (form && line) return r.forms[form]?.lines[line]?.why;
  if (!rule) return undefined;
  const roots: Explanation[] = [r.federal.credit.why, ...Object.values(r.states).map((s) => s.credit.why), r.qre.total.why];
  for (const f of Object.values(r.forms)) for (const v of Object.values(f.lines)) roots.push(v.why);
  const seen = new Set<Explanation>();
  const stack = [...roots];
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    if (e.rule === rule) return e;
    stack.push(...e.children);
  }
  return undefined;
}

/**
 * People and time: each employee's wages, qualified share, role, hours by work state and the
 * basis, as the computation reports them (`StudyResult.employees`), with what the study adds: where
 * the wages come from, their adjustments, the measured share before the 80% rule, the hours and
 * what is missing when the share is unknown.
 */
export function peopleJson(view: LawView, study: Study, computed?: EmployeeResult[]) {
  const byId = new Map((computed ?? []).map((e) => [e.id, e]));
  return computeEmployeeWages(view, study).map((w) => {
    const e = w.employee;
    const c = byId.get(e.id);
    const hours: Record<string, number> = {};
    const hoursByState: Record<string, number> = {};
    const bases = new Set<string>();
    for (const t of study.time) {
      if (t.employeeId !== e.id) continue;
      hours[t.activity] = (hours[t.activity] ?? 0) + t.hours;
      const st = t.location ? (t.location.country === 'US' ? (t.location.state ?? 'US') : t.location.country) : 'unknown';
      hoursByState[st] = (hoursByState[st] ?? 0) + t.hours;
      bases.add(t.basis === 'survey' ? 'allocation survey' : t.basis === 'estimate' ? 'estimate' : 'time entries');
    }
    const wages = section3401Wages(e);
    const r = w.result;
    const measured = r.kind === 'known' ? rateToDecimal(r.value.qualifiedShare, 4) : null;
    return {
      id: e.id,
      name: e.name,
      ...(e.title ? { title: e.title } : {}),
      ...(e.role ? { role: e.role } : {}),
      officer: e.officer,
      homeState: e.homeLocation?.state ?? e.homeLocation?.country ?? null,
      wages: c ? c.wages : (wages ?? null),
      wagesSource: e.source ? `${e.source.file ?? ''}${e.source.row !== undefined ? ` row ${e.source.row}` : ''}${e.source.note ? ` (${e.source.note})` : ''}`.trim() : null,
      adjustments: e.wageAdjustments ?? [],
      /** The share the wage QRE uses ("1" under the 80% rule). */
      qualifiedShare: c ? c.qualifiedShare : measured,
      /** The share of hours measured from the records, before the 80% rule. */
      measuredShare: measured,
      substantiallyAll: r.kind === 'known' ? r.value.substantiallyAll : null,
      qualifiedWages: c ? c.qualifiedWages : r.kind === 'known' ? r.value.qualifiedWages : null,
      missing: r.kind === 'unknown' ? r.missing : [],
      totalHours: w.totalHours,
      qualifiedHours: w.qualifiedHours,
      hours: c ? c.hours : hours,
      hoursByState: c ? c.hoursByState : hoursByState,
      basis: c ? c.basis : [...bases].sort().join(' + ') || 'no time records',
      why: r.why,
    };
  });
}

/** A CSV of every form line (a built-in download). */
export function linesCsv(r: StudyResult): string {
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const out = ['form,line,label,status,value,missing'];
  for (const [id, f] of Object.entries(r.forms))
    for (const l of formJson(f).lines)
      out.push([id, l.line, l.label, l.status, l.value === undefined ? '' : l.kind === 'money' ? (Number(l.value) / 100).toFixed(2) : String(l.value), (l.missing ?? []).join('; ')].map((x) => esc(String(x))).join(','));
  return out.join('\n') + '\n';
}
