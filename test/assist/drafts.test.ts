import { describe, expect, it } from 'vitest';
import { acceptDraft, applyDraft, checkCitations, draftComponentNarrative, draftInformationSought, DraftError, parseCitedText } from '../../src/assist/index.js';
import { attentionStudy } from './study-fixture.js';

const NOW = '2026-01-15T10:00:00Z';

describe('deterministic drafts cite only the study', () => {
  const study = attentionStudy();
  const ids = new Set([...(study.evidence ?? []).map((e) => e.id), 'interview:uncertainty', 'interview:purpose', 'interview:science']);

  it('information sought (line 49(f)): the uncertainty and the goal, every sentence cited, sha256 carried', () => {
    const d = draftInformationSought(study, 'bc-attn', { now: NOW });
    expect(d.status).toBe('proposed');
    expect(d.problems).toEqual([]);
    expect(d.sentences.length).toBeGreaterThanOrEqual(2);
    for (const s of d.sentences) {
      expect(s.cites.length).toBeGreaterThan(0);
      for (const c of s.cites) expect(ids.has(c), c).toBe(true);
    }
    expect(d.sentences[0]!.text).toMatch(/did not know whether any candidate attention mechanism/);
    expect(d.sentences[0]!.cites).toEqual(['interview:uncertainty', 'ev-adr-7']);
    expect(d.citations.find((c) => c.id === 'ev-adr-7')!.sha256).toBe('a'.repeat(64));
    expect(d.plainText).not.toMatch(/\[cite/);
    expect(d.generator).toEqual({ kind: 'deterministic', version: '1' });
  });

  it('business-risk-only answers give no information-sought text: a rejected draft with the gap named', () => {
    const d = draftInformationSought(study, 'bc-ui', { now: NOW });
    expect(d.status).toBe('rejected');
    expect(d.text).toBe('');
    expect(d.gaps.join()).toMatch(/technical uncertainty/);
  });

  it('component narrative: four-part order, the failed run stated from its own record, gaps listed not invented', () => {
    const d = draftComponentNarrative(study, 'bc-attn', { now: NOW });
    expect(d.status).toBe('proposed');
    expect(d.text).toMatch(/Run 31 \(sparse variant B\) ended in failure \(2025-04-18\)\. \[cite: ev-run-31\]/);
    expect(d.text).toMatch(/The records of Sparse-grouped attention run from 2025-02-03 to 2025-09-30\. \[cite: ev-adr-7, ev-bench-2\]/);
    for (const s of d.sentences) for (const c of s.cites) expect(ids.has(c)).toBe(true);
    const iPurpose = d.text.indexOf('reduce pretraining compute');
    const iScience = d.text.indexOf('machine learning theory');
    expect(iPurpose).toBeGreaterThanOrEqual(0);
    expect(iScience).toBeGreaterThan(iPurpose);
  });
});

describe('citation checks', () => {
  const study = attentionStudy();
  it('an id that is not in the study rejects; an uncited sentence rejects; another component’s item warns', () => {
    const c = checkCitations('The variant failed. [cite: ev-run-31, ev-run-99] It was fast. The third claim. [cite: ev-adr-7]', study, 'bc-attn');
    expect(c.problems.join('\n')).toMatch(/"ev-run-99", which is not/);
    expect(c.problems.join('\n')).toMatch(/cites nothing.*It was fast\./);
    const w = checkCitations('Other work. [cite: interview:uncertainty]', { ...study, evidence: [...study.evidence!, { id: 'ev-x', kind: 'ticket', title: 'x', componentIds: ['bc-ui'], employeeIds: [] }] }, 'bc-attn');
    expect(w.problems).toEqual([]);
    const w2 = checkCitations('Other work. [cite: ev-x]', { ...study, evidence: [...study.evidence!, { id: 'ev-x', kind: 'ticket', title: 'x', componentIds: ['bc-ui'], employeeIds: [] }] }, 'bc-attn');
    expect(w2.warnings.join()).toMatch(/linked to other components/);
  });
  it('interview ids are those of this component only', () => {
    expect(checkCitations('A claim. [cite: interview:purpose]', study, 'bc-ui').problems.join()).toMatch(/not an evidence item or interview answer/);
  });
  it('parses markers: two markers after one sentence, text without markers', () => {
    const p = parseCitedText('One. [cite: a] [cite: b; c] Two [cite: d]');
    expect(p.sentences).toEqual([{ text: 'One.', cites: ['a', 'b', 'c'] }, { text: 'Two', cites: ['d'] }]);
    expect(p.plainText).toBe('One. Two');
  });
});

describe('accepting and applying', () => {
  it('only an accepted information-sought draft changes the study, in a new Study', () => {
    const study = attentionStudy();
    const d = draftInformationSought(study, 'bc-attn', { now: NOW });
    expect(() => applyDraft(study, d)).toThrow(/not been accepted/);
    expect(() => acceptDraft(d, '  ', NOW)).toThrow(DraftError);
    expect(() => acceptDraft(d, 'J. Reviewer', '2026-01-15')).toThrow(/timestamp/);
    const ok = acceptDraft(d, 'J. Reviewer, CPA', NOW);
    expect(ok).toMatchObject({ status: 'accepted', acceptedBy: 'J. Reviewer, CPA', acceptedAt: NOW });
    expect(d.status).toBe('proposed'); // the original is unchanged
    expect(() => acceptDraft(ok, 'x', NOW)).toThrow(/only a proposed draft/);
    const next = applyDraft(study, ok);
    expect(next).not.toBe(study);
    expect(next.components.find((c) => c.id === 'bc-attn')!.informationSought).toBe(d.plainText);
    expect(study.components.find((c) => c.id === 'bc-attn')!.informationSought).toBeUndefined();
  });
  it('refuses a rejected draft, a narrative draft, another study, and a study that lost a cited item', () => {
    const study = attentionStudy();
    expect(() => acceptDraft(draftInformationSought(study, 'bc-ui', { now: NOW }), 'x', NOW)).toThrow(/rejected/);
    const narrative = acceptDraft(draftComponentNarrative(study, 'bc-attn', { now: NOW }), 'x', NOW);
    expect(() => applyDraft(study, narrative)).toThrow(/report/);
    const ok = acceptDraft(draftInformationSought(study, 'bc-attn', { now: NOW }), 'x', NOW);
    expect(() => applyDraft({ ...study, id: 'other' }, ok)).toThrow(/made for study/);
    expect(() => applyDraft({ ...study, evidence: [] }, ok)).toThrow(/no longer checks/);
  });
});
