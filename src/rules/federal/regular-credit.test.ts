import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { applyRate, rate, rateEq, type Rate } from '../../money/index.js';
import { explainer, type Val } from '../../explain/index.js';
import { regularCredit } from './regular-credit.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./regular-credit.cases.yaml', import.meta.url));
const k = <T>(v: T): Val<T> => explainer('test', 'given', []).known(v);

function run(view: ReturnType<typeof law.for>, i: Record<string, unknown>) {
  return regularCredit(view, {
    energyConsortium: k(usd(i.energy ?? 0)),
    basicResearch: k(usd(i.basic ?? 0)),
    qobpa: k(usd(i.qobpa ?? 0)),
    qre: k(usd(i.qre)),
    fbp: k(rate(String(i.fbp))),
    averageGrossReceipts: k(usd(i.avgGrossReceipts)),
    section280c: i.elect280C === true,
  });
}

describe('regular credit, Form 6765 Section A', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = run(law.for(c.taxPeriod), c.input);
      for (const [key, want] of Object.entries(c.expected as Record<string, unknown>)) {
        if (key === 'rate13') {
          const p = r.lines['13'].why.formula ?? '';
          expect(p).toContain(`${Number(want) * 100}%`);
          continue;
        }
        const v = r.lines[key as '1'];
        expect(v.kind, `line ${key}`).toBe('known');
        if (v.kind === 'known') expect(v.value, `line ${key}`).toBe(usd(want));
        expect(v.why.label).toContain(`Form 6765 line ${key}`);
      }
    });
  }

  it('line 6 is a Rate and every money line is whole dollars', () => {
    const r = run(law.for(calendarYear(2025)), { qre: '123456.78', fbp: '0.0278', avgGrossReceipts: '987654.32' });
    const l6 = r.lines['6'];
    expect(l6.kind === 'known' && rateEq(l6.value as Rate, rate('0.0278'))).toBe(true);
    for (const [n, v] of Object.entries(r.lines)) if (n !== '6' && v.kind === 'known') expect((v.value as number) % 100, `line ${n}`).toBe(0);
  });

  it('an unknown fixed-base percentage makes lines 8–13 unknown, not zero', () => {
    const view = law.for(calendarYear(2025));
    const r = regularCredit(view, {
      energyConsortium: k(usd(0)), basicResearch: k(usd(0)), qobpa: k(usd(0)), qre: k(usd(100000)),
      fbp: explainer('t', 'fbp', []).unknown(['fixed-base history 2019: QREs']),
      averageGrossReceipts: k(usd(1000)), section280c: false,
    });
    expect(r.lines['10'].kind).toBe('known');
    for (const n of ['8', '9', '11', '12', '13'] as const) expect(r.lines[n].kind).toBe('unknown');
    expect(r.credit.kind === 'unknown' && r.credit.missing).toEqual(['fixed-base history 2019: QREs']);
  });

  it('properties: 0 ≤ credit ≤ 20% × QREs; monotone in QREs; §280C credit ≤ full credit', () => {
    const view = law.for(calendarYear(2025));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 1600 }), fc.integer({ min: 0, max: 500_000_000 }), (q1, dq, bp, gr) => {
        const fbp = `${bp}/10000`;
        const a = run(view, { qre: q1, fbp, avgGrossReceipts: gr });
        const b = run(view, { qre: q1 + dq, fbp, avgGrossReceipts: gr });
        const e = run(view, { qre: q1, fbp, avgGrossReceipts: gr, elect280C: true });
        if (a.credit.kind !== 'known' || b.credit.kind !== 'known' || e.credit.kind !== 'known') return false;
        const cap = applyRate(usd(q1), rate('0.20')) + 100; // whole-dollar rounding of line 10 and 13
        return a.credit.value >= 0 && a.credit.value <= cap && a.credit.value <= b.credit.value && e.credit.value <= a.credit.value;
      }),
    );
  });
});
