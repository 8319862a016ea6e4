/** The optional language-model provider against a local OpenAI-compatible server started here. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptDraft, applyDraft, buildPrompt, draftWithLlm, llmConfigFromEnv, LlmProvider, type LlmCallRecord } from '../../src/assist/index.js';
import { attentionStudy } from './study-fixture.js';

type Handler = (body: any, req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = () => {};
const seen: { body: any; auth: string | undefined; url: string | undefined }[] = [];
let server: Server;
let baseUrl = '';

const reply = (content: string) => (_b: any, _q: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'cmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = data ? JSON.parse(data) : undefined;
      seen.push({ body, auth: req.headers.authorization, url: req.url });
      handler(body, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('configuration: off by default', () => {
  it('no provider without both URL and model', () => {
    expect(llmConfigFromEnv({})).toBeUndefined();
    expect(llmConfigFromEnv({ RDCREDIT_LLM_URL: 'http://x' })).toBeUndefined();
    expect(llmConfigFromEnv({ RDCREDIT_LLM_URL: 'http://x/v1', RDCREDIT_LLM_MODEL: 'm', RDCREDIT_LLM_KEY: 'k' })).toEqual({ baseUrl: 'http://x/v1', model: 'm', apiKey: 'k' });
    expect(() => new LlmProvider({ baseUrl: 'ftp://x', model: 'm' })).toThrow(/http/);
  });
  it('the prompt lists the study’s ids and the rule to cite them', () => {
    const p = buildPrompt(attentionStudy(), 'bc-attn', 'information_sought');
    expect(p[0]!.content).toMatch(/After EVERY sentence write \[cite: id, id\]/);
    expect(p[1]!.content).toContain('<source id="ev-run-31">');
    expect(p[1]!.content).toContain('<source id="interview:uncertainty">');
    expect(p[1]!.content).toContain('sha256 bbbbbbbbbbbb');
  });
});

describe('drafting through a local OpenAI-compatible server', () => {
  const records: LlmCallRecord[] = [];
  const provider = () => new LlmProvider({ baseUrl, model: 'local-test-model', apiKey: 'sk-test', timeoutMs: 2000 }, { onRecord: (r) => records.push(r) });

  it('success: a cited draft is a proposal, recorded with model, prompt, response and time; a person accepts it', async () => {
    const text = 'The team sought to learn whether any candidate attention mechanism could meet the quality bar at reduced pretraining compute. [cite: interview:uncertainty, ev-adr-7] A sparse variant failed to converge. [cite: ev-run-31]';
    handler = reply(text);
    const p = provider();
    const r = await draftWithLlm(p, attentionStudy(), 'bc-attn', 'information_sought');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.draft.status).toBe('proposed');
    expect(r.draft.generator).toEqual({ kind: 'llm', model: 'local-test-model', callId: r.record.id });
    expect(r.draft.citations.map((c) => c.id).sort()).toEqual(['ev-adr-7', 'ev-run-31', 'interview:uncertainty']);
    const last = seen[seen.length - 1]!;
    expect(last.url).toBe('/v1/chat/completions');
    expect(last.auth).toBe('Bearer sk-test');
    expect(last.body.model).toBe('local-test-model');
    expect(last.body.messages).toEqual(r.record.prompt);
    expect(r.record).toMatchObject({ model: 'local-test-model', status: 'ok', response: text, httpStatus: 200 });
    expect(Date.parse(r.record.finishedAt)).toBeGreaterThanOrEqual(Date.parse(r.record.startedAt));
    expect(p.calls).toHaveLength(1);
    expect(records.at(-1)).toBe(r.record);
    const study = attentionStudy();
    expect(() => applyDraft(study, r.draft)).toThrow(/not been accepted/);
    const next = applyDraft(study, acceptDraft(r.draft, 'J. Reviewer', '2026-01-15T10:00:00Z'));
    expect(next.components[0]!.informationSought).toBe('The team sought to learn whether any candidate attention mechanism could meet the quality bar at reduced pretraining compute. A sparse variant failed to converge.');
  });

  it('a hallucinated citation rejects the draft', async () => {
    handler = reply('The run reached 92% accuracy. [cite: ev-run-31, ev-run-404]');
    const r = await draftWithLlm(provider(), attentionStudy(), 'bc-attn', 'component_narrative');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/"ev-run-404", which is not an evidence item/);
    expect(r.draft!.status).toBe('rejected');
    expect(() => acceptDraft(r.draft!, 'J. Reviewer', '2026-01-15T10:00:00Z')).toThrow(/rejected/);
    expect(r.record.status).toBe('ok'); // the call worked; the content failed the check
  });

  it('an uncited sentence rejects the draft (cite or abstain)', async () => {
    handler = reply('The work was groundbreaking. The variant failed. [cite: ev-run-31]');
    const r = await draftWithLlm(provider(), attentionStudy(), 'bc-attn', 'component_narrative');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/cites nothing.*groundbreaking/);
  });

  it('a server error is reported clearly and recorded', async () => {
    handler = (_b, _q, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"model not loaded"}}');
    };
    const r = await draftWithLlm(provider(), attentionStudy(), 'bc-attn', 'information_sought');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe(`the language model at ${baseUrl}/chat/completions answered HTTP 500: {"error":{"message":"model not loaded"}}`);
    expect(r.record).toMatchObject({ status: 'http_error', httpStatus: 500 });
    expect(r.draft).toBeUndefined();
  });

  it('a response without choices is a bad response', async () => {
    handler = (_b, _q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"nothing":true}');
    };
    const r = await draftWithLlm(provider(), attentionStudy(), 'bc-attn', 'information_sought');
    expect(r.ok).toBe(false);
    expect(r.record.status).toBe('bad_response');
  });

  it('a server that does not answer times out', async () => {
    handler = () => {}; // never responds
    const p = new LlmProvider({ baseUrl, model: 'slow', timeoutMs: 150 });
    const r = await draftWithLlm(p, attentionStudy(), 'bc-attn', 'information_sought');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/did not answer within 150 ms/);
    expect(r.record.status).toBe('timeout');
    expect(r.record.durationMs).toBeGreaterThanOrEqual(100);
  });

  it('an unreachable server is a network error', async () => {
    const probe = createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((res) => probe.close(() => res()));
    const r = await new LlmProvider({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', timeoutMs: 2000 }).complete([{ role: 'user', content: 'x' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/could not reach the language model/);
  });
});
