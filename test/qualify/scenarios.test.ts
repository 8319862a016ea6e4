/**
 * Scenario studies (test/qualify/scenarios/*.yaml): the seed's AI/ML case studies and the facts of
 * the court cases in defensible-study.md, each run through qualifyStudy. Every expectation is
 * written in the scenario with the reason and the source.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { qualifyStudy } from '../../src/study/qualify/index.js';
import { loadScenarios, scenarioLedger, scenarioStudy } from './scenario.js';

const scenarios = loadScenarios(fileURLToPath(new URL('./scenarios', import.meta.url)));

describe('qualification scenarios', () => {
  it('has the seed case studies and the court cases', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
  });

  for (const s of scenarios) {
    describe(`${s.file}: ${s.name}`, () => {
      // A captured item of a scenario is in the ledger: the scenario's ledger holds its bytes.
      const study = scenarioStudy(s);
      const report = qualifyStudy(study, { retained: scenarioLedger(study) });
      it(s.expectProblems ? 'lists the problems it was built to have' : 'has no problems in its interviews or component tree', () => {
        const msgs = (report.problems ?? []).map((p) => p.message);
        expect(msgs.length).toBe(s.expectProblems?.length ?? 0);
        for (const want of s.expectProblems ?? []) expect(msgs.some((m) => m.includes(want)), `${want} in ${msgs.join(' | ')}`).toBe(true);
      });
      for (const [id, exp] of Object.entries(s.expect)) {
        const c = report.components.find((x) => x.componentId === id);
        it(`${id}: ${exp.result ?? 'checks'} — ${exp.why}`, () => {
          expect(c, `component ${id} in the report`).toBeDefined();
          if (exp.result) expect(c!.result, c!.reasons.join('\n')).toBe(exp.result);
          if (exp.share !== undefined) expect(c!.substantiallyAll.share).toBe(exp.share);
          if (exp.shrinkBackTo !== undefined) expect(c!.substantiallyAll.shrinkBack?.to ?? null).toBe(exp.shrinkBackTo);
          if (exp.failingTests) expect(c!.tests.filter((t) => t.status === 'not_met').map((t) => t.test).sort()).toEqual([...exp.failingTests].sort());
          if (exp.excludedBy) expect(c!.exclusions.filter((e) => e.applies === true).map((e) => e.exclusion).sort()).toEqual([...exp.excludedBy].sort());
          for (const [check, status] of Object.entries(exp.checks ?? {})) {
            const k = c!.readiness.checks.find((x) => x.id === check);
            expect(k, `check ${check}`).toBeDefined();
            expect(`${check}: ${k!.status}`, k!.message).toBe(`${check}: ${status}`);
          }
        });
      }
    });
  }
});
