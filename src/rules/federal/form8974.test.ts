import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { isoDate } from '../../periods/date.js';
import { sum, type Cents } from '../../money/index.js';
import { applyPayrollCredit, form8974Line11, type PayrollElection, type PayrollQuarter } from './form8974.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./form8974.cases.yaml', import.meta.url));

describe('Form 8974 quarter by quarter', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as Record<string, unknown>;
      const e = c.expected as Record<string, Record<string, unknown> | unknown>;
      if (i.fn === 'line11') {
        const r = form8974Line11(law.for(c.taxPeriod), { line8: usd(i.line8), line9: usd(i.line9), employerShareNotOfThisTaxpayer: usd(i.clients) });
        expect(r.kind).toBe('known');
        if (r.kind !== 'known') return;
        const x = e as Record<string, unknown>;
        expect(r.value).toEqual({ line10: usd(x.line10), fiftyPercent: usd(x.fiftyPercent), line11: usd(x.line11) });
        return;
      }
      const elections: PayrollElection[] = (i.elections as Record<string, unknown>[]).map((x) => ({
        electionYear: calendarYear(x.year as number),
        amount: usd(x.amount),
        returnFiled: isoDate(x.filed as string),
        ...(x.usedBefore !== undefined ? { usedBefore: usd(x.usedBefore) } : {}),
      }));
      const quarters: PayrollQuarter[] = Object.entries(i.quarters as Record<string, [number, number]>).map(([q, [ss, med]]) => ({ quarter: q, employerSocialSecurity: usd(ss), employerMedicare: usd(med) }));
      const r = applyPayrollCredit(law, elections, quarters, c.options ?? {});
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      const byQ = (f: 'total' | 'socialSecurity' | 'medicare') => Object.fromEntries(r.value.quarters.map((q) => [q.quarter, q[f]]));
      for (const f of ['total', 'socialSecurity', 'medicare'] as const) {
        const want = e[f] as Record<string, unknown> | undefined;
        if (want) expect(byQ(f)).toEqual(Object.fromEntries(Object.entries(want).map(([k, v]) => [k, usd(v)])));
      }
      if (e.remaining !== undefined) expect(sum(r.value.remaining.map((x) => x.amount))).toBe(usd(e.remaining));
      if (e.remainingByYear) expect(Object.fromEntries(r.value.remaining.map((x) => [x.electionYear, x.amount]))).toEqual(Object.fromEntries(Object.entries(e.remainingByYear as Record<string, unknown>).map(([k, v]) => [k, usd(v)])));
      expect(r.why.flags.map((f) => f.option)).toContain('us.federal.irc41h.payroll_medicare_reading');
    });
  }

  it('an unknown quarter with credit available makes the result unknown', () => {
    const r = applyPayrollCredit(law, [{ electionYear: calendarYear(2024), amount: usd(1000), returnFiled: isoDate('2025-03-01') }], [{ quarter: '2025-Q2', employerSocialSecurity: undefined, employerMedicare: usd(5) }]);
    expect(r.kind).toBe('unknown');
  });

  it('property: credit used never exceeds the elected amount nor any quarter’s tax (both readings)', () => {
    const quarterLabels = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ year: fc.integer({ min: 2020, max: 2025 }), amount: fc.integer({ min: 0, max: 500_000_00 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400_000_00 }), fc.integer({ min: 0, max: 150_000_00 })), { minLength: 10, maxLength: 10 }),
        fc.constantFrom('form_8974_per_quarter', 'statutory_buckets'),
        (els, qs, reading) => {
          const seen = new Set<number>();
          const elections: PayrollElection[] = els
            .filter((x) => (seen.has(x.year) ? false : (seen.add(x.year), true)))
            .map((x) => ({ electionYear: calendarYear(x.year), amount: x.amount as Cents, returnFiled: isoDate(`${x.year + 1}-${String(x.month).padStart(2, '0')}-${String(x.day).padStart(2, '0')}`) }));
          const quarters: PayrollQuarter[] = qs.map(([ss, med], k) => ({ quarter: quarterLabels[k]!, employerSocialSecurity: ss as Cents, employerMedicare: med as Cents }));
          const r = applyPayrollCredit(law, elections, quarters, { 'us.federal.irc41h.payroll_medicare_reading': reading });
          if (r.kind !== 'known') return false;
          const used = sum(r.value.quarters.map((q) => q.total));
          const elected = sum(elections.map((x) => x.amount));
          const perQuarterOk = r.value.quarters.every((q, k) => q.socialSecurity >= 0 && q.medicare >= 0 && q.socialSecurity <= qs[k]![0] && q.medicare <= qs[k]![1] && (reading === 'statutory_buckets' || q.socialSecurity <= 250_000_00));
          return used <= elected && perQuarterOk && used + sum(r.value.remaining.map((x) => x.amount)) === elected;
        },
      ),
    );
  });
});
