/** The §41(d)(4) exclusions branch by branch (pure rules, no study). */
import { describe, expect, it } from 'vitest';
import { rate, RATE_ZERO } from '../../src/money/rate.js';
import { calendarYear } from '../../src/periods/index.js';
import { explainer } from '../../src/explain/build.js';
import { afterCommercialProduction, foreignResearch, fundedResearch, internalUseSoftware, Q, type Answer, type ComponentEvaluationInput } from '../../src/rules/qualification/index.js';

const answers = (a: Record<string, Answer['value']>): Map<string, Answer> => new Map(Object.entries(a).map(([question, value]) => [question, { question, value, evidenceIds: [], from: 'C' }]));
function input(a: Record<string, Answer['value']>, facts: Partial<ComponentEvaluationInput['facts']> = {}): ComponentEvaluationInput {
  return {
    period: calendarYear(2025),
    facts: { id: 'C', name: 'c', type: 'software', hoursByPlace: { us: RATE_ZERO, foreign: RATE_ZERO, unknown: RATE_ZERO }, ...facts },
    answers: answers(a),
    measure: { componentId: 'C', basis: 'none', method: '', total: RATE_ZERO, experimentation: RATE_ZERO, unflagged: RATE_ZERO, share: null, passes: null, why: explainer('x', 'x', []).build('') },
    threshold: rate('0.8'),
  };
}

describe('after commercial production (§41(d)(4)(A))', () => {
  it.each([
    ['2024-12-31', true, false],
    ['2025-01-01', true, false], // began on the first day: the whole year is after it
    ['2025-01-02', false, true], // began inside the year: partly excluded from that date
    ['2025-12-31', false, true],
    ['2026-01-01', false, false],
  ] as const)('commercial production on %s → applies %s, partial %s', (date, applies, partial) => {
    const r = afterCommercialProduction(input({}, { commercialProductionDate: date }));
    expect(r.applies).toBe(applies);
    expect(Boolean(r.partial)).toBe(partial);
    if (partial) expect(r.partial!.from).toBe(date);
  });
  it('the component date wins over the answer; "reached" without a date is unknown; no answer is unknown', () => {
    expect(afterCommercialProduction(input({ [Q.cpReached]: true, [Q.cpDate]: '2026-05-01' }, { commercialProductionDate: '2024-01-01' })).applies).toBe(true);
    expect(afterCommercialProduction(input({ [Q.cpReached]: true })).applies).toBe('unknown');
    expect(afterCommercialProduction(input({ [Q.cpReached]: false })).applies).toBe(false);
    expect(afterCommercialProduction(input({})).applies).toBe('unknown');
  });
});

describe('internal-use software and the high threshold of innovation (§41(d)(4)(E); Reg. §1.41-4(c)(6))', () => {
  const hti = (i: boolean | undefined, r: boolean | undefined, n: boolean | undefined) =>
    Object.fromEntries(
      [
        [Q.iusInnovative, i],
        [Q.iusEconomicRisk, r],
        [Q.iusNotAvailable, n],
      ].filter(([, v]) => v !== undefined),
    ) as Record<string, boolean>;
  it.each([
    ['non_ius', {}, false],
    ['excepted', {}, false],
    ['ius', hti(true, true, true), false],
    ['ius', hti(true, true, false), true],
    ['ius', hti(true, undefined, true), 'unknown'],
    ['dual_function', hti(false, true, true), true],
    ['dual_function', { ...hti(false, true, true), [Q.iusThirdPartySubset]: true }, false],
  ] as const)('%s with %j → applies %s', (cls, a, applies) => {
    expect(internalUseSoftware(input(a, { softwareClass: cls })).applies).toBe(applies);
  });
  it('software with no class is unknown; a product is not software; the answer overrides the recorded class', () => {
    expect(internalUseSoftware(input({})).applies).toBe('unknown');
    expect(internalUseSoftware(input({}, { type: 'product' })).applies).toBe(false);
    expect(internalUseSoftware(input({ [Q.iusClass]: 'ius', [Q.iusInnovative]: false }, { softwareClass: 'non_ius' })).applies).toBe(true);
  });
});

describe('foreign research (§41(d)(4)(F))', () => {
  const place = (us: string, foreign: string, unknown: string) => ({ hoursByPlace: { us: rate(us), foreign: rate(foreign), unknown: rate(unknown) } });
  it('decides from located time records, and from the answer for the rest', () => {
    expect(foreignResearch(input({}, place('100', '0', '0'))).applies).toBe(false);
    expect(foreignResearch(input({}, place('0', '40', '0'))).applies).toBe(true);
    const part = foreignResearch(input({ [Q.foreign]: 'none' }, place('60', '40', '0')));
    expect(part.applies).toBe(false);
    expect(part.partial).toBeDefined(); // the records show foreign hours even though the answer says none
    expect(foreignResearch(input({}, place('60', '0', '10'))).applies).toBe('unknown');
    expect(foreignResearch(input({ [Q.foreign]: 'none' }, place('60', '0', '10'))).applies).toBe(false);
    expect(foreignResearch(input({ [Q.foreign]: 'all' }, place('0', '0', '10'))).applies).toBe(true);
  });
});

describe('funded research (§41(d)(4)(H); Reg. §1.41-4A(d))', () => {
  it.each([
    [{ [Q.funded]: false }, false, false],
    [{ [Q.funded]: true, [Q.fundedRights]: false }, true, false],
    [{ [Q.funded]: true, [Q.fundedRights]: false, [Q.fundedContingent]: true }, true, false],
    [{ [Q.funded]: true, [Q.fundedRights]: true, [Q.fundedContingent]: true }, false, false],
    [{ [Q.funded]: true, [Q.fundedRights]: true, [Q.fundedContingent]: false }, false, true],
    [{ [Q.funded]: true, [Q.fundedRights]: true }, 'unknown', false],
    [{}, 'unknown', false],
  ] as const)('%j → applies %s, reduced by funding %s', (a, applies, partial) => {
    const r = fundedResearch(answers(a));
    expect(r.applies).toBe(applies);
    expect(Boolean(r.partial)).toBe(partial);
  });
});
