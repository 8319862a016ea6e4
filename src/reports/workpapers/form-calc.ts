/**
 * Form line arithmetic (`calc` in the form maps) against the engine's lines: validation of the
 * maps, the value of each line as the calc language sees it, and the reconciliation of every
 * calc line with the engine's value (which decides whether the workbook writes a live formula).
 */
import type { Val } from '../../explain/types.js';
import type { LawView } from '../../law/law.js';
import type { FormMap, ParameterDef } from '../../law/schema.js';
import type { Cents } from '../../money/cents.js';
import { ratio, type Rate } from '../../money/rate.js';
import type { FormResult, LineValue } from '../../study/compute/result.js';
import { CalcSyntaxError, evalCalc, parseCalc, refsOf, roundMoneyLine, type CalcNode, type CalcValue } from './calc.js';

const PARAM_UNITS = new Set(['rate', 'count', 'money']);

/**
 * Checks every `calc` of a form map: it parses, names only lines of the same form (not itself),
 * only parameters that exist with a numeric unit, and the lines do not depend on each other in a
 * circle. Returns one message per problem ("f6765 line 13: …").
 */
export function checkFormCalcs(form: FormMap, params: ReadonlyMap<string, Pick<ParameterDef, 'unit'>>): string[] {
  const problems: string[] = [];
  const deps = new Map<string, string[]>();
  for (const [key, def] of Object.entries(form.lines)) {
    if (def.calc === undefined) continue;
    const where = `${form.form} (${form.revision}) line ${key}`;
    let ast: CalcNode;
    try {
      ast = parseCalc(def.calc);
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
      continue;
    }
    const r = refsOf(ast);
    for (const l of r.lines) {
      if (!(l in form.lines)) problems.push(`${where}: refers to line ${l}, which is not on the form`);
      if (l === key) problems.push(`${where}: refers to itself`);
    }
    for (const p of r.params) {
      const def_ = params.get(p);
      if (!def_) problems.push(`${where}: unknown parameter ${p}`);
      else if (!PARAM_UNITS.has(def_.unit)) problems.push(`${where}: parameter ${p} is a ${def_.unit}, not a rate, count or money amount`);
    }
    if (def.kind === 'text' || def.kind === 'count') problems.push(`${where}: a ${def.kind} line cannot have a calc`);
    deps.set(key, r.lines);
  }
  // cycles
  const state = new Map<string, 1 | 2>();
  const visit = (k: string, path: string[]): void => {
    if (state.get(k) === 2) return;
    if (state.get(k) === 1) {
      problems.push(`${form.form} (${form.revision}): lines depend on each other in a circle: ${[...path.slice(path.indexOf(k)), k].join(' → ')}`);
      return;
    }
    state.set(k, 1);
    for (const d of deps.get(k) ?? []) visit(d, [...path, k]);
    state.set(k, 2);
  };
  for (const k of deps.keys()) visit(k, []);
  return problems;
}

/** The value of an engine line in the calc language: money in dollars, rates as fractions, flags 1/0. */
export function lineCalcValue(kind: string | undefined, v: Val<LineValue> | undefined): CalcValue {
  if (!v) return { kind: 'absent' };
  if (v.kind === 'unknown') return { kind: 'unknown' };
  if (v.kind === 'na') return { kind: 'na' };
  const x = v.value;
  if (typeof x === 'boolean') return { kind: 'num', value: ratio(x ? 1 : 0) };
  if (typeof x === 'object' && x !== null && 'num' in x) return { kind: 'num', value: x as Rate };
  if (typeof x === 'number') return { kind: 'num', value: kind === 'money' || kind === undefined ? ratio(x as Cents, 100) : ratio(x) };
  if (typeof x === 'string' && /^-?[0-9]+$/.test(x)) return { kind: 'num', value: ratio(BigInt(x)) };
  return { kind: 'unknown' };
}

/** A parameter's value for the calc language (rates as fractions, money in dollars). */
export function paramCalcValue(view: LawView, unit: string | undefined, id: string): Rate {
  switch (unit) {
    case 'count':
      return ratio(view.count(null, id));
    case 'money':
      return ratio(view.money(null, id), 100);
    default:
      return view.rate(null, id);
  }
}

export interface LineReconciliation {
  key: string;
  calc: string;
  ast?: CalcNode;
  /** Parse or reference problem (then the line is written as a value). */
  error?: string;
  engine: CalcValue;
  /** The calc evaluated over the engine's other lines (money lines rounded as printed). */
  computed: CalcValue;
  /**
   * true: the form arithmetic gives the engine's value; false: it does not (a special case the
   * engine applies, e.g. a short year); null: neither side is a number to compare.
   */
  agrees: boolean | null;
}

const eq = (a: Rate, b: Rate) => a.num === b.num && a.den === b.den;

/** Evaluates every calc line of `map` over the engine's lines of `form`. */
export function reconcileForm(form: FormResult, map: FormMap, param: (id: string) => Rate, extra: Record<string, CalcValue> = {}): LineReconciliation[] {
  const out: LineReconciliation[] = [];
  const line = (k: string): CalcValue => extra[k] ?? lineCalcValue(form.kinds[k] ?? map.lines[k]?.kind, form.lines[k]);
  for (const [key, def] of Object.entries(map.lines)) {
    if (def.calc === undefined || !(key in form.lines)) continue;
    const engine = line(key);
    let ast: CalcNode;
    try {
      ast = parseCalc(def.calc);
    } catch (e) {
      out.push({ key, calc: def.calc, error: (e as CalcSyntaxError).message, engine, computed: { kind: 'unknown' }, agrees: null });
      continue;
    }
    let computed: CalcValue;
    try {
      computed = evalCalc(ast, { line, param });
    } catch (e) {
      out.push({ key, calc: def.calc, ast, error: (e as Error).message, engine, computed: { kind: 'unknown' }, agrees: null });
      continue;
    }
    const kind = form.kinds[key] ?? def.kind;
    if (computed.kind === 'num' && kind === 'money') computed = { kind: 'num', value: roundMoneyLine(computed.value) };
    const agrees =
      engine.kind === 'num' && computed.kind === 'num' ? eq(engine.value, computed.value) : engine.kind === 'na' || engine.kind === 'absent' ? null : engine.kind === 'num' || computed.kind === 'num' ? false : null;
    out.push({ key, calc: def.calc, ast, engine, computed, agrees });
  }
  return out;
}
