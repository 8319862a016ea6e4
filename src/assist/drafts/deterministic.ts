/**
 * Deterministic drafts built only from a component's interview answers and evidence items. Each
 * sentence is either the company's own sentence (chosen by the narrative analysis) or a sentence
 * stated from an evidence item's own metadata, and cites the item(s) it comes from. Elements the
 * study does not support are listed as gaps, never written as uncited text.
 */
import type { Study } from '../../study/model.js';
import { analyzeNarrative, componentTexts, loadLexicon, type ElementId, type Lexicon, type SentenceRef, type TextSource } from '../narrative/analyze.js';
import { makeDraft, type Draft } from './draft.js';

export const DETERMINISTIC_VERSION = '1';

/** Sources a draft may use: interview answers and evidence items (not free text without a source). */
export function draftSources(study: Study, componentId: string): TextSource[] {
  const out: TextSource[] = componentTexts(study, componentId).filter((s) => s.kind === 'interview');
  // Evidence items speak through their summaries (a title is a label, not a statement).
  for (const e of study.evidence ?? [])
    if (e.componentIds.includes(componentId) && e.summary?.trim()) out.push({ id: `evidence:${e.id}`, kind: 'evidence', text: e.summary, evidenceIds: [e.id] });
  return out;
}

function citesFor(src: TextSource): string[] {
  if (src.kind === 'evidence') return src.evidenceIds ?? [];
  return [src.id, ...(src.evidenceIds ?? [])];
}

function marked(text: string, cites: string[]): string {
  const t = /[.!?]["')\]]?$/.test(text) ? text : `${text}.`;
  return `${t} [cite: ${[...new Set(cites)].join(', ')}]`;
}

function pick(refs: SentenceRef[], n: number, used: Set<string>, prefer: (r: SentenceRef) => number = () => 0): SentenceRef[] {
  const key = (r: SentenceRef) => `${r.source}@${r.start}`;
  return refs
    .filter((r) => !used.has(key(r)))
    .map((r, i) => ({ r, i }))
    .sort((a, b) => prefer(b.r) - prefer(a.r) || b.r.hits.length - a.r.hits.length || a.i - b.i)
    .slice(0, n)
    .map(({ r }) => {
      used.add(key(r));
      return r;
    });
}

export interface DraftOptions {
  lexicon?: Lexicon;
  /** ISO timestamp for createdAt (default: now). */
  now?: string;
}

/** Form 6765 Section G line 49(f): the information sought to be discovered. */
export function draftInformationSought(study: Study, componentId: string, opts: DraftOptions = {}): Draft {
  const sources = draftSources(study, componentId);
  const bySource = new Map(sources.map((s) => [s.id, s]));
  const a = analyzeNarrative(sources, opts.lexicon ?? loadLexicon());
  const bizOnly = a.flags.some((f) => f.id === 'business_risk_only');
  const used = new Set<string>();
  const chosen = [...(bizOnly ? [] : pick(a.elements.uncertainty.sentences, 2, used, preferFor('uncertainty'))), ...pick(a.elements.purpose.sentences, 1, used, preferFor('purpose'))];
  const gaps: string[] = [];
  if (bizOnly || !a.elements.uncertainty.sentences.length) gaps.push('no interview answer or evidence item states the technical uncertainty at the outset');
  if (!a.elements.purpose.sentences.length) gaps.push('no interview answer or evidence item states the technical goal');
  const text = chosen.map((r) => marked(r.text, citesFor(bySource.get(r.source)!))).join(' ');
  return makeDraft({ kind: 'information_sought', study, componentId, text, generator: { kind: 'deterministic', version: DETERMINISTIC_VERSION }, gaps, createdAt: opts.now ?? new Date().toISOString() });
}

/** Output order (the four-part test) and how many sentences each element may take. */
const ORDER: { el: ElementId; n: number }[] = [
  { el: 'purpose', n: 1 },
  { el: 'uncertainty', n: 2 },
  { el: 'alternatives', n: 2 },
  { el: 'experimentation', n: 2 },
  { el: 'science', n: 1 },
];
/** Picking order: a sentence goes to the element that needs it most. */
const PICK: ElementId[] = ['uncertainty', 'experimentation', 'alternatives', 'purpose', 'science'];
/** The interview question named after an element is its best source. */
const preferFor = (el: ElementId) => (r: SentenceRef) => (r.source === `interview:${el}` ? 2 : r.source.startsWith('interview:') ? 1 : 0);

/** A narrative of the component in four-part-test order, every sentence cited. */
export function draftComponentNarrative(study: Study, componentId: string, opts: DraftOptions = {}): Draft {
  const sources = draftSources(study, componentId);
  const bySource = new Map(sources.map((s) => [s.id, s]));
  const a = analyzeNarrative(sources, opts.lexicon ?? loadLexicon());
  const used = new Set<string>();
  const parts: string[] = [];
  const gaps: string[] = [];
  const chosen = new Map<ElementId, SentenceRef[]>();
  for (const el of PICK) {
    const n = ORDER.find((o) => o.el === el)!.n;
    chosen.set(el, el === 'uncertainty' && a.flags.some((x) => x.id === 'business_risk_only') ? [] : pick(a.elements[el].sentences, n, used, preferFor(el)));
  }
  for (const { el } of ORDER) {
    const refs = chosen.get(el)!;
    if (!refs.length) gaps.push(`${a.elements[el].label}: not supported by the interview answers or evidence`);
    for (const r of refs) parts.push(marked(r.text, citesFor(bySource.get(r.source)!)));
  }
  const iter = pick(a.iterations, 2, used);
  for (const r of iter) parts.push(marked(r.text, citesFor(bySource.get(r.source)!)));
  // Facts stated from the evidence items' own metadata: runs that failed and what the record is.
  const comp = study.components.find((c) => c.id === componentId)!;
  const evidence = (study.evidence ?? []).filter((e) => e.componentIds.includes(componentId));
  const failed = evidence.filter((e) => e.outcome === 'failure');
  for (const e of failed.slice(0, 5)) parts.push(marked(`${e.title} ended in failure${e.claimedDate ? ` (${e.claimedDate})` : ''}`, [e.id]));
  if (!failed.length && !iter.length) gaps.push('no failed run or iteration is recorded for this component');
  const dated = evidence.filter((e) => e.claimedDate).sort((x, y) => (x.claimedDate! < y.claimedDate! ? -1 : 1));
  if (dated.length >= 2)
    parts.push(marked(`The records of ${comp.name} run from ${dated[0]!.claimedDate} to ${dated[dated.length - 1]!.claimedDate}`, [dated[0]!.id, dated[dated.length - 1]!.id]));
  return makeDraft({ kind: 'component_narrative', study, componentId, text: parts.join(' '), generator: { kind: 'deterministic', version: DETERMINISTIC_VERSION }, gaps, createdAt: opts.now ?? new Date().toISOString() });
}
