/**
 * Drafts of study text (Form 6765 Section G line 49(f) "information sought to be discovered", and
 * a component narrative) that may cite only what is in the study: evidence items by id (with their
 * SHA-256 when captured) and the component's interview answers (`interview:<question>`).
 *
 * Citation syntax, after each sentence: `[cite: ev-17, interview:uncertainty]`.
 * A draft is a proposal (`status: 'proposed'`) until a named person accepts it (`acceptDraft`);
 * only an accepted draft of the information sought can be applied to a study (`applyDraft`),
 * which returns a new Study and leaves the old one untouched.
 */
import { createHash } from 'node:crypto';
import type { Study } from '../../study/model.js';
import { splitSentences } from '../narrative/analyze.js';

export type DraftKind = 'information_sought' | 'component_narrative';

export interface CitationRef {
  id: string;
  kind: 'evidence' | 'interview';
  title: string;
  sha256?: string;
  claimedDate?: string;
}

export interface DraftSentence {
  text: string;
  cites: string[];
}

export type DraftGenerator = { kind: 'deterministic'; version: string } | { kind: 'llm'; model: string; callId: string };

export interface Draft {
  id: string;
  kind: DraftKind;
  studyId: string;
  componentId: string;
  /** The text with its citation markers. */
  text: string;
  /** The text without citation markers (what goes on the form). */
  plainText: string;
  sentences: DraftSentence[];
  /** Every item cited, resolved against the study. */
  citations: CitationRef[];
  /** Elements the study's records do not support (not written into the text). */
  gaps: string[];
  generator: DraftGenerator;
  status: 'proposed' | 'accepted' | 'rejected';
  /** Why a draft is rejected: uncited sentences, citations to ids not in the study, no content. */
  problems: string[];
  /** Remarks that do not reject the draft (e.g. an item linked to another component). */
  warnings: string[];
  createdAt: string;
  acceptedBy?: string;
  acceptedAt?: string;
}

const MARKER = /\[cite:\s*([^\]]*)\]/gi;

/** The ids the study lets a draft for this component cite, resolved to what they are. */
export function citableItems(study: Study, componentId: string): Map<string, CitationRef & { componentIds?: string[] }> {
  const out = new Map<string, CitationRef & { componentIds?: string[] }>();
  for (const e of study.evidence ?? [])
    out.set(e.id, {
      id: e.id,
      kind: 'evidence',
      title: e.title,
      ...(e.sha256 ? { sha256: e.sha256 } : {}),
      ...(e.claimedDate ? { claimedDate: e.claimedDate } : {}),
      componentIds: e.componentIds,
    });
  const iv = study.interviews?.find((i) => i.componentId === componentId);
  for (const a of iv?.answers ?? []) out.set(`interview:${a.question}`, { id: `interview:${a.question}`, kind: 'interview', title: `interview answer "${a.question}"${a.answeredBy ? ` by ${a.answeredBy}` : ''}`, ...(a.answeredAt ? { claimedDate: a.answeredAt.slice(0, 10) } : {}) });
  return out;
}

/** Splits marked-up text into sentences with the ids each cites (a marker cites the sentence before it). */
export function parseCitedText(text: string): { sentences: DraftSentence[]; plainText: string } {
  const sentences: DraftSentence[] = [];
  let last = 0;
  const plain: string[] = [];
  const take = (segment: string, cites: string[]) => {
    const ss = splitSentences(segment);
    ss.forEach((s, i) => sentences.push({ text: s.text, cites: i === ss.length - 1 ? cites : [] }));
    plain.push(segment);
  };
  for (const m of text.matchAll(MARKER)) {
    const ids = m[1]!
      .split(/[,;]/)
      .map((x) => x.trim())
      .filter(Boolean);
    const segment = text.slice(last, m.index);
    if (segment.trim()) take(segment, ids);
    else if (sentences.length) sentences[sentences.length - 1]!.cites.push(...ids); // two markers in a row
    last = m.index! + m[0].length;
  }
  const tail = text.slice(last);
  if (tail.trim()) take(tail, []);
  const plainText = plain
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([.,;:])/g, '$1')
    .trim();
  return { sentences, plainText };
}

/** Checks a marked-up text against the study: every sentence cited, every id in the study. */
export function checkCitations(text: string, study: Study, componentId: string): { sentences: DraftSentence[]; plainText: string; citations: CitationRef[]; problems: string[]; warnings: string[] } {
  const items = citableItems(study, componentId);
  const { sentences, plainText } = parseCitedText(text);
  const problems: string[] = [];
  const warnings: string[] = [];
  const cited = new Map<string, CitationRef>();
  if (!sentences.length) problems.push('the draft has no text');
  for (const s of sentences) {
    if (!s.cites.length) problems.push(`sentence cites nothing (cite or leave it out): "${s.text}"`);
    for (const id of s.cites) {
      const it = items.get(id);
      if (!it) {
        problems.push(`cites "${id}", which is not an evidence item or interview answer of this study`);
        continue;
      }
      if (it.componentIds && !it.componentIds.includes(componentId)) warnings.push(`cites "${id}", which is linked to other components (${it.componentIds.join(', ') || 'none'})`);
      const { componentIds: _c, ...ref } = it;
      cited.set(id, ref);
    }
  }
  return { sentences, plainText, citations: [...cited.values()], problems: [...new Set(problems)], warnings: [...new Set(warnings)] };
}

export function draftId(kind: DraftKind, componentId: string, text: string): string {
  return `${kind}:${componentId}:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

/** Builds a draft from marked-up text, checked against the study. */
export function makeDraft(args: { kind: DraftKind; study: Study; componentId: string; text: string; generator: DraftGenerator; gaps?: string[]; createdAt: string }): Draft {
  const c = checkCitations(args.text, args.study, args.componentId);
  return {
    id: draftId(args.kind, args.componentId, args.text),
    kind: args.kind,
    studyId: args.study.id,
    componentId: args.componentId,
    text: args.text,
    plainText: c.plainText,
    sentences: c.sentences,
    citations: c.citations,
    gaps: args.gaps ?? [],
    generator: args.generator,
    status: c.problems.length ? 'rejected' : 'proposed',
    problems: c.problems,
    warnings: c.warnings,
    createdAt: args.createdAt,
  };
}

export class DraftError extends Error {
  override name = 'DraftError';
}

const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A person accepts a proposed draft. Returns a new draft; refuses rejected or already accepted drafts. */
export function acceptDraft(draft: Draft, by: string, at: string): Draft {
  if (draft.status !== 'proposed') throw new DraftError(`only a proposed draft can be accepted; this one is ${draft.status}${draft.problems.length ? `: ${draft.problems.join('; ')}` : ''}`);
  if (!by.trim()) throw new DraftError('name the person accepting the draft');
  if (!ISO_TS.test(at)) throw new DraftError(`"${at}" is not an ISO 8601 timestamp with a time zone`);
  return { ...draft, status: 'accepted', acceptedBy: by.trim(), acceptedAt: at };
}

/**
 * Applies an accepted "information sought" draft to the study: a new Study whose component has
 * `informationSought` set to the draft's text without markers. The citations are re-checked
 * against this study, so a draft cannot carry a citation into a study that lacks the item.
 */
export function applyDraft(study: Study, draft: Draft): Study {
  if (draft.status !== 'accepted') throw new DraftError(`draft ${draft.id} has not been accepted by a person (status ${draft.status})`);
  if (draft.kind !== 'information_sought') throw new DraftError(`only an "information sought" draft sets a study field; a ${draft.kind} draft goes into the report`);
  if (draft.studyId !== study.id) throw new DraftError(`draft ${draft.id} was made for study ${draft.studyId}, not ${study.id}`);
  if (!study.components.some((c) => c.id === draft.componentId)) throw new DraftError(`study ${study.id} has no component ${draft.componentId}`);
  const check = checkCitations(draft.text, study, draft.componentId);
  if (check.problems.length) throw new DraftError(`the draft no longer checks against this study: ${check.problems.join('; ')}`);
  return { ...study, components: study.components.map((c) => (c.id === draft.componentId ? { ...c, informationSought: check.plainText } : c)) };
}
