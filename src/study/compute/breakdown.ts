/**
 * Breakdowns of the study's QREs for the report, the workpapers, Section G and the web app:
 * by business component (every category), by state (the same sourcing the state credits use) and
 * by employee (wages, qualified share and the basis of the share). Each per-line amount is computed
 * by the same rule that computes the category total, so the breakdowns always add up to it.
 */
import type { Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { add, ZERO, type Cents } from '../../money/cents.js';
import { rateToDecimal } from '../../money/rate.js';
import {
  qualifiedComputerUse,
  qualifiedContractResearch,
  qualifiedSupplies,
  type ComponentStatus,
} from '../../rules/federal/qre-categories.js';
import { sourceQres } from '../../rules/states/index.js';
import type { Study } from '../model.js';
import type { EmployeeResult, StudyResult } from './result.js';
import type { EmployeeQualifiedWages } from './wages.js';

export type ComponentBreakdown = StudyResult['qre']['byComponent'][number];
type Cat = 'wages' | 'supplies' | 'computers' | 'contract';

const knownOr0 = (v: Val<Cents>): Cents => (v.kind === 'known' ? v.value : ZERO);

/** QREs per business component, every category, from the same rules as the totals (known amounts only). */
export function byComponent(view: LawView, study: Study, status: ComponentStatus, employees: EmployeeQualifiedWages[]): ComponentBreakdown[] {
  const rows = new Map<string, Record<Cat, Cents>>();
  const bump = (id: string | undefined, k: Cat, c: Cents) => {
    if (!id || c === ZERO) return;
    const r = rows.get(id) ?? { wages: ZERO, supplies: ZERO, computers: ZERO, contract: ZERO };
    r[k] = add(r[k], c);
    rows.set(id, r);
  };
  for (const e of employees) for (const p of e.pieces) bump(p.componentId, 'wages', p.wages);
  for (const s of study.supplies) bump(s.componentId, 'supplies', knownOr0(qualifiedSupplies(view, [s], status)));
  for (const c of study.computers) bump(c.componentId, 'computers', knownOr0(qualifiedComputerUse(view, [c], status)));
  for (const c of study.contracts) bump(c.componentId, 'contract', knownOr0(qualifiedContractResearch(view, [c], status)));
  const order = new Map(study.components.map((c, i) => [c.id, i]));
  return [...rows.entries()]
    .map(([id, r]) => ({ componentId: id, name: study.components.find((c) => c.id === id)?.name ?? id, ...r, total: add(r.wages, r.supplies, r.computers, r.contract) }))
    .sort((a, b) => (order.get(a.componentId) ?? 1e9) - (order.get(b.componentId) ?? 1e9));
}

/** Every U.S. state the study's records or the taxpayer's filing states name. */
export function statesInStudy(study: Study): string[] {
  const s = new Set<string>(study.taxpayer.states);
  const add1 = (l: { country: string; state?: string } | undefined) => {
    if (l && l.country === 'US' && l.state) s.add(l.state);
  };
  for (const t of study.time) add1(t.location);
  for (const e of study.employees) add1(e.homeLocation);
  for (const x of study.supplies) add1(x.location);
  for (const x of study.computers) add1(x.location);
  for (const x of study.contracts) add1(x.location);
  for (const x of study.basicResearch) add1(x.location);
  return [...s].sort();
}

/** QREs sourced to each state (known parts; an unknown location stays out and is reported by the sourcing). */
export function byState(view: LawView, study: Study, states: string[]): NonNullable<StudyResult['qre']['byState']> {
  const qualifying = new Set(study.components.filter((c) => c.qualification === 'qualifies').map((c) => c.id));
  const undecided = new Set(study.components.filter((c) => c.qualification === 'needs_information').map((c) => c.id));
  const out: NonNullable<StudyResult['qre']['byState']> = {};
  for (const state of states) {
    const s = sourceQres(view, { state, records: study, qualifying, undecided });
    const r = { wages: knownOr0(s.byCategory.wages), supplies: knownOr0(s.byCategory.supplies), computers: knownOr0(s.byCategory.computers), contract: knownOr0(s.byCategory.contract) };
    out[state] = { ...r, total: add(r.wages, r.supplies, r.computers, r.contract) };
  }
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** One row per employee: wages, qualified share and its basis, hours by activity and by state. */
export function employeeResults(study: Study, employees: EmployeeQualifiedWages[]): EmployeeResult[] {
  const timeByEmp = new Map<string, Study['time']>();
  for (const t of study.time) {
    const l = timeByEmp.get(t.employeeId);
    if (l) l.push(t);
    else timeByEmp.set(t.employeeId, [t]);
  }
  return employees.map((e) => {
    const recs = timeByEmp.get(e.employee.id) ?? [];
    const hours: Record<string, number> = {};
    const hoursByState: Record<string, number> = {};
    const bases = new Set<string>();
    for (const t of recs) {
      hours[t.activity] = round2((hours[t.activity] ?? 0) + t.hours);
      const loc = t.location ? (t.location.country === 'US' ? (t.location.state ?? 'US') : t.location.country) : 'unknown';
      hoursByState[loc] = round2((hoursByState[loc] ?? 0) + t.hours);
      bases.add(t.basis === 'survey' ? 'allocation survey' : t.basis === 'estimate' ? 'estimate' : 'time entries');
    }
    const r = e.result;
    const known = r.kind === 'known' ? r.value : undefined;
    const wagesVal = e.employee.wagesBox1 === undefined ? null : add(e.employee.wagesBox1, ...(e.employee.wageAdjustments ?? []).map((a) => a.amount));
    let basis = recs.length === 0 ? 'no time records' : [...bases].sort().join(' + ');
    if (known?.substantiallyAll) basis += ' (80% rule: all wages qualify)';
    return {
      id: e.employee.id,
      name: e.employee.name,
      ...(e.employee.title ? { title: e.employee.title } : {}),
      ...(e.employee.role ? { role: e.employee.role } : {}),
      officer: e.employee.officer,
      wages: wagesVal,
      qualifiedShare: known ? (known.substantiallyAll ? '1' : rateToDecimal(known.qualifiedShare, 6)) : null,
      qualifiedWages: known ? known.qualifiedWages : null,
      hours,
      hoursByState,
      basis,
    };
  });
}
