/**
 * `rdcredit draft <study> --component <id> [--kind information-sought|narrative] [--analyze] [--llm] [--json]`
 * Prints a draft that cites only the study's evidence items and interview answers, with the
 * narrative analysis of the component when asked. `--llm` uses the optional language-model
 * provider (RDCREDIT_LLM_URL / RDCREDIT_LLM_MODEL / RDCREDIT_LLM_KEY); it is refused when not
 * configured. A draft is only a proposal: nothing is written to the study here.
 * Exit codes: 0 a proposed draft, 1 the draft was rejected or the provider failed, 2 bad input.
 */
import type { Writable } from 'node:stream';
import {
  analyzeNarrative,
  componentTexts,
  draftComponentNarrative,
  draftInformationSought,
  draftWithLlm,
  llmConfigFromEnv,
  LlmProvider,
  type Draft,
  type LlmCallRecord,
  type LlmConfig,
  type NarrativeAnalysis,
} from '../assist/index.js';
import type { Study } from '../study/model.js';
import { loadStudyOrReport } from './compute.js';

export interface DraftOptions {
  component: string;
  kind?: 'information-sought' | 'narrative';
  analyze?: boolean;
  llm?: boolean;
  json?: boolean;
  /** Overrides the environment (tests, server). */
  llmConfig?: LlmConfig;
  /** A study already in memory (instead of reading the folder). */
  study?: Study;
  env?: Record<string, string | undefined>;
  output?: Writable;
  error?: Writable;
}

function renderAnalysis(a: NarrativeAnalysis): string {
  const lines = ['Four-part-test elements:'];
  for (const el of Object.values(a.elements)) {
    lines.push(`  ${el.status.toUpperCase().padEnd(7)} ${el.label}`);
    for (const s of el.sentences.slice(0, 3)) lines.push(`          ${s.source} [${s.start}–${s.end}]: ${s.text}`);
  }
  if (a.flags.length) {
    lines.push('Flags:');
    for (const f of a.flags) {
      lines.push(`  ${f.severity === 'fail' ? 'FAIL' : 'warn'} ${f.message} — ${f.reason} (${f.citation})`);
      for (const s of f.sentences.slice(0, 3)) lines.push(`          ${s.source} [${s.start}–${s.end}]: ${s.text}`);
    }
  }
  return lines.join('\n');
}

function renderDraft(d: Draft): string {
  const lines = [`Draft ${d.id} (${d.kind}, ${d.generator.kind === 'llm' ? `model ${d.generator.model}` : 'deterministic'}) — status: ${d.status}`, '', d.text || '(no text)', ''];
  if (d.citations.length) {
    lines.push('Cited:');
    for (const c of d.citations) lines.push(`  ${c.id}: ${c.title}${c.claimedDate ? `, ${c.claimedDate}` : ''}${c.sha256 ? `, sha256 ${c.sha256}` : ''}`);
  }
  for (const g of d.gaps) lines.push(`Gap: ${g}`);
  for (const p of d.problems) lines.push(`Problem: ${p}`);
  for (const w of d.warnings) lines.push(`Warning: ${w}`);
  lines.push('', 'A draft is a proposal: a person must accept it before it enters the study.');
  return lines.join('\n');
}

export async function runDraft(dir: string, opts: DraftOptions): Promise<number> {
  const out = opts.output ?? process.stdout;
  const err = opts.error ?? process.stderr;
  const study = opts.study ?? loadStudyOrReport(dir);
  if (!study) {
    err.write(`${dir}: the study folder has errors; nothing was drafted.\n`);
    return 2;
  }
  if (!study.components.some((c) => c.id === opts.component)) {
    err.write(`no component "${opts.component}" in the study; components: ${study.components.map((c) => c.id).join(', ') || 'none'}\n`);
    return 2;
  }
  const kind = opts.kind === 'narrative' ? 'component_narrative' : 'information_sought';
  const analysis = opts.analyze ? analyzeNarrative(componentTexts(study, opts.component)) : undefined;
  let draft: Draft | undefined;
  let record: LlmCallRecord | undefined;
  let failure: string | undefined;
  if (opts.llm) {
    const cfg = opts.llmConfig ?? llmConfigFromEnv(opts.env ?? process.env);
    if (!cfg) {
      err.write('The language-model provider is off. Set RDCREDIT_LLM_URL and RDCREDIT_LLM_MODEL (and RDCREDIT_LLM_KEY if the server needs one) to use --llm.\n');
      return 2;
    }
    const r = await draftWithLlm(new LlmProvider(cfg), study, opts.component, kind);
    record = r.record;
    draft = r.draft;
    if (!r.ok) failure = r.error;
  } else draft = kind === 'information_sought' ? draftInformationSought(study, opts.component) : draftComponentNarrative(study, opts.component);
  if (opts.json) {
    out.write(`${JSON.stringify({ draft: draft ?? null, analysis: analysis ?? null, llmCall: record ?? null, error: failure ?? null }, null, 2)}\n`);
  } else {
    if (analysis) out.write(`${renderAnalysis(analysis)}\n\n`);
    if (draft) out.write(`${renderDraft(draft)}\n`);
    if (record) out.write(`LLM call ${record.id}: model ${record.model}, ${record.status}, ${record.startedAt} → ${record.finishedAt} (${record.durationMs} ms)\n`);
    if (failure) err.write(`${failure}\n`);
  }
  return failure || !draft || draft.status !== 'proposed' ? 1 : 0;
}
