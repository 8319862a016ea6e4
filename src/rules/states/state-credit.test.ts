import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { loadCases, usd } from '../../../test/support/cases.js';
import { cv } from '../../../test/support/val.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear, taxPeriod, type TaxPeriod } from '../../periods/index.js';
import { dollars, rate, rateEq, sum, type Cents, type Rate } from '../../money/index.js';
import type { Val } from '../../explain/index.js';
import { parseStateCreditRegistry } from './registry.js';
import { computeStateCredit, STATE_ENGINES, stateFactIds } from './credit.js';
import type { StateCreditInput, StateEntityType } from './state-credit.js';
import type { QreCategory, SourcedQres } from './sourcing.js';

const law = loadLaw();

interface CaseIn {
  entity?: StateEntityType;
  qre: Partial<Record<'wages' | 'supplies' | 'computers' | 'contract', number>>;
  basic?: number;
  history: Record<string, number[]>;
  gr?: { state?: number; total?: number };
  federal?: { method?: 'regular' | 'asc'; qres?: number };
  facts: Record<string, string>;
  firstTaxYearStart?: string;
}

/** Sourced QREs of one state as `sourceQres` returns them (state amounts = federal amounts here). */
export function sourced(state: string, q: CaseIn['qre'], basic = 0): SourcedQres {
  const cats: Record<QreCategory, Val<Cents>> = {
    wages: cv(usd(q.wages ?? 0)),
    supplies: cv(usd(q.supplies ?? 0)),
    computers: cv(usd(q.computers ?? 0)),
    contract: cv(usd(q.contract ?? 0)),
    basicResearch: cv(usd(basic)),
  };
  const total = cv(sum([cats.wages, cats.supplies, cats.computers, cats.contract].map((v) => (v as { value: Cents }).value)));
  return { state, byCategory: cats, total, federal: cats, federalTotal: total, disqualified: [], unknownLines: [] };
}

export function toInput(state: string, i: CaseIn, period: TaxPeriod, options?: Record<string, string>): StateCreditInput {
  return {
    period,
    entityType: i.entity ?? 'c_corporation',
    qres: sourced(state, i.qre, i.basic),
    history: Object.entries(i.history).map(([y, [q, g, t]]) => ({
      period: calendarYear(Number(y)),
      ...(q !== undefined ? { qre: usd(q) } : {}),
      ...(g !== undefined ? { grossReceipts: usd(g) } : {}),
      ...(t !== undefined ? { totalGrossReceipts: usd(t) } : {}),
    })),
    grossReceipts: { ...(i.gr?.state !== undefined ? { state: usd(i.gr.state) } : {}), ...(i.gr?.total !== undefined ? { total: usd(i.gr.total) } : {}) },
    ...(i.firstTaxYearStart ? { firstTaxYearStart: i.firstTaxYearStart } : {}),
    federal: { ...(i.federal?.method ? { method: i.federal.method } : {}), ...(i.federal?.qres !== undefined ? { qres: cv(usd(i.federal.qres)) } : {}) },
    facts: i.facts,
    ...(options ? { options } : {}),
  };
}

const STATES = Object.keys(STATE_ENGINES);

for (const st of STATES) {
  const { cases } = loadCases(new URL(`./${st.toLowerCase()}/credit.cases.yaml`, import.meta.url));
  describe(`${st} research credit (case file)`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const r = computeStateCredit(law, st, toInput(st, c.input as unknown as CaseIn, c.taxPeriod, c.options));
        for (const [k, want] of Object.entries(c.expected as Record<string, unknown>)) {
          if (k === 'missing') {
            expect(r.missing).toEqual(expect.arrayContaining(want as string[]));
            continue;
          }
          const v = k === 'credit' ? r.credit : r.lines[k];
          expect(v, `line ${k}`).toBeDefined();
          if (want === 'unknown' || want === 'na') {
            expect(v!.kind, `line ${k}`).toBe(want);
            continue;
          }
          expect(v!.kind, `line ${k}: ${JSON.stringify(v!.kind === 'unknown' ? v!.missing : v!.kind === 'na' ? v!.reason : '')}`).toBe('known');
          const got = (v as { value: Cents | Rate }).value;
          if (typeof want === 'string') expect(rateEq(got as Rate, rate(want)), `line ${k}`).toBe(true);
          else expect(got, `line ${k}`).toBe(usd(want));
        }
        if (r.credit.kind === 'unknown') expect(r.missing.length).toBeGreaterThan(0);
      });
    }
  });
}

describe('computeStateCredit: states without an engine, registry and fact lists', () => {
  const reg = parseStateCreditRegistry(parse(readFileSync(new URL('../../../law/states/registry.yaml', import.meta.url), 'utf8')));
  it('a registry state without an engine is n/a with the reason from the law files', () => {
    const r = computeStateCredit(law, 'CT', toInput('CT', { qre: { wages: 100 }, history: {}, facts: {} }, calendarYear(2024)));
    expect(r.credit.kind).toBe('na');
    if (r.credit.kind === 'na') expect(r.credit.reason).toMatch(/12-217n/);
    expect(r.credit.why.params.map((p) => p.id)).toContain('us.ct.research.not_computed');
    const wa = computeStateCredit(law, 'WA', toInput('WA', { qre: { wages: 100 }, history: {}, facts: {} }, calendarYear(2024)));
    expect(wa.credit.kind === 'na' && wa.credit.reason).toMatch(/no research credit for WA/);
  });
  it('the registry marks exactly Idaho and the states with an engine as computed; every other registry state has a reason', () => {
    expect(reg.filter((r) => r.computed).map((r) => r.state).sort()).toEqual(['ID', ...STATES].sort());
    for (const r of reg.filter((x) => !x.computed)) expect(law.parameters.has(`us.${r.state.toLowerCase()}.research.not_computed`), r.state).toBe(true);
  });
  it('every fact an engine asks for is listed in its law file (us.<xx>.research.facts)', () => {
    for (const st of STATES) {
      for (const y of [2024, 2025]) {
        const r = computeStateCredit(law, st, toInput(st, { qre: { wages: 1000 }, basic: 10, history: {}, facts: {} }, calendarYear(y)));
        const asked = r.missing.filter((m) => m.startsWith(`stateFacts.${st}.`)).map((m) => m.split('.')[2]!.split(' ')[0]!);
        const listed = stateFactIds(law, st, { period: calendarYear(y) });
        for (const a of asked) expect(listed, `${st} ${a}`).toContain(a);
        if (r.credit.kind === 'known') expect(asked).toEqual([]);
      }
    }
  });
  it('a malformed fact is reported, not guessed', () => {
    const r = computeStateCredit(law, 'TX', toInput('TX', { qre: { wages: 1000 }, history: {}, facts: { higher_ed_contract: 'maybe', sales_tax_exemption_used: 'false' } }, calendarYear(2025)));
    expect(r.credit.kind).toBe('unknown');
    expect(r.missing.join()).toMatch(/stateFacts\.TX\.higher_ed_contract \(invalid value "maybe"/);
  });
});

describe('state credits: properties', () => {
  const refundFacts: Record<string, [string, Record<string, string>]> = {
    AZ: ['aca_refund_certificate', { fixed_base_percentage: '0.03' }],
    TX: ['no_tax_due', { higher_ed_contract: 'false', sales_tax_exemption_used: 'false' }],
    MN: ['refund_election', { fixed_base_percentage: '0.03' }],
    GA: ['withholding_election', { business_enterprise: 'true', federal_credit_claimed: 'true' }],
  };
  it('a refundable / non-refundable flag never changes the computed credit amount', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(refundFacts)), fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 2019, max: 2026 }), (st, q, prior, y) => {
        const [flag, base] = refundFacts[st]!;
        const hist: Record<string, number[]> = {};
        for (let k = 1; k <= 4; k++) hist[String(y - k)] = [prior, prior * 10, prior * 20];
        const mk = (v?: string) => toInput(st, { qre: { wages: q }, federal: { method: 'regular' }, gr: { state: prior * 10 }, history: hist, facts: { ...base, ...(v ? { [flag]: v } : {}) } }, calendarYear(y));
        const off = computeStateCredit(law, st, mk('false'));
        const on = computeStateCredit(law, st, mk('true'));
        const none = computeStateCredit(law, st, mk());
        expect(on.credit.kind).toBe('known');
        expect(on.credit).toMatchObject({ kind: off.credit.kind, ...(off.credit.kind === 'known' ? { value: off.credit.value } : {}) });
        expect(none.credit).toMatchObject({ kind: off.credit.kind, ...(off.credit.kind === 'known' ? { value: off.credit.value } : {}) });
      }),
      { numRuns: 60 },
    );
  });

  it('a credit is never negative and, for the incremental states, never more than the top rate × QREs', () => {
    const top: Record<string, string> = { CA: '0.15', AZ: '0.24', TX: '0.10903', GA: '0.10', MA: '0.10', MN: '0.10', WI: '0.0575', PA: '0.20', NJ: '0.10' };
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(top)), fc.integer({ min: 0, max: 30_000_000 }), fc.integer({ min: 0, max: 30_000_000 }), (st, q, prior) => {
        const hist: Record<string, number[]> = {};
        for (let k = 1; k <= 4; k++) hist[String(2024 - k)] = [prior, prior * 5, prior * 5];
        const facts = { method: 'regular', massachusetts_receipts: 'true', fixed_base_percentage: '0.05', higher_ed_contract: 'true', sales_tax_exemption_used: 'false', business_enterprise: 'true', federal_credit_claimed: 'true', small_business: 'true', enhanced_research: 'false' };
        const r = computeStateCredit(law, st, toInput(st, { qre: { wages: q }, federal: { method: 'regular' }, gr: { state: prior * 5 }, history: hist, facts }, calendarYear(2024)));
        expect(r.credit.kind).toBe('known');
        const c = (r.credit as { value: Cents }).value;
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(Math.round(q * Number(top[st]!)) * 100 + 100);
      }),
      { numRuns: 80 },
    );
  });
  it('a fixed-base percentage over 16% is capped (edge: 16.01% → 16%)', () => {
    const r = computeStateCredit(law, 'UT', toInput('UT', { qre: { wages: 1000000 }, history: { 2020: [0, 1000000], 2021: [0, 1000000], 2022: [0, 1000000], 2023: [0, 1000000] }, facts: { fixed_base_percentage: '0.1601' } }, calendarYear(2024)));
    expect(rateEq((r.lines['fixed_base_percentage'] as { value: Rate }).value, rate('0.16'))).toBe(true);
    expect(r.credit.kind === 'known' && r.credit.value).toBe(dollars(75000 + 25000));
  });
  it('short preceding year receipts are annualized (6 months × 2)', () => {
    const input = toInput('MN', { qre: { wages: 1000000 }, history: {}, facts: { fixed_base_percentage: '0.10' }, firstTaxYearStart: '2023-07-01' }, calendarYear(2024));
    input.history = [{ period: taxPeriod('2023-07-01', '2023-12-31'), qre: dollars(0), grossReceipts: dollars(3000000) }];
    const r = computeStateCredit(law, 'MN', input);
    expect((r.lines['average_gross_receipts'] as { value: Cents }).value).toBe(dollars(6000000));
  });
});
