import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { cmpRate, rate, rateEq, type Cents } from '../../money/index.js';
import { collectFlags } from '../../explain/index.js';
import { fixedBasePercentage, type FbpYear, type FixedBaseInput } from './fixed-base.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./fixed-base.cases.yaml', import.meta.url));

function input(i: Record<string, unknown>): FixedBaseInput {
  if (i.given) return { kind: 'given', fbp: rate(String(i.given)), source: 'prior study' };
  const years: FbpYear[] = (i.years as [number, number | null, number | null][]).map(([year, q, g]) => ({
    year,
    ...(q === null ? {} : { qre: usd(q) }),
    ...(g === null ? {} : { grossReceipts: usd(g) }),
  }));
  return { kind: 'history', years, ...(i.chosen ? { chosenYears: i.chosen as number[] } : {}) };
}

describe('fixed-base percentage', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = fixedBasePercentage(law.for(c.taxPeriod, c.options ?? {}), input(c.input));
      const e = c.expected as Record<string, unknown>;
      if (e.flag) expect(collectFlags(r.why).map((f) => f.option)).toContain(e.flag);
      if (e.unknown) {
        expect(r.kind).toBe('unknown');
        if (e.missing && r.kind === 'unknown') expect(r.missing).toEqual(e.missing);
        return;
      }
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      expect(rateEq(r.value.fbp, rate(String(e.fbp))), `fbp ${r.why.value}`).toBe(true);
      for (const key of ['basis', 'startupYear', 'windowYears', 'windowTaxYears', 'proposedSelection', 'capped'] as const)
        if (e[key] !== undefined) expect(r.value[key], key).toEqual(e[key]);
    });
  }

  it('properties: never above the 16% cap, never negative, 4 decimal places', () => {
    const view = law.for(calendarYear(2025));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e10 })), { maxLength: 14 }), (ys) => {
        const r = fixedBasePercentage(view, { kind: 'history', years: ys.map(([q, g], i) => ({ year: 2005 + i, qre: q as Cents, grossReceipts: g as Cents })) });
        if (r.kind !== 'known') return false;
        const f = r.value.fbp;
        return cmpRate(f, rate('0.16')) <= 0 && f.num >= 0n && 10000n % f.den === 0n;
      }),
    );
  });
});
