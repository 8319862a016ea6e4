import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { dollars, type Cents } from '../../money/index.js';
import { qualifiedWages } from './qre-wages.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./qre-wages.cases.yaml', import.meta.url));

describe('qualified wages (80% rule)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as Record<string, number>;
      const r = qualifiedWages(law.for(c.taxPeriod), {
        employeeId: 'e1',
        wages: usd(i.wages),
        ...(i.wotc !== undefined ? { wotcWages: usd(i.wotc) } : {}),
        qualifiedMeasure: i.qualified,
        totalMeasure: i.total,
      });
      const e = c.expected as { qualifiedWages: number; substantiallyAll: boolean };
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      expect(r.value.qualifiedWages).toBe(usd(e.qualifiedWages));
      expect(r.value.substantiallyAll).toBe(e.substantiallyAll);
      expect(r.why.params.map((p) => p.id)).toContain('us.federal.irc41.wages.substantially_all');
    });
  }

  it('missing time is unknown, not zero', () => {
    const r = qualifiedWages(law.for(calendarYear(2025)), { employeeId: 'e9', wages: dollars(1000), qualifiedMeasure: undefined, totalMeasure: undefined });
    expect(r.kind).toBe('unknown');
    if (r.kind === 'unknown') expect(r.missing).toEqual(['time.e9']);
  });

  it('never exceeds wages and is monotone in qualified time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), (w, total, a, b) => {
        const [q1, q2] = [Math.min(a, b, total), Math.min(Math.max(a, b), total)];
        const v = law.for(calendarYear(2024));
        const r1 = qualifiedWages(v, { employeeId: 'x', wages: w as Cents, qualifiedMeasure: q1, totalMeasure: total });
        const r2 = qualifiedWages(v, { employeeId: 'x', wages: w as Cents, qualifiedMeasure: q2, totalMeasure: total });
        if (r1.kind !== 'known' || r2.kind !== 'known') return false;
        return r1.value.qualifiedWages <= w && r1.value.qualifiedWages >= 0 && r1.value.qualifiedWages <= r2.value.qualifiedWages;
      }),
    );
  });
});
