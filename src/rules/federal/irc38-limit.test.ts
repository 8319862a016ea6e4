import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { type Cents } from '../../money/index.js';
import { section38Limit } from './irc38-limit.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./irc38-limit.cases.yaml', import.meta.url));

describe('§38(c) limitation', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as Record<string, unknown>;
      const e = c.expected as Record<string, unknown>;
      const r = section38Limit(law.for(c.taxPeriod), {
        corporate: i.corporate as boolean,
        regularTax: usd(i.regular),
        tentativeMinimumTax: usd(i.tmt),
        priorCredits: usd(i.prior),
        marriedFilingSeparately: i.mfs === true,
        spouseHasNoBusinessCredits: i.spouseNone === true,
        researchIsSpecifiedCredit: i.esb === true,
        ...(i.other !== undefined ? { otherCreditsAhead: usd(i.other) } : {}),
      });
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      for (const [k, v] of Object.entries(e)) expect(r.value[k as keyof typeof r.value], k).toBe(usd(v));
    });
  }

  it('unknown tax facts stay unknown', () => {
    const r = section38Limit(law.for(calendarYear(2025)), { corporate: true, regularTax: usd(1), tentativeMinimumTax: undefined, priorCredits: usd(0), researchIsSpecifiedCredit: false });
    expect(r.kind).toBe('unknown');
  });

  it('property: the room never exceeds the net income tax and the ESB room is never smaller', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 0, max: 1_000_000_00 }), fc.constantFrom(2019, 2022, 2023, 2025), (corp, reg, tmt, prior, y) => {
        const v = law.for(calendarYear(y));
        const base = { corporate: corp, regularTax: reg as Cents, tentativeMinimumTax: tmt as Cents, priorCredits: prior as Cents };
        const a = section38Limit(v, { ...base, researchIsSpecifiedCredit: false });
        const b = section38Limit(v, { ...base, researchIsSpecifiedCredit: true });
        if (a.kind !== 'known' || b.kind !== 'known') return false;
        return a.value.researchRoom >= 0 && a.value.researchRoom <= a.value.netIncomeTax && b.value.researchRoom >= a.value.researchRoom;
      }),
    );
  });
});
