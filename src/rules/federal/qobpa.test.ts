import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { cents, rate, type Cents } from '../../money/index.js';
import { qualifiedOrganizationBasePeriodAmount, type QobpaBaseYear, type QobpaInput } from './qobpa.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./qobpa.cases.yaml', import.meta.url));
const FLOOR_OPTION = 'us.federal.irc41e.floor_partial_base_period';

type Y = { y: string; short?: boolean; ih?: number; cr?: number; e?: number; nuc?: number };
const opt = (v: number | undefined): Cents | undefined => (v === undefined ? undefined : usd(v));

function toInput(i: Record<string, unknown>): QobpaInput {
  const base = i.base as Y[] | undefined;
  return {
    basePeriod: base?.map(
      (b): QobpaBaseYear => ({
        label: b.y,
        ...(b.short ? { shortYear: true } : {}),
        inHouse: opt(b.ih),
        contract: opt(b.cr),
        treatedAsContractUnderE: opt(b.e),
        nondesignatedUniversityContributions: opt(b.nuc),
      }),
    ),
    currentBasicResearchPayments: opt(i.current as number | undefined),
    currentNondesignatedUniversityContributions: opt(i.nucNow as number | undefined),
    ...(i.cola !== undefined ? { costOfLiving: { factor: rate(String(i.cola)), source: 'test: invented §1(f)(3) factor' } } : {}),
  };
}

describe('qualified organization base period amount (§41(e)(3)–(5))', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = qualifiedOrganizationBasePeriodAmount(law.for(c.taxPeriod, c.options), toInput(c.input));
      const e = c.expected as { qobpa?: number; unknown?: string[]; floorFlag?: boolean };
      if (e.unknown) {
        expect(r.kind).toBe('unknown');
        if (r.kind === 'unknown') expect(r.missing).toEqual(e.unknown);
        return;
      }
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      expect(r.value).toBe(usd(e.qobpa));
      if (e.floorFlag !== undefined) expect(r.why.flags.some((f) => f.option === FLOOR_OPTION)).toBe(e.floorFlag);
      for (const [id] of Object.entries(c.options ?? {})) expect(r.why.flags.map((f) => f.option)).toContain(id);
    });
  }

  it('reads its rates from the law file', () => {
    const r = qualifiedOrganizationBasePeriodAmount(law.for(calendarYear(2025)), { basePeriod: [], currentBasicResearchPayments: usd(100), currentNondesignatedUniversityContributions: undefined });
    expect(r.why.params.map((p) => p.id)).toEqual(
      expect.arrayContaining(['us.federal.irc41e.min_basic_research.floor_rate', 'us.federal.irc41e.min_basic_research.base_expense_rate', 'us.federal.irc41e.base_period.years']),
    );
  });

  it('is never negative and, without a base period, at least 50% of current payments', () => {
    const money = fc.integer({ min: 0, max: 1_000_000_000_00 });
    const year = fc.record({ ih: money, cr: money, e: money, nuc: money, short: fc.boolean() });
    fc.assert(
      fc.property(fc.array(year, { maxLength: 3 }), money, money, fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 2018, max: 2026 }), (ys, cur, nucNow, colaMillionths, y) => {
        const input: QobpaInput = {
          basePeriod: ys.map((b, k) => ({ label: String(1981 + k), shortYear: b.short, inHouse: cents(b.ih), contract: cents(b.cr), treatedAsContractUnderE: cents(b.e), nondesignatedUniversityContributions: cents(b.nuc) })),
          currentBasicResearchPayments: cents(cur),
          currentNondesignatedUniversityContributions: cents(nucNow),
          costOfLiving: { factor: rate(`${colaMillionths}/1000000`), source: 'property test' },
        };
        const r = qualifiedOrganizationBasePeriodAmount(law.for(calendarYear(y)), input);
        if (r.kind !== 'known') return false;
        if (r.value < 0) return false;
        // Independent: half of current payments, rounded half up to the cent.
        const halfUp = Math.floor(cur / 2) + (cur % 2);
        if (ys.length === 0 || ys.every((b) => b.short)) return r.value >= halfUp;
        return true;
      }),
    );
  });
});
