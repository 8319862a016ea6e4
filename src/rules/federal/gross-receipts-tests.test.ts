import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear, taxPeriod, yearBegun } from '../../periods/index.js';
import { isoDate } from '../../periods/date.js';
import { dollars } from '../../money/index.js';
import { esbTest, qsbTest, section448cTest, type EntityType, type GrossReceiptsYear } from './gross-receipts-tests.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./gross-receipts-tests.cases.yaml', import.meta.url));

function priorYears(y: number, amounts: unknown[], shortThird?: unknown): GrossReceiptsYear[] {
  const out: GrossReceiptsYear[] = amounts.map((a, i) => ({ period: calendarYear(y - 1 - i), grossReceipts: usd(a) }));
  if (shortThird !== undefined) out.push({ period: taxPeriod(`${y - 3}-07-01`, `${y - 3}-12-31`), grossReceipts: usd(shortThird) });
  return out;
}

describe('gross-receipts tests (kept apart)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as Record<string, unknown>;
      const e = c.expected as Record<string, unknown>;
      const view = law.for(c.taxPeriod);
      const y = yearBegun(c.taxPeriod);
      if (i.test === 'qsb') {
        const r = qsbTest(view, {
          period: c.taxPeriod,
          entityType: i.entityType as EntityType,
          grossReceipts: usd(i.grossReceipts),
          firstReceiptsYearStart: i.firstReceipts === 'none' ? 'none' : isoDate(`${i.firstReceipts}-01-01`),
        });
        expect(r.kind).toBe('known');
        if (r.kind !== 'known') return;
        expect(r.value.qsb).toBe(e.qsb);
        if (e.reason) expect(r.value.reason).toContain(e.reason as string);
        if (e.testedReceipts !== undefined) expect(r.value.testedReceipts).toBe(usd(e.testedReceipts));
        if (i.entityType !== 'tax_exempt') expect(r.why.params.map((p) => p.id)).toContain('us.federal.irc41h.qsb_gross_receipts_ceiling');
      } else if (i.test === '448c') {
        const r = section448cTest(view, { period: c.taxPeriod, priorYears: priorYears(y, i.prior as unknown[]), historyComplete: i.historyComplete === true });
        expect(r.kind).toBe('known');
        if (r.kind !== 'known') return;
        expect(r.value.meets).toBe(e.meets);
        expect(r.value.averageGrossReceipts).toBe(usd(e.average));
        const p = r.why.params.find((q) => q.id === 'us.federal.irc448.gross_receipts_limit');
        expect(p?.status).toBe('U');
      } else {
        const r = esbTest(view, {
          period: c.taxPeriod,
          entityType: i.entityType as EntityType,
          publiclyTraded: i.publiclyTraded as boolean | undefined,
          priorYears: priorYears(y, i.prior as unknown[], i.shortThird),
        });
        expect(r.kind).toBe('known');
        if (r.kind !== 'known') return;
        expect(r.value.esb).toBe(e.esb);
        if (e.average !== undefined) expect(r.value.averageGrossReceipts).toBe(usd(e.average));
      }
    });
  }

  it('missing facts are unknown, not a pass or a fail', () => {
    const v = law.for(calendarYear(2025));
    const q = qsbTest(v, { period: calendarYear(2025), entityType: 'c_corporation', grossReceipts: dollars(1), firstReceiptsYearStart: undefined });
    expect(q.kind).toBe('unknown');
    const s = section448cTest(v, { period: calendarYear(2025), priorYears: [{ period: calendarYear(2024), grossReceipts: dollars(1) }] });
    expect(s.kind).toBe('unknown');
    if (s.kind === 'unknown') expect(s.missing).toEqual(['history.TY2023.grossReceipts', 'history.TY2022.grossReceipts']);
    const e = esbTest(v, { period: calendarYear(2025), entityType: 'c_corporation', publiclyTraded: undefined, priorYears: [] });
    expect(e.kind).toBe('unknown');
  });

  it('the three tests use different thresholds: $4.9M current and $40M average pass QSB and ESB but not §448(c)', () => {
    const p = calendarYear(2025);
    const v = law.for(p);
    const prior = priorYears(2025, [40_000_000, 40_000_000, 40_000_000]);
    const q = qsbTest(v, { period: p, entityType: 'c_corporation', grossReceipts: dollars(4_900_000), firstReceiptsYearStart: isoDate('2022-01-01') });
    const s = section448cTest(v, { period: p, priorYears: prior });
    const e = esbTest(v, { period: p, entityType: 'c_corporation', publiclyTraded: false, priorYears: prior });
    expect([q.kind, s.kind, e.kind]).toEqual(['known', 'known', 'known']);
    if (q.kind === 'known' && s.kind === 'known' && e.kind === 'known') expect([q.value.qsb, s.value.meets, e.value.esb]).toEqual([true, false, true]);
  });

  it('QSB is monotone: lower receipts never turn a QSB into a non-QSB', () => {
    const p = calendarYear(2025);
    const v = law.for(p);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 2015, max: 2025 }), (a, b, fy) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const f = isoDate(`${fy}-01-01`);
        const rl = qsbTest(v, { period: p, entityType: 'partnership', grossReceipts: lo as never, firstReceiptsYearStart: f });
        const rh = qsbTest(v, { period: p, entityType: 'partnership', grossReceipts: hi as never, firstReceiptsYearStart: f });
        if (rl.kind !== 'known' || rh.kind !== 'known') return false;
        return !rh.value.qsb || rl.value.qsb;
      }),
    );
  });
});
