/** The interview definition (data/qualification/interview.yaml) and the checking of answers. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EXCLUSION_KEYS, EXPECTED, parseInterviewDefinition, Q, TEST_IDS, validateAnswers } from '../../src/rules/qualification/index.js';
import { defaultQualificationDir, loadQualificationData, qualifyStudy } from '../../src/study/qualify/index.js';
import { emptyStudy } from '../support/study.js';

const raw = parse(readFileSync(`${defaultQualificationDir()}/interview.yaml`, 'utf8'));
const def = loadQualificationData().interview;

describe('interview definition', () => {
  it('is valid, covers every test and exclusion, and cites a source for every question', () => {
    expect(parseInterviewDefinition(raw).problems).toEqual([]);
    for (const s of [...TEST_IDS, ...EXCLUSION_KEYS]) expect(def.questions.some((q) => q.section === s), s).toBe(true);
    for (const q of def.questions) expect(q.citations.length, q.id).toBeGreaterThan(0);
  });

  it('has every question the rules read, with the type and options the rules expect', () => {
    for (const [id, want] of Object.entries(EXPECTED)) {
      const q = def.questions.find((x) => x.id === id);
      expect(q, id).toBeDefined();
      expect(q!.type, id).toBe(want.type);
      if (want.options) expect(Object.keys(q!.options ?? {}).sort(), id).toEqual([...want.options].sort());
    }
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.values(Q).sort());
  });

  it('rejects duplicate ids, unknown sections, choices without options, required_when on an unknown question and missing citations', () => {
    const q0 = raw.questions[0];
    const bad = (patch: (d: typeof raw) => void) => {
      const d = structuredClone(raw);
      patch(d);
      return parseInterviewDefinition(d).problems.join('\n');
    };
    expect(bad((d) => d.questions.push({ ...q0 }))).toMatch(/pp.purpose: defined twice/);
    expect(bad((d) => (d.questions[0].section = 'marketing'))).toMatch(/section/);
    expect(bad((d) => d.questions.push({ ...q0, id: 'pp.extra', type: 'choice', options: undefined }))).toMatch(/needs at least two options/);
    expect(bad((d) => d.questions.push({ ...q0, id: 'pp.extra2', required: false, required_when: { question: 'no.such', equals: true } }))).toMatch(/unknown question no.such/);
    expect(bad((d) => (d.questions[0].citations = []))).toMatch(/cites its source/);
    expect(bad((d) => (d.sections = d.sections.filter((s: { id: string }) => s.id !== 'funded_research')))).toMatch(/funded_research/);
  });
});

describe('answers', () => {
  const ledger = new Set(['E1']);
  it('an unknown question id is an error and the answer is ignored', () => {
    const r = validateAnswers(def, 'C', [{ question: 'pp.purpse', value: ['performance'] }], ledger);
    expect(r.answers.size).toBe(0);
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'error', questionId: 'pp.purpse', message: expect.stringMatching(/unknown question id/) })]);
  });

  it('values are checked against the type; yes/no accepts yes, no, true, false', () => {
    const r = validateAnswers(
      def,
      'C',
      [
        { question: Q.componentUse, value: 'yes' },
        { question: Q.purpose, value: ['speed'] },
        { question: Q.uncertaintyDocumentedOn, value: '2025-02-30' },
        { question: Q.trials, value: -1 },
        { question: Q.foreign, value: 'none' },
        { question: Q.alternatives, value: 'A; B; C' },
      ],
      ledger,
    );
    expect(r.answers.get(Q.componentUse)!.value).toBe(true);
    expect(r.answers.get(Q.foreign)!.value).toBe('none');
    expect(r.answers.get(Q.alternatives)!.value).toEqual(['A', 'B', 'C']);
    expect(r.problems.map((p) => p.questionId).sort()).toEqual([Q.purpose, Q.uncertaintyDocumentedOn, Q.trials].sort());
  });

  it('evidence not in the ledger is a warning; a question answered twice is an error', () => {
    const r = validateAnswers(
      def,
      'C',
      [
        { question: Q.hypotheses, value: 'h', evidenceIds: ['E1', 'E9'] },
        { question: Q.hypotheses, value: 'again' },
      ],
      ledger,
    );
    expect(r.answers.get(Q.hypotheses)!.value).toBe('h');
    expect(r.problems.map((p) => `${p.severity}: ${p.message}`)).toEqual([expect.stringMatching(/^warning: .*E9/), expect.stringMatching(/^error: .*more than once/)]);
  });

  it('qualifyStudy reports an unknown question id and an interview for an unknown component', () => {
    const study = emptyStudy({
      components: [{ id: 'C', name: 'c', type: 'software', qualification: 'needs_information' }],
      interviews: [
        { componentId: 'C', answers: [{ question: 'tu.knd', value: ['method'] }] },
        { componentId: 'Z', answers: [] },
      ],
    });
    const report = qualifyStudy(study);
    expect(report.problems!.map((p) => p.message)).toEqual([expect.stringMatching(/unknown question id "tu.knd"/), expect.stringMatching(/unknown component Z/)]);
    const check = report.components[0]!.readiness.checks.find((c) => c.id === 'interview_complete')!;
    expect(check.status).toBe('fail');
  });
});
