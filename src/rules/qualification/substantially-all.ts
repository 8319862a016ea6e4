/**
 * "Substantially all" measured, not asserted (§41(d)(1)(C); Reg. §1.41-4(a)(6)), with the
 * shrinking-back rule (Reg. §1.41-4(b)(2)). Pure.
 *
 * The measure of a component is taken over the lines recorded on it and on every sub-component
 * below it (parentId tree): hours of time when the tree has any time, otherwise cost. The share is
 * experimentation / all; lines with no experimentation flag stay in the denominator and the
 * decision is made only when it holds whichever way they would be flagged (so an unflagged
 * record is never silently counted as experimentation, nor silently as not).
 *
 * A component whose own measure fails is shrunk back: its descendants are tried level by level
 * (the next most significant subset first: within a level, the larger measure first) and the
 * first one that passes is named; if none passes, that is reported. A component inside an
 * ancestor that passes as a whole is covered by it.
 */
import { explainer } from '../../explain/build.js';
import { addRate, cmpRate, ratio, RATE_ZERO, rateToDecimal, type Rate } from '../../money/rate.js';
import { C } from './citations.js';
import { pct } from './evaluate.js';
import type { ComponentNode, MeasureLine, MeasureResult, Problem } from './types.js';

export interface MeasureInput {
  components: readonly ComponentNode[];
  /** Time, in hours. */
  hours: readonly MeasureLine[];
  /** Costs, in cents (used for a tree with no time at all). */
  costs: readonly MeasureLine[];
  threshold: Rate;
  /** Threshold parameter as used (for the explanation). */
  thresholdUse?: Parameters<ReturnType<typeof explainer>['param']>[0];
}

interface Agg {
  total: Rate;
  exp: Rate;
  unk: Rate;
}
const zero = (): Agg => ({ total: RATE_ZERO, exp: RATE_ZERO, unk: RATE_ZERO });

/** The tree: parent of each component, with unknown parents and cycles reported and cut. */
export function componentTree(components: readonly ComponentNode[]): { parent: Map<string, string | undefined>; children: Map<string, string[]>; problems: Problem[] } {
  const ids = new Set(components.map((c) => c.id));
  const parent = new Map<string, string | undefined>();
  const problems: Problem[] = [];
  for (const c of components) {
    if (c.parentId !== undefined && !ids.has(c.parentId)) {
      problems.push({ severity: 'error', componentId: c.id, message: `parent component "${c.parentId}" does not exist; ${c.id} is treated as a top-level component` });
      parent.set(c.id, undefined);
    } else parent.set(c.id, c.parentId);
  }
  for (const c of components) {
    const seen = new Set<string>([c.id]);
    let p = parent.get(c.id);
    while (p !== undefined) {
      if (seen.has(p)) {
        problems.push({ severity: 'error', componentId: c.id, message: `the parent chain of ${c.id} loops back on itself; ${c.id} is treated as a top-level component` });
        parent.set(c.id, undefined);
        break;
      }
      seen.add(p);
      p = parent.get(p);
    }
  }
  const children = new Map<string, string[]>(components.map((c) => [c.id, []]));
  for (const c of components) {
    const p = parent.get(c.id);
    if (p !== undefined) children.get(p)!.push(c.id);
  }
  return { parent, children, problems };
}

function rootOf(id: string, parent: Map<string, string | undefined>): string {
  let r = id;
  for (let p = parent.get(r); p !== undefined; p = parent.get(r)) r = p;
  return r;
}

function ancestors(id: string, parent: Map<string, string | undefined>): string[] {
  const out: string[] = [];
  for (let p = parent.get(id); p !== undefined; p = parent.get(p)) out.push(p);
  return out;
}

function descendantsByLevel(id: string, children: Map<string, string[]>): string[][] {
  const levels: string[][] = [];
  let frontier = children.get(id) ?? [];
  while (frontier.length) {
    levels.push(frontier);
    frontier = frontier.flatMap((c) => children.get(c) ?? []);
  }
  return levels;
}

function decide(a: Agg, t: Rate): { share: Rate | null; passes: boolean | null } {
  if (cmpRate(a.total, RATE_ZERO) <= 0) return { share: null, passes: null };
  const share = ratio(a.exp.num * a.total.den, a.exp.den * a.total.num);
  if (cmpRate(share, t) >= 0) return { share, passes: true };
  const high = addRate(a.exp, a.unk);
  const highShare = ratio(high.num * a.total.den, high.den * a.total.num);
  if (cmpRate(highShare, t) < 0) return { share, passes: false };
  return { share, passes: null };
}

const num = (r: Rate, places = 2): string => rateToDecimal(r, places).replace(/\.?0+$/, '') || '0';

export function measureSubstantiallyAll(input: MeasureInput): { results: Map<string, MeasureResult>; problems: Problem[] } {
  const { parent, children, problems } = componentTree(input.components);
  const ids = input.components.map((c) => c.id);
  const known = new Set(ids);

  // Own lines per component, by basis.
  const own = { hours: new Map<string, Agg>(), cost: new Map<string, Agg>() };
  const add = (m: Map<string, Agg>, l: MeasureLine) => {
    const a = m.get(l.componentId) ?? zero();
    a.total = addRate(a.total, l.amount);
    if (l.experimentation === true) a.exp = addRate(a.exp, l.amount);
    else if (l.experimentation === undefined) a.unk = addRate(a.unk, l.amount);
    m.set(l.componentId, a);
  };
  for (const l of input.hours) if (known.has(l.componentId)) add(own.hours, l);
  for (const l of input.costs) if (known.has(l.componentId)) add(own.cost, l);

  // Subtree aggregates.
  const subtree = (m: Map<string, Agg>): Map<string, Agg> => {
    const memo = new Map<string, Agg>();
    const go = (id: string): Agg => {
      const hit = memo.get(id);
      if (hit) return hit;
      const a = { ...(m.get(id) ?? zero()) };
      for (const c of children.get(id) ?? []) {
        const s = go(c);
        a.total = addRate(a.total, s.total);
        a.exp = addRate(a.exp, s.exp);
        a.unk = addRate(a.unk, s.unk);
      }
      memo.set(id, a);
      return a;
    };
    for (const id of ids) go(id);
    return memo;
  };
  const hoursTree = subtree(own.hours);
  const costTree = subtree(own.cost);

  // One basis per tree, applied consistently to every component in it.
  const basisOfRoot = new Map<string, MeasureResult['basis']>();
  for (const id of ids) {
    const r = rootOf(id, parent);
    if (basisOfRoot.has(r)) continue;
    basisOfRoot.set(r, cmpRate(hoursTree.get(r)!.total, RATE_ZERO) > 0 ? 'hours' : cmpRate(costTree.get(r)!.total, RATE_ZERO) > 0 ? 'cost' : 'none');
  }
  const basisOf = (id: string) => basisOfRoot.get(rootOf(id, parent))!;
  const aggOf = (id: string): Agg => (basisOf(id) === 'hours' ? hoursTree.get(id)! : basisOf(id) === 'cost' ? costTree.get(id)! : zero());
  const decided = new Map(ids.map((id) => [id, decide(aggOf(id), input.threshold)]));

  const results = new Map<string, MeasureResult>();
  for (const id of ids) {
    const basis = basisOf(id);
    const agg = aggOf(id);
    const { share, passes } = decided.get(id)!;
    const ex = explainer('qualification.substantially_all', `Substantially all — ${id}`, [C.d1C, C.regSubAll, C.regShrink]);
    if (input.thresholdUse) ex.param(input.thresholdUse);
    const unit = basis === 'hours' ? 'hours' : 'cents';
    const method =
      basis === 'hours'
        ? 'hours flagged as a process of experimentation / all hours recorded on the component and its sub-components (time records); unflagged hours count in the denominator only'
        : basis === 'cost'
          ? 'cost flagged as a process of experimentation / all cost recorded on the component and its sub-components (no time records in this component tree); unflagged cost counts in the denominator only'
          : 'not measurable: no time records and no costs in this component tree';
    ex.input(`all ${unit}`, num(agg.total), undefined, 'text');
    ex.input(`experimentation ${unit}`, num(agg.exp), undefined, 'text');
    ex.input(`unflagged ${unit}`, num(agg.unk), undefined, 'text');
    ex.formula(`share = experimentation / all ${passes === null && share ? '(undecided while unflagged units could move it across the threshold)' : ''}`.trim());
    const r: Omit<MeasureResult, 'why'> & { why?: MeasureResult['why'] } = { componentId: id, basis, method, total: agg.total, experimentation: agg.exp, unflagged: agg.unk, share, passes };
    const coveredBy = ancestors(id, parent).reverse().find((p) => decided.get(p)!.passes === true);
    if (coveredBy && passes !== true) {
      r.coveredBy = coveredBy;
      ex.note(`${coveredBy} contains ${id} and passes as a whole, so ${id}'s activities are part of a component that passes.`);
    }
    if (passes === false && !coveredBy) {
      const levels = descendantsByLevel(id, children);
      let to: string | null = null;
      let undecided = 0;
      for (const level of levels) {
        const ordered = [...level].sort((x, y) => -cmpRate(aggOf(x).total, aggOf(y).total) || (x < y ? -1 : 1));
        to = ordered.find((c) => decided.get(c)!.passes === true) ?? null;
        undecided += ordered.filter((c) => decided.get(c)!.passes === null).length;
        if (to) break;
      }
      const toShare = to ? decided.get(to)!.share : null;
      const note = to
        ? `Shrink-back (Reg. §1.41-4(b)(2)): ${to} is the most significant sub-component that passes (${pct(toShare)}); its activities qualify, the rest of ${id}'s do not.`
        : levels.length === 0
          ? `Shrink-back (Reg. §1.41-4(b)(2)): ${id} has no sub-components to shrink back to; none passes.`
          : `Shrink-back (Reg. §1.41-4(b)(2)): no sub-component of ${id} passes${undecided ? ` (${undecided} cannot be decided yet)` : ''}.`;
      r.shrinkBack = { to, share: toShare, note };
      ex.note(note);
    }
    const display = share ? `${pct(share)} (${passes === true ? 'passes' : passes === false ? 'fails' : 'undecided'})` : 'not measurable';
    results.set(id, { ...r, why: ex.build(display) } as MeasureResult);
  }
  return { results, problems };
}
