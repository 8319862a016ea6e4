/**
 * A small evaluator of the Excel formulas the workpapers write, over a workbook read back with
 * exceljs: numbers, strings, cell references across sheets ('Form 6765'!C12, Parameters!$C$4),
 * ranges, + - * / and comparisons, SUM, MIN, MAX, ROUND, IF, COUNT, ROWS — with Excel's rules
 * for text (arithmetic on text is #VALUE!, SUM/COUNT/MIN/MAX skip text in ranges).
 * Independent of the code under test: it reads only the workbook.
 */
import type ExcelJS from 'exceljs';

export type XV = number | string | boolean | null | { error: string };
type Ref = { sheet: string; col: number; row: number };
type Node =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'ref'; ref: Ref }
  | { t: 'range'; from: Ref; to: Ref }
  | { t: 'neg'; a: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'fn'; name: string; args: Node[] };

const colNum = (s: string) => [...s.toUpperCase()].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);

function parse(src: string, sheet: string): Node {
  let i = 0;
  const ws = () => {
    while (src[i] === ' ') i++;
  };
  const refAt = (): Ref | undefined => {
    const m = /^(?:'((?:[^']|'')+)'!|([A-Za-z_][A-Za-z0-9_]*)!)?\$?([A-Z]{1,3})\$?([0-9]+)/.exec(src.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return { sheet: m[1] ? m[1].replace(/''/g, "'") : (m[2] ?? sheet), col: colNum(m[3]!), row: Number(m[4]) };
  };
  const expr = (): Node => {
    let a = add();
    for (;;) {
      ws();
      const m = /^(<>|<=|>=|=|<|>)/.exec(src.slice(i));
      if (!m) return a;
      i += m[0].length;
      a = { t: 'bin', op: m[0], a, b: add() };
    }
  };
  const add = (): Node => {
    let a = mul();
    for (;;) {
      ws();
      const c = src[i];
      if (c !== '+' && c !== '-') return a;
      i++;
      a = { t: 'bin', op: c, a, b: mul() };
    }
  };
  const mul = (): Node => {
    let a = unary();
    for (;;) {
      ws();
      const c = src[i];
      if (c !== '*' && c !== '/') return a;
      i++;
      a = { t: 'bin', op: c, a, b: unary() };
    }
  };
  const unary = (): Node => {
    ws();
    if (src[i] === '-') {
      i++;
      return { t: 'neg', a: unary() };
    }
    return atom();
  };
  const atom = (): Node => {
    ws();
    const rest = src.slice(i);
    if (rest[0] === '(') {
      i++;
      const e = expr();
      ws();
      if (src[i++] !== ')') throw new Error(`expected ) in ${src}`);
      return e;
    }
    if (rest[0] === '"') {
      const m = /^"((?:[^"]|"")*)"/.exec(rest)!;
      i += m[0].length;
      return { t: 'str', v: m[1]!.replace(/""/g, '"') };
    }
    const num = /^[0-9]+(\.[0-9]+)?/.exec(rest);
    if (num) {
      i += num[0].length;
      return { t: 'num', v: Number(num[0]) };
    }
    const fn = /^([A-Z]+)\(/.exec(rest);
    if (fn && !/^[A-Z]{1,3}[0-9]/.test(rest)) {
      i += fn[0].length;
      const args: Node[] = [];
      ws();
      if (src[i] !== ')') {
        args.push(expr());
        for (ws(); src[i] === ','; ws()) {
          i++;
          args.push(expr());
        }
      }
      ws();
      if (src[i++] !== ')') throw new Error(`expected ) after ${fn[1]} args in ${src}`);
      return { t: 'fn', name: fn[1]!, args };
    }
    const from = refAt();
    if (from) {
      if (src[i] === ':') {
        i++;
        const save = i;
        const to = refAt();
        if (!to) throw new Error(`bad range at ${save} in ${src}`);
        return { t: 'range', from, to: { ...to, sheet: from.sheet } };
      }
      return { t: 'ref', ref: from };
    }
    throw new Error(`cannot parse "${rest}" in ${src}`);
  };
  const e = expr();
  ws();
  if (i !== src.length) throw new Error(`trailing "${src.slice(i)}" in ${src}`);
  return e;
}

const isErr = (v: XV): v is { error: string } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'error' in v;
const VALUE = { error: '#VALUE!' };

function excelRound(x: number, n: number): number {
  const f = 10 ** n;
  const scaled = Number((Math.abs(x) * f).toPrecision(15));
  return (Math.sign(x) * Math.floor(scaled + 0.5)) / f;
}

export class WorkbookEvaluator {
  private memo = new Map<string, XV>();
  private stack = new Set<string>();
  /** Values set by the test (as if typed into the cell), replacing the cell's content. */
  readonly overrides = new Map<string, XV>();

  constructor(private readonly wb: ExcelJS.Workbook) {}

  private key(r: Ref) {
    return `${r.sheet}!${r.col},${r.row}`;
  }

  set(sheet: string, addr: string, v: XV): void {
    const m = /^([A-Z]+)([0-9]+)$/.exec(addr)!;
    this.overrides.set(this.key({ sheet, col: colNum(m[1]!), row: Number(m[2]) }), v);
    this.memo.clear();
  }

  /** The computed value of a cell (formulas evaluated, overrides applied). */
  get(sheet: string, addr: string): XV {
    const m = /^([A-Z]+)([0-9]+)$/.exec(addr)!;
    return this.cell({ sheet, col: colNum(m[1]!), row: Number(m[2]) });
  }

  private cell(r: Ref): XV {
    const k = this.key(r);
    if (this.overrides.has(k)) return this.overrides.get(k)!;
    if (this.memo.has(k)) return this.memo.get(k)!;
    if (this.stack.has(k)) throw new Error(`circular reference at ${k}`);
    const ws = this.wb.getWorksheet(r.sheet);
    if (!ws) throw new Error(`no sheet ${r.sheet}`);
    const c = ws.getRow(r.row).getCell(r.col);
    const v = c.value as unknown;
    let out: XV;
    if (v && typeof v === 'object' && 'formula' in (v as object)) {
      this.stack.add(k);
      out = this.evalNode(parse((v as { formula: string }).formula, r.sheet));
      this.stack.delete(k);
    } else if (v && typeof v === 'object' && 'text' in (v as object)) out = (v as { text: string }).text;
    else out = (v as XV) ?? null;
    this.memo.set(k, out);
    return out;
  }

  private cells(n: Node): XV[] {
    if (n.t === 'range') {
      const out: XV[] = [];
      for (let r = n.from.row; r <= n.to.row; r++) for (let c = n.from.col; c <= n.to.col; c++) out.push(this.cell({ sheet: n.from.sheet, col: c, row: r }));
      return out;
    }
    if (n.t === 'ref') return [this.cell(n.ref)];
    return [this.evalNode(n)];
  }

  private num(v: XV): number | { error: string } {
    if (isErr(v)) return v;
    if (v === null) return 0;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number') return v;
    return VALUE;
  }

  evalNode(n: Node): XV {
    switch (n.t) {
      case 'num':
        return n.v;
      case 'str':
        return n.v;
      case 'ref':
        return this.cell(n.ref);
      case 'range':
        return VALUE;
      case 'neg': {
        const a = this.num(this.evalNode(n.a));
        return isErr(a) ? a : -a;
      }
      case 'bin': {
        const av = this.evalNode(n.a);
        const bv = this.evalNode(n.b);
        if (['=', '<>', '<', '<=', '>', '>='].includes(n.op)) {
          if (isErr(av)) return av;
          if (isErr(bv)) return bv;
          const a = av ?? 0;
          const b = bv ?? 0;
          const c = typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'string' ? 1 : -1;
          return { '=': c === 0, '<>': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[n.op]!;
        }
        const a = this.num(av);
        const b = this.num(bv);
        if (isErr(a)) return a;
        if (isErr(b)) return b;
        if (n.op === '+') return a + b;
        if (n.op === '-') return a - b;
        if (n.op === '*') return a * b;
        return b === 0 ? { error: '#DIV/0!' } : a / b;
      }
      case 'fn':
        return this.fn(n.name, n.args);
    }
  }

  private fn(name: string, args: Node[]): XV {
    const numbersIn = (a: Node): number[] | { error: string } => {
      if (a.t === 'range' || a.t === 'ref') {
        const vs = this.cells(a);
        const e = vs.find(isErr);
        if (e) return e as { error: string };
        return vs.filter((v): v is number => typeof v === 'number');
      }
      const v = this.num(this.evalNode(a));
      return isErr(v) ? v : [v];
    };
    switch (name) {
      case 'SUM':
      case 'MIN':
      case 'MAX': {
        const all: number[] = [];
        for (const a of args) {
          const xs = numbersIn(a);
          if (isErr(xs as XV)) return xs as { error: string };
          all.push(...(xs as number[]));
        }
        if (name === 'SUM') return all.reduce((s, x) => s + x, 0);
        if (!all.length) return 0;
        return name === 'MIN' ? Math.min(...all) : Math.max(...all);
      }
      case 'COUNT':
        return args.flatMap((a) => (a.t === 'range' || a.t === 'ref' ? this.cells(a) : [this.evalNode(a)])).filter((v) => typeof v === 'number').length;
      case 'ROWS': {
        const a = args[0]!;
        return a.t === 'range' ? a.to.row - a.from.row + 1 : 1;
      }
      case 'ROUND': {
        const x = this.num(this.evalNode(args[0]!));
        const d = this.num(this.evalNode(args[1]!));
        if (isErr(x)) return x;
        if (isErr(d)) return d;
        return excelRound(x, d);
      }
      case 'IF': {
        const c = this.evalNode(args[0]!);
        if (isErr(c)) return c;
        const truthy = typeof c === 'boolean' ? c : typeof c === 'number' ? c !== 0 : null;
        if (truthy === null) return VALUE;
        return this.evalNode(truthy ? args[1]! : args[2]!);
      }
      default:
        throw new Error(`the test evaluator does not know ${name}()`);
    }
  }

  /** Every formula cell: its cached result and the value this evaluator computes. */
  allFormulas(): { sheet: string; addr: string; formula: string; cached: unknown; computed: XV }[] {
    const out: { sheet: string; addr: string; formula: string; cached: unknown; computed: XV }[] = [];
    this.wb.eachSheet((ws) => {
      ws.eachRow((row) =>
        row.eachCell((c) => {
          const v = c.value as unknown;
          if (v && typeof v === 'object' && 'formula' in (v as object)) {
            out.push({ sheet: ws.name, addr: c.address, formula: (v as { formula: string }).formula, cached: (v as { result?: unknown }).result, computed: this.get(ws.name, c.address) });
          }
        }),
      );
    });
    return out;
  }
}
