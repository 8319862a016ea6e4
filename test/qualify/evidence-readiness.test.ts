/** Contemporaneity at the edges of the tax year, readiness checks as data, the score, decisions and the text render. */
import { describe, expect, it } from 'vitest';
import { calendarYear, fiscalYear } from '../../src/periods/index.js';
import { evidenceTiming, readinessScore } from '../../src/rules/qualification/index.js';
import { COMPONENT_CHECKS, STUDY_CHECKS } from '../../src/study/qualify/readiness.js';
import { loadQualificationData, qualifyStudy, recordDecision, renderQualificationText } from '../../src/study/qualify/index.js';
import type { Study } from '../../src/study/model.js';
import { loadScenarios, scenarioStudy } from './scenario.js';
import { fileURLToPath } from 'node:url';
import { emptyStudy } from '../support/study.js';

describe('contemporaneity (evidence dated inside the tax year vs after it vs undated)', () => {
  const y = calendarYear(2025);
  it.each([
    ['2024-12-31', 'before', true],
    ['2025-01-01', 'during', true],
    ['2025-12-31', 'during', true],
    ['2026-01-01', 'after', false],
  ] as const)('%s → %s', (d, timing, contemporaneous) => {
    expect(evidenceTiming(y, { claimedDate: d })).toMatchObject({ timing, contemporaneous });
  });

  it('a fiscal year ending June 30: the last day is inside, July 1 is after', () => {
    const fy = fiscalYear(2024, 7);
    expect(evidenceTiming(fy, { claimedDate: '2025-06-30' }).contemporaneous).toBe(true);
    expect(evidenceTiming(fy, { claimedDate: '2025-07-01' }).contemporaneous).toBe(false);
  });

  it('undated: captured into the ledger by the last day proves it existed then; otherwise undated', () => {
    expect(evidenceTiming(y, { capturedAt: '2025-12-31T23:00:00-07:00' })).toMatchObject({ timing: 'during', contemporaneous: true });
    expect(evidenceTiming(y, { capturedAt: '2026-01-02T08:00:00Z' })).toMatchObject({ timing: 'undated', contemporaneous: null });
    expect(evidenceTiming(y, {})).toMatchObject({ timing: 'undated', contemporaneous: null });
  });

  it('the claimed date decides even when capture was later (study-time capture of an old commit)', () => {
    expect(evidenceTiming(y, { claimedDate: '2025-03-01', capturedAt: '2026-02-01T00:00:00Z' }).contemporaneous).toBe(true);
  });
});

describe('readiness checks', () => {
  const data = loadQualificationData();
  it('every check in the data has logic, every piece of logic a check, and every check cites a source', () => {
    const comp = data.readiness.filter((c) => c.scope === 'component').map((c) => c.id).sort();
    const study = data.readiness.filter((c) => c.scope === 'study').map((c) => c.id).sort();
    expect(comp).toEqual(Object.keys(COMPONENT_CHECKS).sort());
    expect(study).toEqual(Object.keys(STUDY_CHECKS).sort());
    for (const c of data.readiness) expect(c.citations.length, c.id).toBeGreaterThan(0);
  });

  it('names the cases and sources the issue asks for', () => {
    const text = JSON.stringify(data.readiness.map((c) => c.citations));
    for (const s of ['20214101F', 'Section G', 'IDAPA 35.01.01.723', 'Siemer', 'Little Sandy Coal', 'Moore', 'Betz', 'Phoenix Design', 'Kyocera']) expect(text, s).toContain(s);
  });

  it('scores: pass = weight, warn = half, fail = 0, na left out; rounded half up', () => {
    expect(readinessScore([{ status: 'pass', weight: 3 }])).toBe(100);
    expect(readinessScore([{ status: 'fail', weight: 3 }])).toBe(0);
    expect(readinessScore([{ status: 'pass', weight: 1 }, { status: 'warn', weight: 1 }, { status: 'na', weight: 5 }])).toBe(75);
    // 1 of 3 → 33.33 → 33; 2 of 3 → 66.67 → 67; 1 of 8 = 12.5 → 13
    expect(readinessScore([{ status: 'pass', weight: 1 }, { status: 'fail', weight: 2 }])).toBe(33);
    expect(readinessScore([{ status: 'pass', weight: 2 }, { status: 'fail', weight: 1 }])).toBe(67);
    expect(readinessScore([{ status: 'warn', weight: 1 }, { status: 'fail', weight: 3 }])).toBe(13);
    expect(readinessScore([{ status: 'na', weight: 1 }])).toBeNull();
  });

  it('research time on no component fails the study check and lowers the study score', () => {
    const base = emptyStudy({ components: [{ id: 'C', name: 'c', type: 'product', qualification: 'needs_information' }] });
    const loose = emptyStudy({ ...base, time: [{ employeeId: 'e', activity: 'direct_research', hours: 10 }] });
    const a = qualifyStudy(base);
    const b = qualifyStudy(loose);
    expect(a.readiness.checks.find((c) => c.id === 'components_identified')!.status).toBe('pass');
    expect(b.readiness.checks.find((c) => c.id === 'components_identified')!.status).toBe('fail');
    expect(b.readiness.score).toBeLessThan(a.readiness.score);
  });
});

describe('recordDecision', () => {
  const study: Study = emptyStudy({ components: [{ id: 'C', name: 'c', type: 'product', qualification: 'needs_information' }], qualificationLog: [] });
  it('returns a new study with the result and a decision appended; the original is untouched', () => {
    const frozen = structuredClone(study);
    const next = recordDecision(study, 'C', 'qualifies', 'J. Reviewer', 'Interview reviewed with the lead engineer', '2026-03-01T10:00:00Z');
    expect(study).toEqual(frozen);
    expect(next.components[0]).toMatchObject({ qualification: 'qualifies', qualificationReason: 'Interview reviewed with the lead engineer' });
    expect(next.qualificationLog).toEqual([{ componentId: 'C', result: 'qualifies', previous: 'needs_information', by: 'J. Reviewer', at: '2026-03-01T10:00:00Z', why: 'Interview reviewed with the lead engineer' }]);
    const again = recordDecision(next, 'C', 'does_not_qualify', 'K. Partner', 'Funded by the customer', '2026-03-02T09:00:00+02:00');
    expect(again.qualificationLog!.length).toBe(2);
    expect(again.qualificationLog![0]).toBe(next.qualificationLog![0]);
    expect(again.qualificationLog![1]!.previous).toBe('qualifies');
    expect(next.qualificationLog!.length).toBe(1);
    const report = qualifyStudy(again);
    expect(report.components[0]!.lastDecision).toMatchObject({ by: 'K. Partner', result: 'does_not_qualify' });
  });

  it('refuses an unknown component, an empty who or why, and a timestamp without a zone', () => {
    expect(() => recordDecision(study, 'X', 'qualifies', 'a', 'b', '2026-03-01T10:00:00Z')).toThrow(/no component X/);
    expect(() => recordDecision(study, 'C', 'qualifies', ' ', 'b', '2026-03-01T10:00:00Z')).toThrow(/who/);
    expect(() => recordDecision(study, 'C', 'qualifies', 'a', '', '2026-03-01T10:00:00Z')).toThrow(/reason/);
    expect(() => recordDecision(study, 'C', 'qualifies', 'a', 'b', '2026-03-01 10:00')).toThrow(/ISO 8601/);
  });
});

describe('renderQualificationText', () => {
  const scenarios = loadScenarios(fileURLToPath(new URL('./scenarios', import.meta.url)));
  it('prints each component with its result, tests, substantially-all, shrink-back and failed checks', () => {
    const s = scenarios.find((x) => x.file === 'seed-legaltech-rag.yaml')!;
    const text = renderQualificationText(qualifyStudy(scenarioStudy(s)));
    expect(text).toMatch(/4 business component\(s\): 2 qualify, 2 do not, 0 need information/);
    expect(text).toMatch(/ASSIST  Legal research assistant\n  Result: DOES NOT QUALIFY/);
    expect(text).toMatch(/Substantially all: 62\.86% by hours \(threshold 80%\) → fails/);
    expect(text).toMatch(/RET is the most significant sub-component that passes \(90%\)/);
    expect(text).toMatch(/RET  Multi-stage retrieval with citation-aware re-ranking {2}\(part of ASSIST\)\n  Result: QUALIFIES/);
  });

  it('shows evidence timing for a study whose evidence straddles the year end', () => {
    const s = scenarios.find((x) => x.file === 'seed-radiology-vlm.yaml')!;
    const report = qualifyStudy(scenarioStudy(s));
    const ev = report.components[0]!.evidence;
    expect(ev.find((e) => e.id === 'VLM-BENCH')!.contemporaneous).toBe(true); // 2025-06-30, the last day
    expect(ev.find((e) => e.id === 'VLM-PLAN')!.contemporaneous).toBe(true); // 2024-07-01, the first day
    expect(ev.find((e) => e.id === 'VLM-NARR')!.contemporaneous).toBe(false);
    expect(renderQualificationText(report)).toMatch(/Evidence: 4 item\(s\): 3 contemporaneous, 1 after the tax year, 0 undated/);
  });
});

