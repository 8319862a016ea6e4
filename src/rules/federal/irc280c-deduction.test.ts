import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { isoDate } from '../../periods/date.js';
import { type Cents } from '../../money/index.js';
import { section280cDeduction } from './irc280c-deduction.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./irc280c-deduction.cases.yaml', import.meta.url));
const opt = (v: unknown) => (v === undefined ? undefined : usd(v));

describe('§280C(c) deduction side', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as Record<string, unknown>;
      const e = c.expected as Record<string, unknown>;
      const r = section280cDeduction(law.for(c.taxPeriod, c.options ?? {}), {
        reducedCreditElected: i.elected === true,
        credit41a: opt(i.credit41a),
        credit41a1: opt(i.credit41a1),
        domesticRAndE: opt(i.domestic),
        qreDeductionAllowable: opt(i.deductionAllowable),
        qreAmortizationAllVintages: opt(i.allVintages),
        qreAmortizationCurrentVintage: opt(i.currentVintage),
        smallBusinessRetroactive: i.retroactive === true,
        ...(i.electMonths ? { section174aElection: { months: i.electMonths as number, benefitsFirstRealized: isoDate(i.benefits as string) } } : {}),
      });
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      expect(r.value.regime).toBe(e.regime);
      for (const k of ['capitalAccountReduction', 'deductionReduction', 'domesticAfter', 'currentYearRecovery'] as const) expect(r.value[k], k).toBe(usd(e[k]));
      if (e.regime === 'capital_account_excess' && i.elected !== true) expect(r.why.flags.map((f) => f.option)).toContain('us.federal.irc280c.capital_account_measure_2022_2024');
    });
  }

  it('the measure the chosen option needs is unknown when missing', () => {
    const v = law.for(calendarYear(2023), { 'us.federal.irc280c.capital_account_measure_2022_2024': 'current_vintage_only' });
    const r = section280cDeduction(v, { reducedCreditElected: false, credit41a: undefined, credit41a1: usd(1), domesticRAndE: usd(10), qreAmortizationAllVintages: usd(1) });
    expect(r.kind).toBe('unknown');
    if (r.kind === 'unknown') expect(r.missing).toEqual(['section174.qreAmortizationCurrentVintage']);
  });

  it('property: reduction never exceeds the credit nor the domestic amount; election means none', () => {
    fc.assert(
      fc.property(fc.constantFrom(2021, 2023, 2025), fc.integer({ min: 0, max: 5_000_000_00 }), fc.integer({ min: 0, max: 5_000_000_00 }), fc.integer({ min: 0, max: 5_000_000_00 }), fc.boolean(), (y, credit, domestic, allow, elected) => {
        const r = section280cDeduction(law.for(calendarYear(y)), {
          reducedCreditElected: elected,
          credit41a: credit as Cents,
          credit41a1: credit as Cents,
          domesticRAndE: domestic as Cents,
          qreDeductionAllowable: allow as Cents,
          qreAmortizationAllVintages: allow as Cents,
        });
        if (r.kind !== 'known') return false;
        const red = r.value.capitalAccountReduction + r.value.deductionReduction;
        return red <= credit && red <= domestic && r.value.domesticAfter === domestic - red && (!elected || red === 0);
      }),
    );
  });
});
