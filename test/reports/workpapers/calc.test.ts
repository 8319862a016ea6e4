import fc from 'fast-check';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLawDir, loadLaw, readLawDir } from '../../../src/law/index.js';
import type { FormMap } from '../../../src/law/schema.js';
import { ratio, type Rate } from '../../../src/money/rate.js';
import { taxPeriod } from '../../../src/periods/index.js';
import { CalcSyntaxError, evalCalc, parseCalc, refsOf, roundMoneyLine, toExcel, type CalcValue } from '../../../src/reports/workpapers/calc.js';
import { checkFormCalcs, paramCalcValue, reconcileForm } from '../../../src/reports/workpapers/form-calc.js';
import { supplementaryLines } from '../../../src/reports/workpapers/index.js';
import { computeStudy } from '../../../src/study/compute/index.js';
import { readStudyFolder } from '../../../src/study/folder/index.js';

const num = (n: number | string): CalcValue => ({ kind: 'num', value: typeof n === 'number' ? ratio(n) : (() => { const [i, f = ''] = n.split('.'); return ratio(BigInt(i! + f), 10n ** BigInt(f.length)); })() });
const env = (lines: Record<string, CalcValue>, params: Record<string, Rate> = {}) => ({
  line: (k: string) => lines[k] ?? ({ kind: 'absent' } as const),
  param: (id: string) => {
    const p = params[id];
    if (!p) throw new Error(`no ${id}`);
    return p;
  },
});
const asNumber = (v: CalcValue) => (v.kind === 'num' ? Number(v.value.num) / Number(v.value.den) : v.kind);

describe('the calc language', () => {
  it('parses lines, parameters, functions and precedence', () => {
    const ast = parseCalc('max(0, L5 - L8) + L12 * P(us.federal.irc41.asc.rate) / 2');
    expect(refsOf(ast)).toEqual({ lines: ['5', '8', '12'], params: ['us.federal.irc41.asc.rate'] });
    const v = evalCalc(ast, env({ '5': num(100), '8': num(130), '12': num(1000) }, { 'us.federal.irc41.asc.rate': ratio(14, 100) }));
    expect(asNumber(v)).toBe(70); // max(0, −30) + 1000 × 0.14 / 2
    expect(asNumber(evalCalc(parseCalc('L1 - L2 - L3'), env({ '1': num(10), '2': num(3), '3': num(2) })))).toBe(5); // left-associative
    expect(asNumber(evalCalc(parseCalc('L24h + LA'), env({ '24h': num(7), A: num(1) })))).toBe(8);
  });

  it('rejects what it does not know, with the position', () => {
    expect(() => parseCalc('L5 +')).toThrow(CalcSyntaxError);
    expect(() => parseCalc('sqrt(L5)')).toThrow(/unknown name "sqrt"/);
    expect(() => parseCalc('L5 * 0.2)')).toThrow(/unexpected/);
    expect(() => parseCalc('if(L1, L2)')).toThrow(/3 arguments/);
    expect(() => parseCalc('pick(L1, 3)')).toThrow(/line references/);
    expect(() => parseCalc('P(Rate)')).toThrow(/not a parameter id/);
    expect(() => parseCalc('L5 # 2')).toThrow(/unexpected "#" at 4/);
  });

  it('unknown stays unknown and n/a stays n/a; division by zero is unknown, not 0', () => {
    expect(evalCalc(parseCalc('max(0, L5 - L8)'), env({ '5': num(1), '8': { kind: 'unknown' } })).kind).toBe('unknown');
    expect(evalCalc(parseCalc('min(L9, L10)'), env({ '9': { kind: 'na' }, '10': num(1) })).kind).toBe('na');
    expect(evalCalc(parseCalc('L1 / L2'), env({ '1': num(1), '2': num(0) })).kind).toBe('unknown');
    expect(evalCalc(parseCalc('L1 + L7'), env({ '1': num(1) })).kind).toBe('absent');
  });

  it('pick() takes the first line the engine filled (line 26 when Section A is n/a)', () => {
    const e = env({ '13': { kind: 'na' }, '26': num(500), '27': num(100) });
    expect(asNumber(evalCalc(parseCalc('max(0, pick(L13, L26) - L27)'), e))).toBe(400);
    const f = toExcel(parseCalc('max(0, pick(L13, L26) - L27)'), { cellOf: (k) => `C${k}`, paramCell: () => 'P!$C$1', line: e.line }, { money: true });
    expect(f.formula).toBe('IF(COUNT(C26,C27)=2,MAX(0,C26-C27),"unknown")');
  });

  it('compiles to Excel with brackets where needed, a guard for unknown inputs and the engine rounding', () => {
    const ctx = { cellOf: (k: string) => `C${k}`, paramCell: (id: string) => `Parameters!$C$${id.length}`, line: () => num(1) };
    expect(toExcel(parseCalc('L1 - (L2 - L3)'), ctx, { money: true }).formula).toBe('IF(COUNT(C1,C2,C3)=3,C1-(C2-C3),"unknown")');
    expect(toExcel(parseCalc('L48'), ctx, { money: true }).formula).toBe('IF(COUNT(C48)=1,C48,"unknown")');
    expect(toExcel(parseCalc('L12 * if(LA, 1 - 0.21, 1)'), ctx, { money: true }).formula).toBe('IF(COUNT(C12,CA)=2,ROUND(ROUND(C12*IF(CA<>0,1-0.21,1),2),0),"unknown")');
    expect(toExcel(parseCalc('if(L1 > 0, L1, 0)'), ctx, { money: false }).formula).toBe('IF(COUNT(C1)=1,IF(C1>0,C1,0),"unknown")');
    expect(toExcel(parseCalc('L6'), ctx, { money: false }).formula).toBe('IF(COUNT(C6)=1,C6,"unknown")');
    expect(() => toExcel(parseCalc('L99'), { ...ctx, cellOf: () => undefined }, { money: true })).toThrow(/not on the sheet/);
  });

  it('a money line rounds to the cent, then to the dollar (ADR 0001), half away from zero', () => {
    const r = (n: bigint, d: bigint) => { const x = roundMoneyLine(ratio(n, d)); return Number(x.num) / Number(x.den); };
    expect(r(49n, 100n)).toBe(0); // $0.49 → 0
    expect(r(50n, 100n)).toBe(1); // $0.50 → 1
    expect(r(4995n, 10000n)).toBe(1); // $0.4995 → $0.50 → $1 (the cent first)
    expect(r(-150n, 100n)).toBe(-2);
  });

  it('property: + and − of whole dollars need no rounding and evaluate exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 2, maxLength: 6 }), (xs) => {
        const text = xs.map((_, i) => `L${i + 1}`).join(' + ');
        const lines = Object.fromEntries(xs.map((x, i) => [String(i + 1), num(x)]));
        expect(asNumber(evalCalc(parseCalc(text), env(lines)))).toBe(xs.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('calc keys of the form maps', () => {
  const law = loadLaw();
  const read = readLawDir(defaultLawDir());

  it('every calc in the law parses and names only lines of its form and parameters that exist', () => {
    const withCalc = read.forms.filter((f) => Object.values(f.lines).some((l) => l.calc));
    expect(withCalc.map((f) => f.form).sort()).toEqual(expect.arrayContaining(['f6765', 'id-67']));
    for (const f of read.forms) expect(checkFormCalcs(f, law.parameters), f.form).toEqual([]);
  });

  it('the check rejects an unknown line, an unknown parameter, a non-numeric parameter, a circle and bad syntax', () => {
    const bad: FormMap = {
      form: 'probe',
      revision: 'test',
      title: 'probe',
      applies: { from: '2018-01-01' },
      reference: [{ title: 'test fixture' }],
      lines: {
        '1': { label: 'one', kind: 'money', calc: 'L2 + L99' },
        '2': { label: 'two', kind: 'money', calc: 'L1 * P(us.nowhere.rate)' },
        '3': { label: 'three', kind: 'money', calc: 'L1 * P(us.federal.irc280c.regime)' },
        '4': { label: 'four', kind: 'money', calc: 'L1 +* 2' },
        '5': { label: 'five', kind: 'money', calc: 'L5' },
      },
    };
    const p = checkFormCalcs(bad, law.parameters);
    expect(p.some((m) => /line 1: refers to line 99/.test(m))).toBe(true);
    expect(p.some((m) => /line 2: unknown parameter us\.nowhere\.rate/.test(m))).toBe(true);
    expect(p.some((m) => /line 3: parameter us\.federal\.irc280c\.regime is a/.test(m))).toBe(true);
    expect(p.some((m) => /line 4: /.test(m))).toBe(true);
    expect(p.some((m) => /line 5: refers to itself/.test(m))).toBe(true);
    expect(p.some((m) => /circle: 1 → 2 → 1|circle: 2 → 1 → 2/.test(m))).toBe(true);
  });

  it.each(['gem-state-fabrication', 'sawtooth-ml'])('the form arithmetic reproduces every known line the engine computed for %s', (name) => {
    const { study } = readStudyFolder(resolve(__dirname, '..', '..', '..', 'examples', name));
    const result = computeStudy(law, study!);
    const period = taxPeriod(result.study.period.start, result.study.period.end);
    const view = law.for(period, study!.elections.options ?? {});
    let compared = 0;
    for (const f of Object.values(result.forms)) {
      let map: FormMap;
      try {
        map = law.form(f.id, period);
      } catch {
        continue;
      }
      const extra = Object.fromEntries(Object.entries(supplementaryLines(result, f)).map(([k, e]) => [k, e.value]));
      for (const r of reconcileForm(f, map, (id) => paramCalcValue(view, law.parameters.get(id)?.unit, id), extra)) {
        expect(r.agrees, `${f.id} line ${r.key}: ${r.calc}`).not.toBe(false);
        if (r.agrees) compared++;
      }
    }
    expect(compared).toBeGreaterThan(8);
  });
});
