/** Invariants of the qualification rules, over random studies (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLaw } from '../../src/law/index.js';
import { cmpRate, ratio, RATE_ONE, RATE_ZERO } from '../../src/money/rate.js';
import { calendarYear } from '../../src/periods/index.js';
import { EXPECTED, measureSubstantiallyAll, Q } from '../../src/rules/qualification/index.js';
import { qualifyStudy, SUBSTANTIALLY_ALL_PARAM } from '../../src/study/qualify/index.js';
import type { BusinessComponent, InterviewAnswer, TimeRecord } from '../../src/study/model.js';
import { emptyStudy } from '../support/study.js';

const law = loadLaw();
const threshold = law.for(calendarYear(2025)).rate(null, SUBSTANTIALLY_ALL_PARAM);

/** A random valid answer to any question the rules read. */
const answerArb: fc.Arbitrary<InterviewAnswer> = fc.constantFrom(...Object.keys(EXPECTED)).chain((question) => {
  const e = EXPECTED[question as keyof typeof EXPECTED];
  const opts = e.options ?? ['alpha', 'beta', 'gamma'];
  const value: fc.Arbitrary<InterviewAnswer['value']> =
    e.type === 'yes_no'
      ? fc.boolean()
      : e.type === 'choice'
        ? fc.constantFrom(...opts)
        : e.type === 'list'
          ? fc.subarray(opts)
          : e.type === 'date'
            ? fc.constantFrom('2024-12-31', '2025-01-01', '2025-06-30', '2025-12-31', '2026-01-01')
            : e.type === 'number'
              ? fc.nat(50)
              : fc.constantFrom('text of an answer', 'another answer');
  return value.map((v) => ({ question, value: v }));
});

const timeArb = (ids: string[]): fc.Arbitrary<TimeRecord> =>
  fc.record({
    employeeId: fc.constantFrom('e1', 'e2'),
    componentId: fc.constantFrom(...ids),
    activity: fc.constantFrom('direct_research', 'direct_supervision', 'direct_support', 'non_qualified') as fc.Arbitrary<TimeRecord['activity']>,
    hours: fc.integer({ min: 1, max: 4000 }).map((q) => q / 4),
    experimentation: fc.option(fc.boolean(), { nil: undefined }),
    location: fc.option(fc.constantFrom({ country: 'US', state: 'ID' }, { country: 'US', state: 'WA' }, { country: 'IN' }), { nil: undefined }),
    basis: fc.option(fc.constantFrom('time_entries', 'survey', 'estimate') as fc.Arbitrary<NonNullable<TimeRecord['basis']>>, { nil: undefined }),
  }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as TimeRecord);

const ids = ['A', 'B', 'C', 'D'];
const studyArb = fc
  .record({
    parents: fc.tuple(fc.constant(undefined), fc.constantFrom(undefined, 'A'), fc.constantFrom(undefined, 'A', 'B'), fc.constantFrom(undefined, 'A', 'B', 'C')),
    classes: fc.array(fc.constantFrom(undefined, 'non_ius', 'ius', 'dual_function', 'excepted'), { minLength: 4, maxLength: 4 }),
    cpDates: fc.array(fc.constantFrom(undefined, '2024-06-01', '2025-01-01', '2025-07-01', '2026-03-01'), { minLength: 4, maxLength: 4 }),
    time: fc.array(timeArb(ids), { maxLength: 25 }),
    interviews: fc.array(fc.array(answerArb, { maxLength: 30 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ parents, classes, cpDates, time, interviews }) =>
    emptyStudy({
      taxpayer: { ...emptyStudy().taxpayer, states: ['ID'] },
      employees: [
        { id: 'e1', name: 'E1', officer: true, role: 'executive' },
        { id: 'e2', name: 'E2', officer: false, role: 'engineer' },
      ],
      components: ids.map(
        (id, i): BusinessComponent => ({
          id,
          name: id,
          type: 'software',
          qualification: 'needs_information',
          ...(parents[i] ? { parentId: parents[i] } : {}),
          ...(classes[i] ? { softwareClass: classes[i] as BusinessComponent['softwareClass'] } : {}),
          ...(cpDates[i] ? { commercialProductionDate: cpDates[i] as BusinessComponent['commercialProductionDate'] } : {}),
        }),
      ),
      time,
      interviews: ids.map((componentId, i) => ({ componentId, answers: interviews[i]! })),
    }),
  );

describe('qualification invariants', () => {
  it('a component with an exclusion that applies, or a test not met, never qualifies; one that qualifies has all tests met and no exclusion applying or unknown', () => {
    fc.assert(
      fc.property(studyArb, (study) => {
        const r = qualifyStudy(study, { law });
        for (const c of r.components) {
          const excluded = c.exclusions.some((e) => e.applies === true);
          const failed = c.tests.some((t) => t.status === 'not_met');
          if (excluded || failed) expect(c.result).toBe('does_not_qualify');
          if (c.result === 'qualifies') {
            expect(c.tests.every((t) => t.status === 'met')).toBe(true);
            expect(c.exclusions.every((e) => e.applies === false)).toBe(true);
          }
          expect(c.exclusions.map((e) => e.exclusion).length).toBe(8);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('shares are in [0, 1], readiness scores in [0, 100], and a passing share is at least the threshold', () => {
    fc.assert(
      fc.property(studyArb, (study) => {
        const r = qualifyStudy(study, { law });
        expect(r.readiness.score).toBeGreaterThanOrEqual(0);
        expect(r.readiness.score).toBeLessThanOrEqual(100);
        for (const c of r.components) {
          const s = c.substantiallyAll;
          if (s.share !== null) {
            const [i, f = ''] = s.share.split('.');
            const v = ratio(BigInt(i! + f), 10n ** BigInt(f.length));
            expect(cmpRate(v, RATE_ZERO) >= 0 && cmpRate(v, RATE_ONE) <= 0).toBe(true);
          }
          expect(Number.isInteger(c.readiness.score) && c.readiness.score >= 0 && c.readiness.score <= 100).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the measure never passes when the flagged share is below the threshold, and a passing shrink-back target passes', () => {
    fc.assert(
      fc.property(studyArb, (study) => {
        const lines = study.time.map((t) => ({ componentId: t.componentId!, amount: ratio(BigInt(t.hours * 4), 4n), ...(t.experimentation !== undefined ? { experimentation: t.experimentation } : {}) }));
        const { results } = measureSubstantiallyAll({ components: study.components, hours: lines, costs: [], threshold });
        for (const m of results.values()) {
          if (m.share && cmpRate(m.share, threshold) < 0) expect(m.passes).not.toBe(true);
          if (m.passes === true) expect(cmpRate(m.share!, threshold)).toBeGreaterThanOrEqual(0);
          if (m.shrinkBack?.to) expect(results.get(m.shrinkBack.to)!.passes).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answering "yes" to an exclusion question always prevents qualification', () => {
    const exclusionQs = [Q.adaptation, Q.duplication, Q.surveys, Q.socialSciences];
    fc.assert(
      fc.property(studyArb, fc.constantFrom(...exclusionQs), (study, q) => {
        const withYes = {
          ...study,
          interviews: study.interviews!.map((iv) => ({ ...iv, answers: [{ question: q, value: true }, ...iv.answers.filter((a) => a.question !== q)] })),
        };
        for (const c of qualifyStudy(withYes, { law }).components) expect(c.result).toBe('does_not_qualify');
      }),
      { numRuns: 60 },
    );
  });
});
