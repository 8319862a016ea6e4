import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear, shiftYears, type TaxPeriod } from '../../periods/index.js';
import { rate, type Cents } from '../../money/index.js';
import { explainer, type Val } from '../../explain/index.js';
import { computeFederalCredit, type FederalCreditInput } from './credit.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./credit.cases.yaml', import.meta.url));
const k = <T>(v: T): Val<T> => explainer('test', 'given', []).known(v);

function scenario(p: TaxPeriod, i: Record<string, unknown>): FederalCreditInput {
  const priorQre = [400000, 450000, 500000];
  return {
    qre: {
      wages: k(usd(400000)),
      supplies: k(usd(50000)),
      computers: k(usd(20000)),
      contract: i.contractUnknown ? explainer('t', 'contract', []).unknown(['contracts.k1.taxpayerBearsRisk']) : k(usd(65000)),
    },
    basicResearchPayments: k(usd(30000)),
    qobpa: k(usd(12000)),
    energyConsortium: k(usd(0)),
    history: [1, 2, 3, 4].map((n) => ({ period: shiftYears(p, n), grossReceipts: usd(10000000), ...(n <= 3 ? { qre: usd(priorQre[n - 1]) } : {}) })),
    fixedBase: { kind: 'given', fbp: rate('0.03'), source: 'prior study' },
    elections: { method: i.method as 'best', section280c: i.section280c as boolean },
    ...(i.none8932 ? { employerDifferentialWageCredit: { noEmployerDifferentialWageCredit: true } } : {}),
    ...(i.overlap8932 !== undefined ? { employerDifferentialWageCredit: { overlap: usd(i.overlap8932) } } : {}),
    ...(i.taxRate ? { marginalTaxRate: rate(String(i.taxRate)) } : {}),
  };
}

describe('federal credit: Sections A, B, C, F and the method comparison', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = computeFederalCredit(law.for(c.taxPeriod), scenario(c.taxPeriod, c.input));
      const e = c.expected as {
        chosen: [string, boolean] | null;
        lines?: Record<string, number>;
        na?: string[];
        unknown?: string[];
        alternatives?: Record<string, number>;
        larger?: [string, number];
        note?: string;
      };
      expect(r.chosen ? [r.chosen.method, r.chosen.section280c] : null).toEqual(e.chosen);
      for (const [n, want] of Object.entries(e.lines ?? {})) {
        const v = r.lines[n]!;
        expect(v.kind, `line ${n}`).toBe('known');
        if (v.kind === 'known') expect(v.value, `line ${n}`).toBe(usd(want));
        expect(v.why.label).toContain(`Form 6765 line ${n}`);
      }
      for (const n of e.na ?? []) expect(r.lines[n]!.kind, `line ${n}`).toBe('na');
      for (const n of e.unknown ?? []) expect(r.lines[n]!.kind, `line ${n}`).toBe('unknown');
      for (const [key, want] of Object.entries(e.alternatives ?? {})) {
        const [m, s] = key.split('-');
        const a = r.alternatives.find((x) => x.method === m && String(x.section280c) === s)!;
        expect(a.credit.kind === 'known' && a.credit.value, key).toBe(usd(want));
      }
      if (e.larger) {
        const cmp = r.comparisons[0]!;
        expect(cmp.kind === 'known' && [cmp.value.larger, cmp.value.difference]).toEqual([e.larger[0], usd(e.larger[1])]);
      }
      if (e.note) expect(r.notes.join(' ')).toContain(e.note);
    });
  }

  it('every line 1–28 and 42–48 is present and four alternatives are returned', () => {
    const r = computeFederalCredit(law.for(calendarYear(2025)), scenario(calendarYear(2025), { method: 'best', section280c: false, none8932: true }));
    const want = [...Array.from({ length: 28 }, (_, i) => String(i + 1)), '42', '43', '44', '45', '46', '47', '48'];
    expect(Object.keys(r.lines).sort()).toEqual(want.sort());
    expect(r.alternatives.map((a) => `${a.method}-${a.section280c}`)).toEqual(['regular-false', 'regular-true', 'asc-false', 'asc-true']);
  });

  it('2023 (capital-account regime): the net benefit is not computed and the choice falls back to credit amounts', () => {
    const p = calendarYear(2023);
    const r = computeFederalCredit(law.for(p), scenario(p, { method: 'best', section280c: 'best', none8932: true, taxRate: '0.21' }));
    expect(r.alternatives.find((a) => !a.section280c)!.netBenefit!.kind).toBe('na');
    expect(r.chosen).toEqual({ method: 'regular', section280c: false });
    expect(r.notes.join(' ')).toContain('ignores the reduction');
  });

  it('properties: line 28 is never negative, monotone in current wages, and the chosen credit is the largest allowed', () => {
    const p = calendarYear(2025);
    const view = law.for(p);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5e9 }), fc.integer({ min: 0, max: 5e9 }), (w, dw) => {
        const base = scenario(p, { method: 'best', section280c: false, none8932: true });
        const a = computeFederalCredit(view, { ...base, qre: { ...base.qre, wages: k(w as Cents) } });
        const b = computeFederalCredit(view, { ...base, qre: { ...base.qre, wages: k((w + dw) as Cents) } });
        if (a.credit.kind !== 'known' || b.credit.kind !== 'known') return false;
        const noElect = a.alternatives.filter((x) => !x.section280c).map((x) => (x.credit.kind === 'known' ? x.credit.value : -1));
        return a.credit.value >= 0 && a.credit.value <= b.credit.value && a.credit.value === Math.max(...noElect);
      }),
    );
  });
});
