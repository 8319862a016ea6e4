import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../../test/support/cases.js';
import { cv } from '../../../../test/support/val.js';
import { loadLaw } from '../../../law/index.js';
import { explainer, type Val } from '../../../explain/index.js';
import { calendarYear, type TaxPeriod } from '../../../periods/index.js';
import { applyRate, dollars, rate, rateEq, type Cents, type Rate } from '../../../money/index.js';
import { computeIdahoCredit, type IdahoCreditInput, type IdahoEntityType, type IdahoHistoryYear } from './credit.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./credit.cases.yaml', import.meta.url));


interface CaseIn {
  entity?: IdahoEntityType;
  qre: Partial<Record<'wages' | 'supplies' | 'computers' | 'contract', number>>;
  basic?: number;
  basicBase?: number;
  federalStartUp?: boolean;
  election?: number;
  basePeriod?: [number, number];
  firstQreYear?: number;
  since?: number;
  history: Record<string, [number, number, number?]>;
  deducted?: Record<string, number>;
}

export function toInput(i: CaseIn, period: TaxPeriod, options?: Record<string, string>): IdahoCreditInput {
  const history: IdahoHistoryYear[] = Object.entries(i.history).map(([y, [q, g, m]]) => ({ yearBegun: Number(y), qre: usd(q), grossReceipts: usd(g), ...(m ? { months: m } : {}) }));
  return {
    period,
    entityType: i.entity ?? 'c_corporation',
    qres: {
      wages: cv(usd(i.qre.wages ?? 0)),
      supplies: cv(usd(i.qre.supplies ?? 0)),
      computers: cv(usd(i.qre.computers ?? 0)),
      contract: cv(usd(i.qre.contract ?? 0)),
    },
    ...(i.basic !== undefined ? { basicResearchPayments: cv(usd(i.basic)) } : {}),
    ...(i.basicBase !== undefined ? { qualifiedOrgBasePeriodAmount: usd(i.basicBase) } : {}),
    ...(i.federalStartUp !== undefined ? { federalStartUp: i.federalStartUp } : {}),
    ...(i.election !== undefined ? { startupElectionYear: i.election } : {}),
    ...(i.basePeriod ? { basePeriod: [{ yearBegun: 1984, qre: usd(i.basePeriod[0]), grossReceipts: usd(i.basePeriod[1]) }, { yearBegun: 1985, qre: usd(0), grossReceipts: usd(0) }] } : {}),
    ...(i.firstQreYear !== undefined ? { firstIdahoQreYear: i.firstQreYear } : {}),
    ...(i.since !== undefined ? { idahoBusinessSince: i.since } : {}),
    history,
    ...(i.deducted ? { section174Deducted: Object.fromEntries(Object.entries(i.deducted).map(([k, v]) => [k, usd(v)])) } : {}),
    ...(options ? { options } : {}),
  };
}

describe('Idaho Form 67 lines 1–16 (case file)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = computeIdahoCredit(law, toInput(c.input as unknown as CaseIn, c.taxPeriod, c.options));
      for (const [k, want] of Object.entries(c.expected as Record<string, unknown>)) {
        if (k === 'fbp') {
          expect(r.fbp.kind).toBe('known');
          expect(rateEq((r.fbp as { value: Rate }).value, rate(String(want)))).toBe(true);
        } else if (k === 'part') expect(r.fbpPart).toBe(want);
        else if (want === 'na') expect(r.lines[k]!.kind).toBe('na');
        else {
          const v = r.lines[k]!;
          expect(v.kind, `line ${k}`).toBe('known');
          expect((v as { value: Cents }).value, `line ${k}`).toBe(usd(want));
          expect(v.why.label).toMatch(new RegExp(`^Form 67 line ${k}:`));
        }
      }
    });
  }
});

const seedLike = (q: number, extra: Partial<CaseIn> = {}): CaseIn => ({
  qre: { wages: q },
  federalStartUp: false,
  basePeriod: [500000, 10000000],
  since: 1990,
  history: { 2020: [0, 15000000], 2021: [0, 15000000], 2022: [0, 15000000], 2023: [0, 15000000], 2024: [0, 15000000] },
  ...extra,
});

describe('Idaho credit: open questions both ways', () => {
  it('missing 1984–1988 records: unknown by default, 16% under cap_16', () => {
    const i = { ...seedLike(1000000), basePeriod: undefined } as CaseIn;
    const input = toInput(i, calendarYear(2024));
    input.basePeriod = [{ yearBegun: 1984 }];
    const a = computeIdahoCredit(law, input);
    expect(a.fbp.kind).toBe('unknown');
    expect(a.earned.kind).toBe('unknown');
    const b = computeIdahoCredit(law, { ...input, options: { 'us.id.research.missing_base_period_records': 'cap_16' } });
    expect(b.fbp.kind === 'known' && rateEq(b.fbp.value, rate('0.16'))).toBe(true);
    // base 16% × 15M = 2.4M > QRE 1M → no credit
    expect(b.earned.kind === 'known' && b.earned.value).toBe(0);
    expect(JSON.stringify(b.lines['9']!.why)).toContain('us.id.research.missing_base_period_records');
  });

  const period2025 = calendarYear(2025);
  it('HB 559 per-dollar exclusion (default): deducted QREs leave the credit; missing amounts are unknown', () => {
    const noData = computeIdahoCredit(law, toInput(seedLike(1200000), period2025));
    expect(noData.earned.kind).toBe('unknown');
    if (noData.earned.kind === 'unknown') expect(noData.earned.missing).toContain('idaho.section174Deducted.wages');
    const r = computeIdahoCredit(law, toInput(seedLike(1200000, { deducted: { wages: 200000, supplies: 0, computers: 0, contract: 0 } }), period2025));
    // QRE 1,000,000; base 750,000; L12 250,000; L13 500,000 → 12,500
    expect(r.lines['8']!.kind === 'known' && r.lines['8']!.value).toBe(dollars(1000000));
    expect(r.earned.kind === 'known' && r.earned.value).toBe(dollars(12500));
    expect(JSON.stringify(r.earned.why)).toContain('us.id.research.hb559_mode');
  });

  it('HB 559 transition-only reading: current-year QREs unaffected', () => {
    const r = computeIdahoCredit(law, toInput(seedLike(1200000, { deducted: { wages: 200000 } }), period2025, { 'us.id.research.hb559_mode': 'transition_only' }));
    expect(r.earned.kind === 'known' && r.earned.value).toBe(dollars(22500));
    expect(r.earned.why.flags.map((f) => f.option)).toContain('us.id.research.hb559_mode');
  });

  it('HB 559 does not apply before 2025', () => {
    const r = computeIdahoCredit(law, toInput(seedLike(1200000), calendarYear(2024)));
    expect(r.earned.kind === 'known' && r.earned.value).toBe(dollars(22500));
  });

  it('unknown QREs make the credit unknown, never zero', () => {
    const input = toInput(seedLike(1200000), calendarYear(2024));
    input.qres.supplies = cv(undefined, 'supplies.s1.location');
    const r = computeIdahoCredit(law, input);
    expect(r.earned.kind).toBe('unknown');
    if (r.earned.kind === 'unknown') expect(r.earned.missing).toEqual(['supplies.s1.location']);
  });
});

describe('Idaho credit: properties', () => {
  it('the QRE credit never exceeds 2.5% of Idaho QREs (5% × the 50% minimum base), rounding aside', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 0, max: 200_000_000 }), fc.integer({ min: 0, max: 2_000 }), (q, gr, bp) => {
        const i: CaseIn = { qre: { wages: q }, federalStartUp: false, basePeriod: [bp * 1000, 10_000_000], since: 1990, history: { 2020: [0, gr], 2021: [0, gr], 2022: [0, gr], 2023: [0, gr] } };
        const r = computeIdahoCredit(law, toInput(i, calendarYear(2024)));
        if (r.earned.kind !== 'known') return false;
        const cap = applyRate(dollars(q), rate('0.025'));
        return r.earned.value >= 0 && r.earned.value <= cap + 100; // each printed line rounds to the dollar
      }),
    );
  });
});
