/**
 * The four-part-test interview definition (data/qualification/interview.yaml) and the checking
 * of a component's answers against it. Pure: the caller reads the file.
 */
import { z } from 'zod';
import { isIsoDate } from '../../periods/date.js';
import { EXCLUSION_KEYS, TEST_IDS, type Answer, type AnswerValue, type InterviewDefinition, type Problem, type QuestionDef } from './types.js';

const CitationSchema = z.object({ title: z.string().min(3), href: z.string().optional(), pinpoint: z.string().optional() }).strict();
const SectionIds = [...TEST_IDS, ...EXCLUSION_KEYS] as [string, ...string[]];

const QuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'question ids are dotted lower-case words (pp.purpose)'),
    section: z.enum(SectionIds),
    text: z.string().min(10),
    help: z.string().min(10),
    type: z.enum(['yes_no', 'choice', 'list', 'text', 'date', 'number']),
    options: z.record(z.string(), z.string()).optional(),
    required: z.boolean(),
    required_when: z.object({ question: z.string(), equals: z.union([z.string(), z.boolean()]) }).strict().optional(),
    citations: z.array(CitationSchema).min(1, 'every question cites its source'),
  })
  .strict();

const DefinitionSchema = z
  .object({
    version: z.number().int().positive(),
    title: z.string(),
    sections: z.array(
      z.object({ id: z.enum(SectionIds), kind: z.enum(['test', 'exclusion']), title: z.string(), citations: z.array(CitationSchema).min(1) }).strict(),
    ),
    questions: z.array(QuestionSchema).min(1),
  })
  .strict();

/**
 * Parses and checks an interview definition: the schema, unique ids, a section for every
 * question, options for choice questions, and `required_when` pointing at a known question.
 * Returns the definition or the list of problems (never both).
 */
export function parseInterviewDefinition(doc: unknown): { definition?: InterviewDefinition; problems: string[] } {
  const r = DefinitionSchema.safeParse(doc);
  if (!r.success) return { problems: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const d = r.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const q of d.questions) {
    if (ids.has(q.id)) problems.push(`question ${q.id}: defined twice`);
    ids.add(q.id);
  }
  const sectionIds = new Set<string>();
  for (const s of d.sections) {
    if (sectionIds.has(s.id)) problems.push(`section ${s.id}: defined twice`);
    sectionIds.add(s.id);
    const kindOk = (TEST_IDS as readonly string[]).includes(s.id) ? s.kind === 'test' : s.kind === 'exclusion';
    if (!kindOk) problems.push(`section ${s.id}: kind ${s.kind} does not match the id`);
  }
  for (const id of SectionIds) if (!sectionIds.has(id)) problems.push(`section ${id}: missing (every test and exclusion has a section)`);
  for (const q of d.questions) {
    if (!sectionIds.has(q.section)) problems.push(`question ${q.id}: section ${q.section} is not defined`);
    if (q.type === 'choice' && (!q.options || Object.keys(q.options).length < 2)) problems.push(`question ${q.id}: a choice needs at least two options`);
    if (q.options && q.type !== 'choice' && q.type !== 'list') problems.push(`question ${q.id}: options only make sense for choice or list`);
    if (q.required_when) {
      const dep = d.questions.find((x) => x.id === q.required_when!.question);
      if (!dep) problems.push(`question ${q.id}: required_when refers to unknown question ${q.required_when.question}`);
      if (q.required) problems.push(`question ${q.id}: required and required_when together`);
    }
  }
  for (const s of sectionIds) if (!d.questions.some((q) => q.section === s)) problems.push(`section ${s}: has no question`);
  if (problems.length) return { problems };
  const definition: InterviewDefinition = {
    version: d.version,
    title: d.title,
    sections: d.sections.map((s) => ({ ...s, id: s.id as InterviewDefinition['sections'][number]['id'] })),
    questions: d.questions.map((q) => {
      const out: QuestionDef = { id: q.id, section: q.section as QuestionDef['section'], text: q.text, help: q.help, type: q.type, required: q.required, citations: q.citations };
      if (q.options) out.options = q.options;
      if (q.required_when) out.requiredWhen = q.required_when;
      return out;
    }),
  };
  return { definition, problems: [] };
}

function normaliseBoolean(v: AnswerValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'yes' || t === 'true') return true;
    if (t === 'no' || t === 'false') return false;
  }
  return undefined;
}

/** Checks one answer's value against its question; returns the normalised value or a message. */
export function checkValue(q: QuestionDef, v: AnswerValue): { value?: AnswerValue; error?: string } {
  switch (q.type) {
    case 'yes_no': {
      const b = normaliseBoolean(v);
      return b === undefined ? { error: `expects yes or no, got ${JSON.stringify(v)}` } : { value: b };
    }
    case 'choice':
      return typeof v === 'string' && q.options && v in q.options ? { value: v } : { error: `expects one of ${Object.keys(q.options ?? {}).join(', ')}, got ${JSON.stringify(v)}` };
    case 'list': {
      const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/\s*[;|]\s*/).filter((x) => x !== '') : undefined;
      if (!items || items.some((x) => typeof x !== 'string')) return { error: `expects a list, got ${JSON.stringify(v)}` };
      if (q.options) {
        const bad = items.filter((x) => !(x in q.options!));
        if (bad.length) return { error: `unknown option(s) ${bad.join(', ')}; allowed: ${Object.keys(q.options).join(', ')}` };
      }
      return { value: items };
    }
    case 'text':
      return typeof v === 'string' && v.trim() !== '' ? { value: v.trim() } : { error: 'expects non-empty text' };
    case 'date':
      return typeof v === 'string' && isIsoDate(v) ? { value: v } : { error: `expects a date YYYY-MM-DD, got ${JSON.stringify(v)}` };
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return { value: v };
      if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) return { value: Number(v.trim()) };
      return { error: `expects a number ≥ 0, got ${JSON.stringify(v)}` };
  }
}

export interface RawAnswer {
  question: string;
  value: AnswerValue;
  evidenceIds?: string[];
  note?: string;
}

/**
 * Checks a component's answers against the definition. Unknown question ids and values of the
 * wrong type are errors (the answer is then ignored); an answer citing evidence that is not in
 * the ledger is a warning; the same question answered twice is an error (the first is kept).
 */
export function validateAnswers(
  def: InterviewDefinition,
  componentId: string,
  answers: readonly RawAnswer[],
  knownEvidence: ReadonlySet<string>,
): { answers: Map<string, Answer>; problems: Problem[] } {
  const byId = new Map(def.questions.map((q) => [q.id, q]));
  const out = new Map<string, Answer>();
  const problems: Problem[] = [];
  for (const a of answers) {
    const q = byId.get(a.question);
    if (!q) {
      problems.push({ severity: 'error', componentId, questionId: a.question, message: `unknown question id "${a.question}" (not in the interview definition)` });
      continue;
    }
    if (out.has(q.id)) {
      problems.push({ severity: 'error', componentId, questionId: q.id, message: `question ${q.id} answered more than once; the first answer is used` });
      continue;
    }
    const c = checkValue(q, a.value);
    if (c.error !== undefined || c.value === undefined) {
      problems.push({ severity: 'error', componentId, questionId: q.id, message: `answer to ${q.id} ${c.error ?? 'is invalid'}` });
      continue;
    }
    const evidenceIds = a.evidenceIds ?? [];
    for (const e of evidenceIds)
      if (!knownEvidence.has(e)) problems.push({ severity: 'warning', componentId, questionId: q.id, message: `answer to ${q.id} cites evidence "${e}", which is not in the evidence ledger` });
    const ans: Answer = { question: q.id, value: c.value, evidenceIds, from: componentId };
    if (a.note !== undefined) ans.note = a.note;
    out.set(q.id, ans);
  }
  return { answers: out, problems };
}

/** Required questions (including those made required by another answer) that have no answer. */
export function missingRequired(def: InterviewDefinition, answers: ReadonlyMap<string, Answer>): QuestionDef[] {
  return def.questions.filter((q) => {
    if (answers.has(q.id)) return false;
    if (q.required) return true;
    if (q.requiredWhen) {
      const dep = answers.get(q.requiredWhen.question);
      if (!dep) return false;
      const v = dep.value;
      return Array.isArray(v) ? v.includes(String(q.requiredWhen.equals)) : v === q.requiredWhen.equals;
    }
    return false;
  });
}
