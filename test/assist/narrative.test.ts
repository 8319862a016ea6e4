import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { analyzeNarrative, compileLexicon, componentTexts, defaultLexiconPath, ELEMENTS, loadLexicon, splitSentences } from '../../src/assist/index.js';
import { emptyStudy } from '../support/study.js';
import { isoDate } from '../../src/periods/index.js';

const doc = parse(readFileSync(new URL('./fixtures/narrative/texts.yaml', import.meta.url), 'utf8')) as {
  texts: { name: string; source: string; text: string; expected: { elements?: Record<string, string>; flags?: string[]; notFlags?: string[] } }[];
};

describe('narrative analysis on the seed case studies and weak texts', () => {
  for (const t of doc.texts) {
    it(t.name, () => {
      expect(t.source).toBeTruthy();
      const a = analyzeNarrative([{ id: 'description', kind: 'description', text: t.text }]);
      for (const [el, status] of Object.entries(t.expected.elements ?? {})) expect(a.elements[el as 'purpose'].status, el).toBe(status);
      const ids = a.flags.map((f) => f.id);
      for (const f of t.expected.flags ?? []) expect(ids, f).toContain(f);
      for (const f of t.expected.notFlags ?? []) expect(ids, f).not.toContain(f);
      // every sentence relied on is exactly the slice of the source at its offsets
      for (const el of ELEMENTS) for (const s of a.elements[el].sentences) expect(t.text.slice(s.start, s.end)).toBe(s.text);
      for (const f of a.flags) for (const s of f.sentences) expect(t.text.slice(s.start, s.end)).toBe(s.text);
      // every flag carries a reason and a citation
      for (const f of a.flags) {
        expect(f.reason.length).toBeGreaterThan(10);
        expect(f.citation.length).toBeGreaterThan(3);
      }
    });
  }

  it('highlights the failure sentence of the foundation-model case and its offsets', () => {
    const text = doc.texts[0]!.text;
    const a = analyzeNarrative([{ id: 'd', kind: 'description', text }]);
    const fail = a.iterations.find((s) => /failed to converge/.test(s.text))!;
    expect(fail.text).toBe('Three of the six variants failed to converge on at least one reasoning benchmark.');
    expect(text.indexOf(fail.text)).toBe(fail.start);
    expect(fail.source).toBe('d');
  });

  it('business risk next to technical uncertainty is a warning, not business-risk-only', () => {
    const a = analyzeNarrative([{ id: 'd', kind: 'description', text: 'We did not know whether the retrieval architecture could reach the accuracy bar. We were also unsure whether customers would pay for it.' }]);
    const ids = a.flags.map((f) => f.id);
    expect(ids).toContain('business_risk');
    expect(ids).not.toContain('business_risk_only');
    expect(a.elements.uncertainty.status).toBe('found');
  });
});

describe('sentence splitting', () => {
  it('keeps abbreviations and decimals inside a sentence and splits at list items', () => {
    const t = 'Accuracy rose from 60.5% to 91.2%, e.g. on the U.S. cohort. Then we stopped.\n- first item\n- second item';
    const s = splitSentences(t).map((x) => x.text);
    expect(s).toEqual(['Accuracy rose from 60.5% to 91.2%, e.g. on the U.S. cohort.', 'Then we stopped.', 'first item', 'second item']);
  });
  it('property: every sentence is the slice at its offsets and sentences do not overlap', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('We tried it. ', 'It failed!', ' Why? ', 'e.g. this', '\n\n', '- a\n', '1.5 units. ', 'U.S. based. ', 'x'), { maxLength: 30 }), (parts) => {
        const t = parts.join('');
        const ss = splitSentences(t);
        let last = 0;
        for (const s of ss) {
          expect(t.slice(s.start, s.end)).toBe(s.text);
          expect(s.start).toBeGreaterThanOrEqual(last);
          last = s.end;
        }
      }),
    );
  });
});

describe('lexicon and component texts', () => {
  it('the lexicon file compiles, and a bad pattern is refused', () => {
    const lx = loadLexicon(defaultLexiconPath());
    expect(lx.elements.map((e) => e.id)).toEqual(['purpose', 'uncertainty', 'alternatives', 'experimentation', 'science']);
    for (const w of lx.weak) expect(w.reason).toBeTruthy();
    const bad = parse(readFileSync(defaultLexiconPath(), 'utf8'));
    bad.weak[0].cues[0].pattern = '(unclosed';
    expect(() => compileLexicon(bad)).toThrow();
  });

  it('collects a component’s description, interview answers and evidence summaries', () => {
    const study = emptyStudy({
      components: [{ id: 'bc1', name: 'Attention', type: 'software', qualification: 'needs_information', informationSought: 'Whether sparse attention can match quality.' }],
      evidence: [
        { id: 'ev1', kind: 'training_run', title: 'Run 12', summary: 'Diverged at step 4k.', componentIds: ['bc1'], employeeIds: [], claimedDate: isoDate('2025-03-01') },
        { id: 'ev2', kind: 'ticket', title: 'Other', componentIds: ['bc2'], employeeIds: [] },
      ],
      interviews: [{ componentId: 'bc1', answers: [{ question: 'uncertainty', value: 'We did not know which variant would converge.', evidenceIds: ['ev1'] }] }],
    });
    const t = componentTexts(study, 'bc1');
    expect(t.map((x) => x.id)).toEqual(['description', 'interview:uncertainty', 'evidence:ev1']);
    expect(t[1]!.evidenceIds).toEqual(['ev1']);
    expect(() => componentTexts(study, 'nope')).toThrow(/no component/);
  });
});
