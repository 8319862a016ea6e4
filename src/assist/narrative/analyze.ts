/**
 * Deterministic narrative analysis. Given a component's texts (description, interview answers,
 * evidence summaries), finds the four-part-test elements with the sentences relied on (with
 * character offsets into each source text, for highlighting) and flags what is missing or weak:
 * business-risk-only uncertainty, after-the-fact language, no failures or iterations, routine
 * engineering, a third-party model presented as research. The lexicon is data
 * (data/narrative/lexicon.yaml); nothing here decides qualification — it points a reviewer at text.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Study } from '../../study/model.js';

const CueSchema = z.object({ pattern: z.string(), reason: z.string() });
const LexiconSchema = z.object({
  elements: z.array(z.object({ id: z.enum(['purpose', 'uncertainty', 'alternatives', 'experimentation', 'science']), label: z.string(), citation: z.string(), cues: z.array(CueSchema).min(1) })).length(5),
  iteration: z.object({ label: z.string(), citation: z.string(), cues: z.array(CueSchema).min(1) }),
  weak: z.array(z.object({ id: z.string(), label: z.string(), severity: z.enum(['warn', 'fail']), reason: z.string(), citation: z.string(), cues: z.array(CueSchema).min(1) })),
});
export type LexiconDoc = z.infer<typeof LexiconSchema>;

export type ElementId = 'purpose' | 'uncertainty' | 'alternatives' | 'experimentation' | 'science';
export const ELEMENTS: readonly ElementId[] = ['purpose', 'uncertainty', 'alternatives', 'experimentation', 'science'];

interface CompiledCue {
  re: RegExp;
  reason: string;
  pattern: string;
}
export interface Lexicon {
  elements: { id: ElementId; label: string; citation: string; cues: CompiledCue[] }[];
  iteration: { label: string; citation: string; cues: CompiledCue[] };
  weak: { id: string; label: string; severity: 'warn' | 'fail'; reason: string; citation: string; cues: CompiledCue[] }[];
}

const compile = (cs: { pattern: string; reason: string }[]): CompiledCue[] => cs.map((c) => ({ re: new RegExp(c.pattern, 'i'), reason: c.reason, pattern: c.pattern }));

/** Validates and compiles a lexicon document (throws on a bad regular expression). */
export function compileLexicon(doc: unknown): Lexicon {
  const d = LexiconSchema.parse(doc);
  return {
    elements: d.elements.map((e) => ({ ...e, cues: compile(e.cues) })),
    iteration: { ...d.iteration, cues: compile(d.iteration.cues) },
    weak: d.weak.map((w) => ({ ...w, cues: compile(w.cues) })),
  };
}

export function defaultLexiconPath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'narrative', 'lexicon.yaml');
}

let cachedLexicon: Lexicon | undefined;
export function loadLexicon(path: string = defaultLexiconPath()): Lexicon {
  if (path === defaultLexiconPath() && cachedLexicon) return cachedLexicon;
  const lx = compileLexicon(parse(readFileSync(path, 'utf8')));
  if (path === defaultLexiconPath()) cachedLexicon = lx;
  return lx;
}

/** One text to analyse, with where it came from. */
export interface TextSource {
  /** "description", "interview:<question>", "evidence:<id>". */
  id: string;
  kind: 'description' | 'interview' | 'evidence' | 'other';
  text: string;
  /** Ledger items the text rests on (the evidence item itself, or those an answer cites). */
  evidenceIds?: string[];
}

export interface Span {
  source: string;
  /** Character offsets into the source text: [start, end). */
  start: number;
  end: number;
  text: string;
}

export interface CueHit {
  reason: string;
  matched: string;
}

export interface SentenceRef extends Span {
  hits: CueHit[];
}

export interface ElementFinding {
  element: ElementId;
  label: string;
  citation: string;
  status: 'found' | 'weak' | 'missing';
  sentences: SentenceRef[];
}

export interface NarrativeFlag {
  id: string;
  severity: 'warn' | 'fail';
  message: string;
  reason: string;
  citation: string;
  sentences: SentenceRef[];
}

export interface NarrativeAnalysis {
  elements: Record<ElementId, ElementFinding>;
  /** Sentences showing failures or iterations. */
  iterations: SentenceRef[];
  flags: NarrativeFlag[];
  sentenceCount: number;
}

const ABBREV = /(?:\b(?:e\.g|i\.e|etc|vs|cf|no|nos|inc|ltd|co|corp|dr|mr|mrs|ms|st|fig|approx|u\.s|reg|sec|al)|\b[A-Z])$/i;

/** Splits text into sentences with offsets. Ends at . ! ? followed by space or end, and at blank lines and list items. */
export function splitSentences(text: string, source = 'text'): Span[] {
  const out: Span[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    // drop list bullets at the start
    const bullet = /^([-*•]|\d+[.)])\s+/.exec(text.slice(s, e));
    if (bullet) s += bullet[0].length;
    if (e > s && /[A-Za-z0-9]/.test(text.slice(s, e))) out.push({ source, start: s, end: e, text: text.slice(s, e) });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      const next = text.slice(i + 1);
      if (/^\s*\n/.test(next) || /^\s*([-*•]|\d+[.)])\s/.test(next)) {
        push(i);
        start = i + 1;
      }
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    const after = text[i + 1];
    if (after !== undefined && !/\s/.test(after) && !/["')\]]/.test(after)) continue; // 1.5, U.S.
    if (ch === '.' && ABBREV.test(text.slice(Math.max(start, i - 6), i))) continue;
    let end = i + 1;
    while (end < text.length && /["')\]]/.test(text[end]!)) end++;
    push(end);
    start = end;
  }
  push(text.length);
  return out;
}

function hitsOf(cues: CompiledCue[], sentence: string): CueHit[] {
  const out: CueHit[] = [];
  for (const c of cues) {
    const m = c.re.exec(sentence);
    if (m) out.push({ reason: c.reason, matched: m[0] });
  }
  return out;
}

/** Analyses a set of texts. */
export function analyzeNarrative(sources: TextSource[], lexicon: Lexicon = loadLexicon()): NarrativeAnalysis {
  const sentences = sources.flatMap((s) => splitSentences(s.text, s.id));
  const elements = {} as Record<ElementId, ElementFinding>;
  const weakById = new Map(lexicon.weak.map((w) => [w.id, w]));
  const business = weakById.get('business_risk');
  const technicalCues = lexicon.elements.filter((e) => e.id === 'purpose' || e.id === 'science').flatMap((e) => e.cues);

  for (const el of lexicon.elements) {
    const refs: SentenceRef[] = [];
    for (const s of sentences) {
      const hits = hitsOf(el.cues, s.text);
      if (hits.length) refs.push({ ...s, hits });
    }
    const distinct = new Set(refs.flatMap((r) => r.hits.map((h) => h.reason))).size;
    const status: ElementFinding['status'] = refs.length === 0 ? 'missing' : refs.length >= 2 || distinct >= 2 ? 'found' : 'weak';
    elements[el.id] = { element: el.id, label: el.label, citation: el.citation, status, sentences: refs };
  }

  const flags: NarrativeFlag[] = [];
  for (const el of lexicon.elements)
    if (elements[el.id].status === 'missing')
      flags.push({ id: `missing_${el.id}`, severity: 'fail', message: `No sentence shows: ${el.label}.`, reason: `Each business component must meet every part of the test; add ${el.label.toLowerCase()} with the evidence for it.`, citation: el.citation, sentences: [] });

  // Uncertainty that is only business risk.
  if (business) {
    const unc = elements.uncertainty.sentences;
    const bizOnly = unc.filter((s) => hitsOf(business.cues, s.text).length > 0 && hitsOf(technicalCues, s.text).length === 0);
    if (unc.length && bizOnly.length === unc.length) {
      elements.uncertainty.status = 'weak';
      flags.push({ id: 'business_risk_only', severity: 'fail', message: 'The only uncertainty described is business risk (market, budget or schedule).', reason: business.reason, citation: business.citation, sentences: bizOnly });
    }
  }

  const iterations: SentenceRef[] = [];
  for (const s of sentences) {
    const hits = hitsOf(lexicon.iteration.cues, s.text);
    if (hits.length) iterations.push({ ...s, hits });
  }
  if (!iterations.length)
    flags.push({
      id: 'no_failures',
      severity: 'warn',
      message: 'No failure, abandoned alternative or iteration is mentioned.',
      reason: 'A real process of experimentation usually leaves failed or discarded attempts; reciting steps is not a scientific method (Siemer Milling). Cite the failed runs or rejected designs.',
      citation: lexicon.iteration.citation,
      sentences: [],
    });

  for (const w of lexicon.weak) {
    const refs: SentenceRef[] = [];
    for (const s of sentences) {
      const hits = hitsOf(w.cues, s.text);
      if (hits.length) refs.push({ ...s, hits });
    }
    if (!refs.length) continue;
    if (w.id === 'business_risk' && flags.some((f) => f.id === 'business_risk_only')) continue;
    flags.push({ id: w.id, severity: w.severity, message: `${w.label}: ${refs.length} sentence${refs.length === 1 ? '' : 's'}.`, reason: w.reason, citation: w.citation, sentences: refs });
  }
  return { elements, iterations, flags, sentenceCount: sentences.length };
}

/** The texts of one component in a study: its description, its interview answers, its evidence summaries. */
export function componentTexts(study: Study, componentId: string): TextSource[] {
  const c = study.components.find((x) => x.id === componentId);
  if (!c) throw new Error(`no component "${componentId}" in study ${study.id}`);
  const out: TextSource[] = [];
  const desc = [c.informationSought, c.qualificationReason].filter((x): x is string => Boolean(x && x.trim())).join('\n\n');
  if (desc) out.push({ id: 'description', kind: 'description', text: desc });
  const iv = study.interviews?.find((i) => i.componentId === componentId);
  for (const a of iv?.answers ?? []) {
    const parts = [typeof a.value === 'string' ? a.value : Array.isArray(a.value) ? a.value.join(', ') : '', a.note ?? ''].filter((x) => x.trim());
    if (parts.length) out.push({ id: `interview:${a.question}`, kind: 'interview', text: parts.join('\n\n'), evidenceIds: a.evidenceIds ?? [] });
  }
  for (const e of study.evidence ?? []) {
    if (!e.componentIds.includes(componentId)) continue;
    const text = [e.title.trim().replace(/[.!?]?$/, '.'), e.summary ?? ''].filter((x) => x.trim()).join(' ');
    out.push({ id: `evidence:${e.id}`, kind: 'evidence', text, evidenceIds: [e.id] });
  }
  return out;
}
