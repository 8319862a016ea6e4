import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { collectFlags, explainer, type Val } from '../../explain/index.js';
import type { Cents } from '../../money/index.js';
import {
  basicResearchContractShare,
  basicResearchPayments,
  componentStatusFrom,
  componentStatusFromSet,
  energyConsortiumAmounts,
  qualifiedComputerUse,
  qualifiedContractResearch,
  qualifiedSupplies,
} from './qre-categories.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./qre-categories.cases.yaml', import.meta.url));
const status = componentStatusFrom([
  { id: 'c1', qualification: 'qualifies' },
  { id: 'c2', qualification: 'does_not_qualify' },
  { id: 'c3', qualification: 'needs_information' },
]);
const money = (rs: Record<string, unknown>[]) => rs.map((r) => ({ ...r, amount: usd(r.amount), ...(r.prepaidForLaterYears !== undefined ? { prepaidForLaterYears: usd(r.prepaidForLaterYears) } : {}) }));
const k = <T>(v: T): Val<T> => explainer('test', 'given', []).known(v);

describe('QRE categories', () => {
  for (const c of cases) {
    it(c.name, () => {
      const view = law.for(c.taxPeriod, c.options ?? {});
      const i = c.input as Record<string, unknown>;
      const recs = money((i.records as Record<string, unknown>[]) ?? []) as never;
      const r =
        i.category === 'contract'
          ? qualifiedContractResearch(view, recs, status)
          : i.category === 'supplies'
            ? qualifiedSupplies(view, recs, status)
            : i.category === 'computers'
              ? qualifiedComputerUse(view, recs, status)
              : i.category === 'basic'
                ? basicResearchPayments(view, recs, i.entityType as string)
                : basicResearchContractShare(view, k(usd(i.payments)), k(usd(i.qobpa)));
      const e = c.expected as { total?: number; unknown?: string[]; flag?: string; excludedNotes?: number };
      if (e.flag) expect(collectFlags(r.why).map((f) => f.option)).toContain(e.flag);
      if (e.unknown) {
        expect(r.kind).toBe('unknown');
        if (r.kind === 'unknown') expect(r.missing).toEqual(e.unknown);
        return;
      }
      expect(r.kind).toBe('known');
      if (r.kind === 'known') expect(r.value).toBe(usd(e.total));
      if (i.records) expect(r.why.children.length).toBe((i.records as unknown[]).length);
      if (e.excludedNotes !== undefined) expect(r.why.children.filter((ch) => ch.notes.some((n) => n.startsWith('excluded'))).length).toBe(e.excludedNotes);
    });
  }

  it('the contract rate parameter is recorded on the record that used it', () => {
    const r = qualifiedContractResearch(law.for(calendarYear(2025)), [{ id: 'k1', payee: 'A', payeeType: 'general', amount: usd(100), componentId: 'c1', taxpayerBearsRisk: true, taxpayerHasRights: true }], status);
    expect(r.why.children[0]!.params.map((p) => p.id)).toEqual(['us.federal.irc41.contract_research.rate_general']);
  });

  it('componentStatusFromSet: listed ids qualify, needs-information ids are unknown, others do not qualify', () => {
    const s = componentStatusFromSet(['a'], ['b']);
    expect([s('a'), s('b'), s('z')]).toEqual(['qualifies', 'needs_information', 'does_not_qualify']);
  });

  it('energy consortium amounts add up, one child per payment', () => {
    const r = energyConsortiumAmounts(law.for(calendarYear(2025)), [{ id: 'e1', consortium: 'X', amount: usd(100) }, { id: 'e2', consortium: 'Y', amount: usd(50) }]);
    expect(r.kind === 'known' && r.value).toBe(usd(150));
    expect(r.why.children.length).toBe(2);
  });

  it('property: contract QREs are between 0 and the amount paid, and monotone in the amount', () => {
    const view = law.for(calendarYear(2025));
    const types = ['general', 'qualified_research_consortium', 'eligible_small_business', 'university', 'federal_laboratory'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(...types), fc.boolean(), (a, d, t, energy) => {
        const one = (amt: number) => qualifiedContractResearch(view, [{ id: 'k', payee: 'p', payeeType: t, energyResearch: energy, amount: amt as Cents, componentId: 'c1', taxpayerBearsRisk: true, taxpayerHasRights: true }], status);
        const x = one(a);
        const y = one(a + d);
        return x.kind === 'known' && y.kind === 'known' && x.value >= 0 && x.value <= a && x.value <= y.value;
      }),
    );
  });
});
