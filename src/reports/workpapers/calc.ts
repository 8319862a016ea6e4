/**
 * The `calc` language of form line maps (law/forms/**.yaml, FormLineSchema.calc): a line's
 * arithmetic over other lines of the same form, for workpapers with live formulas.
 *
 *   expr    := compare
 *   compare := sum (( "=" | "<>" | "<" | "<=" | ">" | ">=" ) sum)?
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | "/") unary)*
 *   unary   := "-" unary | atom
 *   atom    := number | Lkey | P(param.id) | fn "(" expr ("," expr)* ")" | "(" expr ")"
 *   fn      := min | max | if | pick
 *
 * - `L5`, `L24h`, `LA`: the line with that key on the same form (money lines in dollars, rate lines
 *   as a fraction, flag lines 1 = yes / 0 = no).
 * - `P(us.federal.irc41.asc.rate)`: a law parameter (rate, count or money) for the tax period.
 * - `if(c, a, b)`: b when c is 0, else a. `pick(L13, L26)`: the first of the lines that the
 *   engine filled for this return (not "n/a": e.g. line 13 under the regular credit, line 26 under
 *   the ASC); resolved when the workbook is written.
 * - The value of a money line is rounded to whole dollars as the form prints it (ADR 0001: a rate
 *   applied to an amount rounds to the cent first, then the line to the dollar).
 *
 * Pure: parse, list references, evaluate exactly (bigint rationals) and compile to an Excel formula.
 */
import { ratio, type Rate } from '../../money/rate.js';

export type CalcNode =
  | { t: 'num'; value: Rate; text: string }
  | { t: 'line'; key: string }
  | { t: 'param'; id: string }
  | { t: 'neg'; a: CalcNode }
  | { t: 'bin'; op: '+' | '-' | '*' | '/'; a: CalcNode; b: CalcNode }
  | { t: 'cmp'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; a: CalcNode; b: CalcNode }
  | { t: 'call'; fn: 'min' | 'max' | 'if' | 'pick'; args: CalcNode[] };

export class CalcSyntaxError extends Error {
  override name = 'CalcSyntaxError';
}

type Tok = { k: 'num' | 'id' | 'op' | 'lp' | 'rp' | 'comma'; v: string; at: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = /^[0-9]+(\.[0-9]+)?/.exec(rest);
    if (num) {
      out.push({ k: 'num', v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (id) {
      out.push({ k: 'id', v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = /^(<>|<=|>=|[-+*/=<>])/.exec(rest);
    if (op) {
      out.push({ k: 'op', v: op[0], at: i });
      i += op[0].length;
      continue;
    }
    if (c === '(') out.push({ k: 'lp', v: c, at: i });
    else if (c === ')') out.push({ k: 'rp', v: c, at: i });
    else if (c === ',') out.push({ k: 'comma', v: c, at: i });
    else throw new CalcSyntaxError(`unexpected "${c}" at ${i + 1} in "${src}"`);
    i++;
  }
  return out;
}

const FNS = new Set(['min', 'max', 'if', 'pick']);

/** Parses a calc expression; throws {@link CalcSyntaxError} with the position on bad input. */
export function parseCalc(src: string): CalcNode {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const fail = (msg: string): never => {
    const t = peek();
    throw new CalcSyntaxError(`${msg} ${t ? `at ${t.at + 1} ("${t.v}")` : 'at the end'} in "${src}"`);
  };
  const expect = (k: Tok['k'], v?: string) => {
    const t = peek();
    if (!t || t.k !== k || (v !== undefined && t.v !== v)) fail(`expected ${v ?? k}`);
    p++;
    return t!;
  };
  const compare = (): CalcNode => {
    const a = sum();
    const t = peek();
    if (t?.k === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(t.v)) {
      p++;
      return { t: 'cmp', op: t.v as '=', a, b: sum() };
    }
    return a;
  };
  const sum = (): CalcNode => {
    let a = product();
    for (let t = peek(); t?.k === 'op' && (t.v === '+' || t.v === '-'); t = peek()) {
      p++;
      a = { t: 'bin', op: t.v, a, b: product() };
    }
    return a;
  };
  const product = (): CalcNode => {
    let a = unary();
    for (let t = peek(); t?.k === 'op' && (t.v === '*' || t.v === '/'); t = peek()) {
      p++;
      a = { t: 'bin', op: t.v, a, b: unary() };
    }
    return a;
  };
  const unary = (): CalcNode => {
    const t = peek();
    if (t?.k === 'op' && t.v === '-') {
      p++;
      return { t: 'neg', a: unary() };
    }
    return atom();
  };
  const atom = (): CalcNode => {
    const t = peek();
    if (!t) return fail('expected a value');
    if (t.k === 'num') {
      p++;
      const [w, f = ''] = t.v.split('.');
      return { t: 'num', value: ratio(BigInt(w! + f), 10n ** BigInt(f.length)), text: t.v };
    }
    if (t.k === 'lp') {
      p++;
      const e = compare();
      expect('rp');
      return e;
    }
    if (t.k === 'id') {
      p++;
      if (t.v === 'P') {
        expect('lp');
        const id = expect('id').v;
        if (!/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(id)) throw new CalcSyntaxError(`"${id}" is not a parameter id in "${src}"`);
        expect('rp');
        return { t: 'param', id };
      }
      if (FNS.has(t.v)) {
        expect('lp');
        const args = [compare()];
        while (peek()?.k === 'comma') {
          p++;
          args.push(compare());
        }
        expect('rp');
        const fn = t.v as 'min' | 'max' | 'if' | 'pick';
        if (fn === 'if' && args.length !== 3) throw new CalcSyntaxError(`if() takes 3 arguments in "${src}"`);
        if ((fn === 'min' || fn === 'max') && args.length < 2) throw new CalcSyntaxError(`${fn}() takes at least 2 arguments in "${src}"`);
        if (fn === 'pick' && (args.length < 2 || args.some((a) => a.t !== 'line'))) throw new CalcSyntaxError(`pick() takes 2 or more line references in "${src}"`);
        return { t: 'call', fn, args };
      }
      if (/^L[0-9A-Za-z]+$/.test(t.v)) return { t: 'line', key: t.v.slice(1) };
      throw new CalcSyntaxError(`unknown name "${t.v}" at ${t.at + 1} in "${src}" (lines are L<key>, parameters P(id), functions ${[...FNS].join(', ')})`);
    }
    return fail('expected a value');
  };
  const e = compare();
  if (p < toks.length) fail('unexpected');
  return e;
}

/** The lines and parameters an expression uses (in order of first use). */
export function refsOf(n: CalcNode): { lines: string[]; params: string[] } {
  const lines: string[] = [];
  const params: string[] = [];
  const walk = (x: CalcNode): void => {
    switch (x.t) {
      case 'line':
        if (!lines.includes(x.key)) lines.push(x.key);
        return;
      case 'param':
        if (!params.includes(x.id)) params.push(x.id);
        return;
      case 'neg':
        return walk(x.a);
      case 'bin':
      case 'cmp':
        walk(x.a);
        walk(x.b);
        return;
      case 'call':
        x.args.forEach(walk);
        return;
      case 'num':
        return;
    }
  };
  walk(n);
  return { lines, params };
}

/** True when the expression multiplies or divides (then a money result needs rounding). */
export function needsRounding(n: CalcNode): boolean {
  switch (n.t) {
    case 'bin':
      return n.op === '*' || n.op === '/' || needsRounding(n.a) || needsRounding(n.b);
    case 'neg':
      return needsRounding(n.a);
    case 'cmp':
      return needsRounding(n.a) || needsRounding(n.b);
    case 'call':
      return n.args.some(needsRounding);
    default:
      return false;
  }
}

/** What a line holds when the expression is evaluated: a number, or why there is none. */
export type CalcValue = { kind: 'num'; value: Rate } | { kind: 'unknown' } | { kind: 'na' } | { kind: 'absent' };

export interface CalcEnv {
  line(key: string): CalcValue;
  param(id: string): Rate;
}

const cmpR = (a: Rate, b: Rate): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** Resolves pick(): the first line that is not "n/a" (or absent); the last one when all are. */
export function resolvePick(args: CalcNode[], has: (key: string) => CalcValue): string {
  for (const a of args) {
    const k = (a as { key: string }).key;
    const v = has(k);
    if (v.kind !== 'na' && v.kind !== 'absent') return k;
  }
  return (args[args.length - 1] as { key: string }).key;
}

/**
 * Evaluates exactly. A missing or unknown line makes the result unknown; an "n/a" line (a
 * section not used) makes it n/a. Division by zero is unknown.
 */
export function evalCalc(n: CalcNode, env: CalcEnv): CalcValue {
  const num = (value: Rate): CalcValue => ({ kind: 'num', value });
  const go = (x: CalcNode): CalcValue => {
    switch (x.t) {
      case 'num':
        return num(x.value);
      case 'line':
        return env.line(x.key);
      case 'param':
        return num(env.param(x.id));
      case 'neg': {
        const a = go(x.a);
        return a.kind === 'num' ? num(ratio(-a.value.num, a.value.den)) : a;
      }
      case 'bin':
      case 'cmp': {
        const a = go(x.a);
        const b = go(x.b);
        if (a.kind !== 'num') return a;
        if (b.kind !== 'num') return b;
        const A = a.value;
        const B = b.value;
        if (x.t === 'cmp') {
          const c = cmpR(A, B);
          const r = { '=': c === 0, '<>': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[x.op];
          return num(ratio(r ? 1 : 0));
        }
        switch (x.op) {
          case '+':
            return num(ratio(A.num * B.den + B.num * A.den, A.den * B.den));
          case '-':
            return num(ratio(A.num * B.den - B.num * A.den, A.den * B.den));
          case '*':
            return num(ratio(A.num * B.num, A.den * B.den));
          case '/':
            return B.num === 0n ? { kind: 'unknown' } : num(ratio(A.num * B.den, A.den * B.num));
        }
        break;
      }
      case 'call': {
        if (x.fn === 'pick') return env.line(resolvePick(x.args, env.line));
        if (x.fn === 'if') {
          const c = go(x.args[0]!);
          if (c.kind !== 'num') return c;
          return go(c.value.num !== 0n ? x.args[1]! : x.args[2]!);
        }
        const vs = x.args.map(go);
        const bad = vs.find((v) => v.kind !== 'num');
        if (bad) return bad;
        const rs = vs.map((v) => (v as { value: Rate }).value);
        return num(rs.reduce((m, r) => ((x.fn === 'min' ? cmpR(r, m) < 0 : cmpR(r, m) > 0) ? r : m)));
      }
    }
    throw new Error('unreachable');
  };
  return go(n);
}

/** Half away from zero to a multiple of 1/scale. */
function roundTo(r: Rate, scale: bigint): Rate {
  const n = r.num * scale;
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / r.den;
  if ((a % r.den) * 2n >= r.den) q += 1n;
  return ratio(neg ? -q : q, scale);
}

/** A money line's printed value: to the cent, then to the whole dollar (ADR 0001). */
export function roundMoneyLine(r: Rate): Rate {
  return roundTo(roundTo(r, 100n), 1n);
}

export interface ExcelContext {
  /** Cell address of a line's amount ("C12"); undefined when the line is not on the sheet. */
  cellOf(key: string): string | undefined;
  /** Absolute address of a parameter's value ("Parameters!$C$4"). */
  paramCell(id: string): string;
  /** The line's value as the engine has it (for pick()). */
  line(key: string): CalcValue;
}

export interface ExcelFormula {
  /** The formula without the leading "=". */
  formula: string;
  /** The cells it reads (the guard makes the result "unknown" unless all of them hold numbers). */
  cells: string[];
}

/**
 * Compiles to an Excel formula: `IF(COUNT(refs)=n, expr, "unknown")`, so a line whose inputs
 * are unknown says "unknown" (never 0) and recomputes once the inputs are entered. Money lines
 * that multiply or divide are rounded as the engine rounds: ROUND(ROUND(x,2),0).
 */
export function toExcel(n: CalcNode, ctx: ExcelContext, opts: { money: boolean }): ExcelFormula {
  const cells: string[] = [];
  const ref = (key: string): string => {
    const c = ctx.cellOf(key);
    if (!c) throw new CalcSyntaxError(`line ${key} is not on the sheet`);
    if (!cells.includes(c)) cells.push(c);
    return c;
  };
  const prec = (x: CalcNode): number => (x.t === 'cmp' ? 0 : x.t === 'bin' ? (x.op === '+' || x.op === '-' ? 1 : 2) : x.t === 'neg' ? 3 : 4);
  const wrap = (x: CalcNode, min: number): string => (prec(x) < min ? `(${go(x)})` : go(x));
  const go = (x: CalcNode): string => {
    switch (x.t) {
      case 'num':
        return x.text;
      case 'line':
        return ref(x.key);
      case 'param':
        return ctx.paramCell(x.id);
      case 'neg':
        return `-${wrap(x.a, 3)}`;
      case 'bin': {
        const p = prec(x);
        // left-associative: the right operand of - and / needs brackets at equal precedence
        return `${wrap(x.a, p)}${x.op}${wrap(x.b, x.op === '-' || x.op === '/' ? p + 1 : p)}`;
      }
      case 'cmp':
        return `${wrap(x.a, 1)}${x.op}${wrap(x.b, 1)}`;
      case 'call':
        if (x.fn === 'pick') return ref(resolvePick(x.args, ctx.line));
        if (x.fn === 'if') {
          const c = x.args[0]!;
          return `IF(${c.t === 'cmp' ? go(c) : `${wrap(c, 1)}<>0`},${go(x.args[1]!)},${go(x.args[2]!)})`;
        }
        return `${x.fn.toUpperCase()}(${x.args.map(go).join(',')})`;
    }
  };
  let body = go(n);
  if (opts.money && needsRounding(n)) body = `ROUND(ROUND(${body},2),0)`;
  const formula = cells.length ? `IF(COUNT(${cells.join(',')})=${cells.length},${body},"unknown")` : body;
  return { formula, cells };
}
