import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { cv } from '../../../test/support/val.js';
import { explainer } from '../../explain/index.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { dollars, sum, type Cents } from '../../money/index.js';
import { stateLimitation, type StateVintage } from './limitation.js';
import { stateCarryforwardSchedule } from './schedules.js';
import { computeStateCredit, stateFactIds } from './credit.js';
import type { StateCreditInput, StateEntityType } from './state-credit.js';
import type { QreCategory, SourcedQres } from './sourcing.js';
import type { Val } from '../../explain/index.js';
import type { TaxPeriod } from '../../periods/index.js';

const law = loadLaw();

/** A state-credit input with wages only (state QREs = federal QREs) and history year → [state QREs]. */
function toInput(state: string, i: { entity?: StateEntityType; qre: { wages: number }; history: Record<string, number[]>; facts: Record<string, string>; firstTaxYearStart?: string }, period: TaxPeriod): StateCreditInput {
  const cats: Record<QreCategory, Val<Cents>> = { wages: cv(usd(i.qre.wages)), supplies: cv(usd(0)), computers: cv(usd(0)), contract: cv(usd(0)), basicResearch: cv(usd(0)) };
  const qres: SourcedQres = { state, byCategory: cats, total: cats.wages, federal: cats, federalTotal: cats.wages, disqualified: [], unknownLines: [] };
  return {
    period,
    entityType: i.entity ?? 'c_corporation',
    qres,
    history: Object.entries(i.history).map(([y, [q]]) => ({ period: calendarYear(Number(y)), ...(q !== undefined ? { qre: usd(q) } : {}) })),
    federal: {},
    facts: i.facts,
    ...(i.firstTaxYearStart ? { firstTaxYearStart: i.firstTaxYearStart } : {}),
  };
}

interface LimCase {
  state: string;
  earned: number | 'unknown';
  volume?: number;
  facts: Record<string, string>;
}
type Row = [number, number, (number | null)?];

const vint = (vs: StateVintage[]): Row[] => vs.map((v) => [v.year, v.amount / 100, v.expiresAfter]);
const pairs = (vs: StateVintage[]): Row[] => vs.map((v) => [v.year, v.amount / 100]);

describe('state limitation on use (case file)', () => {
  const { cases } = loadCases(new URL('./limitation.cases.yaml', import.meta.url));
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as unknown as LimCase;
      const earned = i.earned === 'unknown' ? explainer('t', 't', []).unknown(['some QRE']) : cv(usd(i.earned));
      const r = stateLimitation(law, i.state, { period: c.taxPeriod, earned, ...(i.volume !== undefined ? { nonCarryable: cv(usd(i.volume)) } : {}), facts: i.facts, ...(c.options ? { options: c.options } : {}) });
      expect(r).toBeDefined();
      const exp = c.expected as Record<string, unknown>;
      for (const [k, want] of Object.entries(exp)) {
        if (k === 'carryforward') expect(vint(r!.carryforward), k).toEqual((want as Row[]).map(([y, a, e]) => [y, a, e ?? null]));
        else if (k === 'used') expect(pairs(r!.used), k).toEqual(want);
        else if (k === 'expired') expect(pairs(r!.expired), k).toEqual(want);
        else if (k === 'missing') expect(r!.missing, k).toEqual(expect.arrayContaining(want as string[]));
        else if (k === 'lapsed') expect(r!.lapsed, k).toBe(usd(want));
        else if (k === 'flags') expect(r!.flags.map((f) => f.option), k).toEqual(expect.arrayContaining(want as string[]));
        else {
          const v = k === 'allowed' ? r!.allowed : k === 'refund' ? r!.refund : r!.lines[k];
          expect(v, k).toBeDefined();
          if (want === 'unknown') expect(v!.kind, k).toBe('unknown');
          else expect(v!.kind === 'known' ? v!.value : v!.kind, k).toBe(usd(want));
        }
      }
      if (r!.allowed.kind === 'unknown') expect(r!.carryforward).toEqual([]);
    });
  }
});

describe('limitation through computeStateCredit', () => {
  it('the earned credit stays known when the tax facts are missing; the limitation names them', () => {
    const r = computeStateCredit(law, 'TX', toInput('TX', { qre: { wages: 1000000 }, history: { 2022: [0], 2023: [0], 2024: [0] }, facts: { higher_ed_contract: 'false', sales_tax_exemption_used: 'false' } }, calendarYear(2025)));
    expect(r.credit.kind).toBe('known');
    expect(r.missing).toEqual([]);
    expect(r.limitation!.allowed.kind).toBe('unknown');
    expect(r.limitation!.missing).toContain('stateFacts.TX.income_tax');
  });
  it('Utah: the engine’s 7.5% line is the part that cannot carry forward', () => {
    // (i) 5% × (1,000,000 − max(0, 500,000)) = 25,000; (iii) 7.5% × 1,000,000 = 75,000; credit 100,000.
    const r = computeStateCredit(law, 'UT', toInput('UT', { qre: { wages: 1000000 }, history: {}, firstTaxYearStart: '2024-01-01', facts: { fixed_base_percentage: '0', income_tax: '50000', credits_ahead: '0' } }, calendarYear(2024)));
    expect(r.credit.kind === 'known' && r.credit.value).toBe(dollars(100000));
    const l = r.limitation!;
    expect(l.allowed.kind === 'known' && l.allowed.value).toBe(dollars(50000));
    expect(l.lapsed).toBe(dollars(25000)); // 75,000 − 50,000 of the 7.5% credit
    expect(vint(l.carryforward)).toEqual([[2024, 25000, 2038]]);
  });
  it('no limitation for a credit that does not apply and nothing carried', () => {
    const r = computeStateCredit(law, 'MA', toInput('MA', { entity: 'partnership', qre: { wages: 1000 }, history: {}, facts: {} }, calendarYear(2024)));
    expect(r.credit.kind).toBe('na');
    expect(r.limitation).toBeUndefined();
  });
});

describe('limitation invariants (properties)', () => {
  const states = ['GA', 'MA', 'CA', 'MN', 'AZ', 'IL', 'NJ', 'PA', 'TX', 'WI', 'UT'];
  it('allowed ≤ room and ≤ credit available; available = allowed + carried + lapsed (+ refunds paid out of the pool)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 500_000 }),
        fc.integer({ min: 2018, max: 2023 }),
        fc.boolean(),
        (state, earned, tax, ahead, cf, cfYear, flag) => {
          const facts: Record<string, string> = { income_tax: String(tax), credits_ahead: String(ahead), minimum_tax: '500', [`carryforward_${cfYear}`]: String(cf) };
          if (flag) Object.assign(facts, { aca_refund_certificate: 'true', refund_election: 'true' });
          const vol = Math.floor(earned / 2);
          const r = stateLimitation(law, state, { period: calendarYear(2024), earned: cv(dollars(earned)), ...(state === 'UT' ? { nonCarryable: cv(dollars(vol)) } : {}), facts })!;
          const allowed = (r.allowed as { value: Cents }).value;
          const room = (r.lines['room'] as { value: Cents }).value;
          const available = (r.lines['available'] as { value: Cents }).value;
          expect(allowed).toBeLessThanOrEqual(room);
          expect(allowed).toBeLessThanOrEqual(available);
          const refund = r.refund?.kind === 'known' ? r.refund.value : 0;
          const outOfPool = state === 'WI' ? 0 : refund; // WI's refundable part is paid outside the pool
          expect(available).toBe(sum([allowed, sum(r.carryforward.map((v) => v.amount)), r.lapsed, outOfPool as Cents]));
          for (const v of r.carryforward) expect(v.expiresAfter === null || v.expiresAfter >= 2024).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('carryforward schedule (carryforward.<xx>)', () => {
  it('one row per vintage with used, expired, lapsed and carried; totals add up', () => {
    const lim = stateLimitation(law, 'GA', { period: calendarYear(2024), earned: cv(dollars(30000)), facts: { income_tax: '60000', credits_ahead: '0', carryforward_2013: '5000', carryforward_2016: '10000' } });
    const s = stateCarryforwardSchedule('GA', lim, 2024)!;
    expect(s.id).toBe('carryforward.ga');
    expect(s.rows.map((r) => [r.cells.vintage, r.cells.expires, r.cells.used, r.cells.expired, r.cells.carried])).toEqual([
      ['2013', '2023', 0, dollars(5000), 0],
      ['2016', '2026', dollars(10000), 0, 0],
      ['2024', '2034', dollars(20000), 0, dollars(10000)],
    ]);
    expect(s.totals).toEqual({ used: dollars(30000), expired: dollars(5000), lapsed: 0, carried: dollars(10000) });
  });
  it('unknown limitation: a note names the missing facts', () => {
    const lim = stateLimitation(law, 'GA', { period: calendarYear(2024), earned: cv(dollars(30000)), facts: {} });
    const s = stateCarryforwardSchedule('GA', lim, 2024)!;
    expect(s.notes!.join()).toMatch(/stateFacts\.GA\.income_tax/);
  });
});

describe('facts the limitation reads are listed in each state’s law file', () => {
  it('every stateFacts id the limitation names as missing is in us.<xx>.research.facts', () => {
    for (const st of ['AZ', 'CA', 'GA', 'IL', 'MA', 'MN', 'NJ', 'PA', 'TX', 'UT', 'WI']) {
      const r = stateLimitation(law, st, { period: calendarYear(2024), earned: cv(dollars(1000)), facts: {} })!;
      const asked = r.missing.filter((m) => m.startsWith(`stateFacts.${st}.`)).map((m) => m.split('.')[2]!.split(' ')[0]!);
      expect(asked.length, st).toBeGreaterThan(0);
      const listed = stateFactIds(law, st, { period: calendarYear(2024) });
      for (const a of asked) expect(listed, `${st} ${a}`).toContain(a);
      expect(listed.some((l) => l.startsWith('carryforward_')), st).toBe(true);
    }
  });
});
