/**
 * Optional language-model provider: an OpenAI-compatible chat endpoint (`POST {baseUrl}/chat/completions`).
 * Off by default — it exists only when configured explicitly (options, or the environment variables
 * RDCREDIT_LLM_URL and RDCREDIT_LLM_MODEL, with RDCREDIT_LLM_KEY when the server needs a key).
 * Used only to draft text: the prompt gives the model the study's own items with their ids and asks
 * for a citation after every sentence; the answer is checked like any draft (an id not in the study
 * or an uncited sentence rejects it) and stays a proposal until a person accepts it. Every call is
 * recorded: model, prompt, response, start and end time, outcome.
 */
import { randomUUID } from 'node:crypto';
import type { Study } from '../../study/model.js';
import { makeDraft, type Draft, type DraftKind } from '../drafts/draft.js';
import { draftSources } from '../drafts/deterministic.js';

export interface LlmConfig {
  /** e.g. http://127.0.0.1:11434/v1 (no trailing /chat/completions). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Default 60 000 ms. */
  timeoutMs?: number;
  temperature?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmCallRecord {
  id: string;
  model: string;
  url: string;
  prompt: ChatMessage[];
  /** The model's text (or the raw body when it could not be read); null when nothing came back. */
  response: string | null;
  status: 'ok' | 'http_error' | 'timeout' | 'network_error' | 'bad_response';
  httpStatus?: number;
  error?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/** The provider's configuration from the environment, or undefined when it is not switched on. */
export function llmConfigFromEnv(env: Record<string, string | undefined> = process.env): LlmConfig | undefined {
  const url = env.RDCREDIT_LLM_URL?.trim();
  const model = env.RDCREDIT_LLM_MODEL?.trim();
  if (!url || !model) return undefined;
  const key = env.RDCREDIT_LLM_KEY?.trim();
  const t = env.RDCREDIT_LLM_TIMEOUT_MS ? Number(env.RDCREDIT_LLM_TIMEOUT_MS) : undefined;
  return { baseUrl: url, model, ...(key ? { apiKey: key } : {}), ...(t && Number.isFinite(t) && t > 0 ? { timeoutMs: t } : {}) };
}

export type CompleteResult = { ok: true; text: string; record: LlmCallRecord } | { ok: false; error: string; record: LlmCallRecord };

export class LlmProvider {
  readonly calls: LlmCallRecord[] = [];
  constructor(
    readonly config: LlmConfig,
    private readonly hooks: { onRecord?: (r: LlmCallRecord) => void; clock?: () => Date } = {},
  ) {
    if (!/^https?:\/\//.test(config.baseUrl)) throw new Error(`RDCREDIT_LLM_URL must be an http(s) URL, got "${config.baseUrl}"`);
    if (!config.model) throw new Error('a model name is required');
  }

  get url(): string {
    return `${this.config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async complete(messages: ChatMessage[]): Promise<CompleteResult> {
    const now = this.hooks.clock ?? (() => new Date());
    const started = now();
    const timeoutMs = this.config.timeoutMs ?? 60_000;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    let status: LlmCallRecord['status'] = 'ok';
    let response: string | null = null;
    let httpStatus: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {}) },
        body: JSON.stringify({ model: this.config.model, messages, temperature: this.config.temperature ?? 0 }),
        signal: ctl.signal,
      });
      httpStatus = res.status;
      const body = await res.text();
      if (!res.ok) {
        status = 'http_error';
        response = body;
        error = `the language model at ${this.url} answered HTTP ${res.status}${body ? `: ${body.slice(0, 300)}` : ''}`;
      } else {
        let text: unknown;
        try {
          text = (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
        } catch {
          text = undefined;
        }
        if (typeof text !== 'string') {
          status = 'bad_response';
          response = body;
          error = `the language model at ${this.url} did not return choices[0].message.content`;
        } else response = text;
      }
    } catch (e) {
      if (ctl.signal.aborted) {
        status = 'timeout';
        error = `the language model at ${this.url} did not answer within ${timeoutMs} ms`;
      } else {
        status = 'network_error';
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        error = `could not reach the language model at ${this.url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`;
      }
    } finally {
      clearTimeout(timer);
    }
    const finished = now();
    const record: LlmCallRecord = {
      id: randomUUID(),
      model: this.config.model,
      url: this.url,
      prompt: messages,
      response,
      status,
      ...(httpStatus !== undefined ? { httpStatus } : {}),
      ...(error ? { error } : {}),
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
    };
    this.calls.push(record);
    this.hooks.onRecord?.(record);
    return status === 'ok' ? { ok: true, text: response!, record } : { ok: false, error: error!, record };
  }
}

const TASK: Record<DraftKind, string> = {
  information_sought:
    'Write the "information sought to be discovered" for Form 6765 Section G line 49(f): two to four sentences stating what was technically unknown at the outset (capability, method or appropriate design) and what the research set out to learn. Do not describe business or market risk.',
  component_narrative:
    'Write a narrative of this business component in the order of the four-part test: the purpose (function, performance, reliability or quality), the technical uncertainty at the outset, the alternatives considered, the process of experimentation including failures, and the science relied on.',
};

/** The prompt: the study's items for the component, each with its id, and the rule to cite them. */
export function buildPrompt(study: Study, componentId: string, kind: DraftKind): ChatMessage[] {
  const comp = study.components.find((c) => c.id === componentId);
  if (!comp) throw new Error(`no component "${componentId}" in study ${study.id}`);
  const sources = draftSources(study, componentId);
  const lines = sources.map((s) => {
    const ev = s.kind === 'evidence' ? study.evidence?.find((e) => e.id === s.evidenceIds?.[0]) : undefined;
    const id = s.kind === 'evidence' ? s.evidenceIds![0]! : s.id;
    const meta = ev ? ` (${ev.kind}${ev.claimedDate ? `, dated ${ev.claimedDate}` : ''}${ev.outcome ? `, outcome ${ev.outcome}` : ''}${ev.sha256 ? `, sha256 ${ev.sha256.slice(0, 12)}…` : ''})` : '';
    const also = s.kind === 'interview' && s.evidenceIds?.length ? ` (rests on ${s.evidenceIds.join(', ')})` : '';
    return `<source id="${id}">${meta}${also}\n${s.text}\n</source>`;
  });
  return [
    {
      role: 'system',
      content: [
        'You draft text for a U.S. research (R&D) tax credit study under 26 U.S.C. § 41. The text is a roadmap to the evidence, not evidence.',
        'Use ONLY the sources given. After EVERY sentence write [cite: id, id] with the ids of the sources it relies on, exactly as given in <source id="…">.',
        'Never cite an id that is not given. If the sources do not support a statement, leave the statement out. Do not invent numbers, dates or results.',
        'Plain prose, no headings, no lists, no text outside the sentences.',
      ].join('\n'),
    },
    { role: 'user', content: `${TASK[kind]}\n\nBusiness component: ${comp.name} (id ${comp.id}, type ${comp.type}).\n\n${lines.join('\n\n') || '(no sources)'}` },
  ];
}

export type LlmDraftResult = { ok: true; draft: Draft; record: LlmCallRecord } | { ok: false; error: string; record: LlmCallRecord; draft?: Draft };

/**
 * Asks the model for a draft and checks it. A response that cites an id not in the study, or
 * leaves a sentence uncited, comes back as a rejected draft (ok: false) with the problems listed.
 */
export async function draftWithLlm(provider: LlmProvider, study: Study, componentId: string, kind: DraftKind): Promise<LlmDraftResult> {
  const prompt = buildPrompt(study, componentId, kind);
  const r = await provider.complete(prompt);
  if (!r.ok) return { ok: false, error: r.error, record: r.record };
  const draft = makeDraft({ kind, study, componentId, text: r.text.trim(), generator: { kind: 'llm', model: provider.config.model, callId: r.record.id }, createdAt: r.record.finishedAt });
  if (draft.status === 'rejected') return { ok: false, error: `the draft was rejected: ${draft.problems.join('; ')}`, record: r.record, draft };
  return { ok: true, draft, record: r.record };
}
