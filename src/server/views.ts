/** Composite views: the dashboard of a study and the what-if comparison. */
import type { Val } from '../explain/types.js';
import type { Cents } from '../money/cents.js';
import type { StudyResult } from '../study/compute/result.js';
import type { Elections, Study } from '../study/model.js';
import type { ReadinessCheck } from '../study/qualify/types.js';
import { formJson, moneyVal, resultJson, type JsonVal } from './serialize.js';
import type { Workspace } from './workspace.js';

/**
 * Completeness checks used for the readiness score while no qualification engine is installed.
 * They measure what the data lets the engine compute, not whether the research qualifies.
 */
export function completenessChecks(study: Study, r: StudyResult): ReadinessCheck[] {
  const cite = (title: string) => [{ title }];
  const undecided = study.components.filter((c) => c.qualification === 'needs_information');
  const qualifying = study.components.filter((c) => c.qualification === 'qualifies');
  const supported = qualifying.filter((c) => (study.evidence ?? []).some((e) => e.componentIds.includes(c.id)) || (study.interviews ?? []).some((i) => i.componentId === c.id && i.answers.length > 0) || (c.qualificationReason ?? '').length > 40);
  const hours = study.time.reduce((a, t) => a + t.hours, 0);
  const contemporaneous = study.time.filter((t) => t.basis === 'time_entries').reduce((a, t) => a + t.hours, 0);
  const share = hours > 0 ? contemporaneous / hours : 0;
  return [
    {
      id: 'complete.inputs',
      title: 'Every input the credit needs is present',
      status: r.missing.length === 0 ? 'pass' : r.federal.credit.kind === 'known' ? 'warn' : 'fail',
      message: r.missing.length === 0 ? 'nothing is missing' : `${r.missing.length} item(s) missing${r.federal.credit.kind === 'known' ? ' (the federal credit is known; a state or schedule is not)' : '; the federal credit is unknown until they are entered'}`,
      citation: cite('26 U.S.C. § 41(c)'),
    },
    {
      id: 'complete.components_decided',
      title: 'Every business component has a qualification decision',
      status: study.components.length === 0 ? 'fail' : undecided.length === 0 ? 'pass' : 'warn',
      message: undecided.length ? `undecided: ${undecided.map((c) => c.id).join(', ')}` : `${study.components.length} component(s) decided`,
      citation: cite('Treas. Reg. § 1.41-4(b)'),
    },
    {
      id: 'complete.component_support',
      title: 'Each qualifying component is documented (evidence, interview or a detailed reason)',
      status: qualifying.length === 0 ? 'na' : supported.length === qualifying.length ? 'pass' : 'warn',
      message: `${supported.length} of ${qualifying.length} qualifying component(s) documented`,
      citation: cite('Form 6765 Section G; Treas. Reg. § 1.41-4(d)'),
    },
    {
      id: 'complete.time_basis',
      title: 'Time comes from contemporaneous records',
      status: hours === 0 ? 'fail' : share >= 0.8 ? 'pass' : share >= 0.5 ? 'warn' : 'fail',
      message: hours === 0 ? 'no time records' : `${Math.round(share * 100)}% of ${Math.round(hours).toLocaleString('en-US')} hours from time entries`,
      citation: cite('Siemer Milling Co. v. Commissioner, T.C. Memo. 2019-37'),
    },
    {
      id: 'complete.open_questions',
      title: 'Open legal questions reviewed',
      status: r.flags.length === 0 ? 'pass' : r.flags.some((f) => f.isDefault) ? 'warn' : 'pass',
      message: r.flags.length === 0 ? 'none used' : `${r.flags.length} option(s) used: ${r.flags.map((f) => `${f.option} = ${f.chosen}${f.isDefault ? ' (default)' : ''}`).join('; ')}`,
      citation: cite('rdcredit law options (law/**.yaml)'),
    },
  ];
}

export function score(checks: ReadinessCheck[]): number {
  const scored = checks.filter((c) => c.status !== 'na');
  if (!scored.length) return 0;
  const pts = scored.reduce((a, c) => a + (c.status === 'pass' ? 2 : c.status === 'warn' ? 1 : 0), 0);
  return Math.round((pts / (2 * scored.length)) * 100);
}

export interface YearQre {
  /** "2024", or the period's start and end when it is not a calendar year. */
  label: string;
  start: string;
  end: string;
  /** This study's tax year (computed) or a prior year from the study's history (as entered). */
  current: boolean;
  /** Total QREs: unknown when the history does not give them (never a silent zero). */
  total: JsonVal;
  /** QREs by state (USPS → cents) when known. */
  byState: Record<string, number> | null;
}

/** Total QREs of the prior years in the study's history and of this year, oldest first. */
export function yearOverYear(study: Study, r: StudyResult): YearQre[] {
  const label = (start: string, end: string) => (start.slice(5) === '01-01' && end.slice(5) === '12-31' && start.slice(0, 4) === end.slice(0, 4) ? start.slice(0, 4) : `${start} – ${end}`);
  const rows: YearQre[] = (study.history ?? []).map((h) => ({
    label: label(h.period.start, h.period.end),
    start: h.period.start,
    end: h.period.end,
    current: false,
    total: h.qre === undefined ? { status: 'unknown', missing: [`history[${h.period.start.slice(0, 4)}].qre`] } : { status: 'known', value: h.qre },
    byState: h.qreByState ? { ...h.qreByState } : null,
  }));
  const p = r.study.period;
  rows.push({
    label: label(p.start, p.end),
    start: p.start,
    end: p.end,
    current: true,
    total: moneyVal(r.qre.total),
    byState: r.qre.byState ? Object.fromEntries(Object.entries(r.qre.byState).map(([k, v]) => [k, v.total])) : null,
  });
  return rows.sort((a, b) => a.start.localeCompare(b.start));
}

/** The dashboard, built once per state of the study (see Workspace.stateKey). */
export async function buildDashboard(ws: Workspace, id: string): Promise<unknown> {
  const key = await ws.stateKey(id);
  const hit = ws.viewCache.get(id);
  if (hit && hit.key === key) return hit.value;
  const value = await dashboard(ws, id);
  if ((await ws.stateKey(id)) === key) ws.viewCache.set(id, { key, value });
  return value;
}

async function dashboard(ws: Workspace, id: string) {
  const study = await ws.study(id);
  const r = await ws.result(id);
  const report = await ws.qualification(study);
  const checks = report ? report.readiness.checks : completenessChecks(study, r);
  const comps = { qualifies: 0, does_not_qualify: 0, needs_information: 0 };
  for (const c of study.components) comps[c.qualification]++;
  return {
    study: r.study,
    client: study.client ?? null,
    version: await ws.version(id),
    credits: {
      federal: { credit: moneyVal(r.federal.credit), chosen: r.federal.chosen, comparison: r.federal.comparison, alternatives: r.federal.alternatives.map((a) => ({ method: a.method, section280c: a.section280c, credit: moneyVal(a.credit) })) },
      states: Object.entries(r.states).map(([code, s]) => ({ code, name: s.name, credit: moneyVal(s.credit) })),
    },
    qre: {
      categories: (
        [
          ['wages', 'Wages', r.qre.wages],
          ['supplies', 'Supplies', r.qre.supplies],
          ['computers', 'Computer rental / cloud', r.qre.computers],
          ['contract', 'Contract research', r.qre.contract],
          ['basicResearch', 'Basic research', r.qre.basicResearch],
        ] as [string, string, Val<Cents>][]
      ).map(([key, label, v]) => ({ key, label, ...moneyVal(v) })),
      total: moneyVal(r.qre.total),
      byComponent: r.qre.byComponent,
      byState: r.qre.byState ?? null,
      yearOverYear: yearOverYear(study, r),
    },
    readiness: { score: report ? report.readiness.score : score(checks), source: report ? 'qualification' : 'completeness', checks },
    components: comps,
    flags: r.flags,
    missing: r.missing,
    notes: r.notes,
    signoffs: await ws.signoffs(id),
  };
}

export interface Difference {
  form: string;
  line: string;
  label: string;
  base: JsonVal;
  whatIf: JsonVal;
}

function same(a: JsonVal, b: JsonVal): boolean {
  return a.status === b.status && a.value === b.value;
}

/** Computes the study as saved and with the given elections; lists the form lines that differ. */
export async function whatIf(ws: Workspace, id: string, elections: Partial<Elections>) {
  const base = await ws.result(id);
  const alt = await ws.result(id, elections);
  const differences: Difference[] = [];
  for (const [fid, f] of Object.entries(alt.forms)) {
    const b = base.forms[fid] ? formJson(base.forms[fid]) : undefined;
    for (const l of formJson(f).lines) {
      const bl = b?.lines.find((x) => x.line === l.line);
      const bv: JsonVal = bl ? { status: bl.status, ...(bl.value !== undefined ? { value: bl.value } : {}) } : { status: 'na', reason: 'not on the form as saved' };
      const av: JsonVal = { status: l.status, ...(l.value !== undefined ? { value: l.value } : {}) };
      if (!same(bv, av)) differences.push({ form: fid, line: l.line, label: l.label, base: bv, whatIf: av });
    }
  }
  const credit = (r: StudyResult) => ({ federal: moneyVal(r.federal.credit), states: Object.fromEntries(Object.entries(r.states).map(([k, s]) => [k, moneyVal(s.credit)])) });
  const delta = (a: JsonVal, b: JsonVal) => (a.status === 'known' && b.status === 'known' ? (b.value as number) - (a.value as number) : null);
  const cb = credit(base);
  const ca = credit(alt);
  return {
    elections: { saved: (await ws.study(id)).elections, whatIf: elections },
    base: { ...cb, chosen: base.federal.chosen, flags: base.flags },
    whatIf: { ...ca, chosen: alt.federal.chosen, flags: alt.flags },
    change: { federal: delta(cb.federal, ca.federal), states: Object.fromEntries(Object.keys(ca.states).map((k) => [k, cb.states[k] ? delta(cb.states[k]!, ca.states[k]!) : null])) },
    differences,
    result: resultJson(alt),
  };
}
