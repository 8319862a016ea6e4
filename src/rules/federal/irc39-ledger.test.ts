import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { sum, type Cents } from '../../money/index.js';
import { section39Ledger, type LedgerYear, type OpeningVintage } from './irc39-ledger.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./irc39-ledger.cases.yaml', import.meta.url));

describe('§39 ledger', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as { opening?: { year: number; amount: number }[]; years: { year: number; generated: number; room: number }[]; priorYearRoom?: number };
      const e = c.expected as { used: Record<string, [string, string, number][]>; expired?: Record<string, [string, number][]>; carrybackToPriorYear?: number; closing: Record<string, number> };
      const r = section39Ledger(law, {
        years: i.years.map((y) => ({ period: calendarYear(y.year), generated: usd(y.generated), room: usd(y.room) })),
        opening: (i.opening ?? []).map((o) => ({ vintage: calendarYear(o.year), amount: usd(o.amount) })),
        ...(i.priorYearRoom !== undefined ? { priorYearRoom: usd(i.priorYearRoom) } : {}),
      });
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      for (const y of r.value.years) {
        expect(y.used.map((u) => [u.vintage, u.kind, u.amount]), y.period).toEqual((e.used[y.period] ?? []).map(([v, k, a]) => [v, k, usd(a)]));
        expect(y.expired.map((x) => [x.vintage, x.amount])).toEqual((e.expired?.[y.period] ?? []).map(([v, a]) => [v, usd(a)]));
      }
      if (e.carrybackToPriorYear !== undefined) expect(r.value.carrybackToPriorYear).toBe(usd(e.carrybackToPriorYear));
      expect(Object.fromEntries(r.value.closing.map((x) => [x.vintage, x.amount]))).toEqual(Object.fromEntries(Object.entries(e.closing).map(([k, v]) => [k, usd(v)])));
      expect(r.why.children.length).toBeGreaterThan(0);
    });
  }

  it('a first-year carryback needs the prior year’s room', () => {
    const r = section39Ledger(law, { years: [{ period: calendarYear(2025), generated: usd(10), room: usd(0) }] });
    expect(r.kind).toBe('unknown');
    if (r.kind === 'unknown') expect(r.missing).toEqual(['credit.priorYearRoom']);
  });

  it('property: never uses more than was carried, never an expired vintage, and conserves every dollar', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ age: fc.integer({ min: 1, max: 25 }), amount: fc.integer({ min: 0, max: 1_000_000_00 }) }), { maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1_000_000_00 }), fc.integer({ min: 0, max: 1_000_000_00 })), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 1_000_000_00 }),
        (op, ys, prior) => {
          const firstYear = 2025;
          const seen = new Set<number>();
          const opening: OpeningVintage[] = op.filter((o) => (seen.has(o.age) ? false : (seen.add(o.age), true))).map((o) => ({ vintage: calendarYear(firstYear - o.age), amount: o.amount as Cents }));
          const years: LedgerYear[] = ys.map(([g, room], k) => ({ period: calendarYear(firstYear + k), generated: g as Cents, room: room as Cents }));
          const r = section39Ledger(law, { years, opening, priorYearRoom: prior as Cents });
          if (r.kind !== 'known') return false;
          const yearOf = (label: string) => Number(label.slice(2));
          const usedBy = new Map<string, number>();
          for (const y of r.value.years) {
            let usedInYear = 0;
            for (const u of y.used) {
              usedBy.set(u.vintage, (usedBy.get(u.vintage) ?? 0) + u.amount);
              usedInYear += u.amount;
              const age = yearOf(y.period) - yearOf(u.vintage);
              if (u.kind === 'carryforward' && (age < 1 || age > 20)) return false; // expired or not yet carried
              if (u.kind === 'carryback' && age !== -1) return false;
            }
            if (usedInYear > y.room) return false;
          }
          const available = new Map<string, number>();
          for (const o of opening) available.set(`TY${o.vintage.start.slice(0, 4)}`, o.amount);
          years.forEach((y) => available.set(`TY${y.period.start.slice(0, 4)}`, (available.get(`TY${y.period.start.slice(0, 4)}`) ?? 0) + y.generated!));
          for (const [v, u] of usedBy) if (u > (available.get(v) ?? 0)) return false;
          const used = sum(r.value.years.flatMap((y) => y.used.map((u) => u.amount)));
          const expired = sum(r.value.years.flatMap((y) => y.expired.map((x) => x.amount)));
          const closing = sum(r.value.closing.map((c) => c.amount));
          const total = sum([...opening.map((o) => o.amount), ...years.map((y) => y.generated!)]);
          return used + expired + closing + r.value.carrybackToPriorYear === total;
        },
      ),
      { numRuns: 200 },
    );
  });
});
