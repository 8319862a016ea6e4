/** The CLI run functions the lead wires into src/cli/main.ts. */
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDraft } from '../../src/cli/draft.js';
import { runQuickCheck } from '../../src/cli/quickcheck.js';
import { attentionStudy } from './study-fixture.js';

function sink() {
  let text = '';
  const w = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { w, text: () => text };
}

const fixture = fileURLToPath(new URL('./fixtures/quickcheck/foundation-model-startup.yaml', import.meta.url));

describe('runQuickCheck', () => {
  it('--answers file --json gives the hand-derived range', async () => {
    const o = sink();
    expect(await runQuickCheck({ answers: fixture, json: true, output: o.w })).toBe(0);
    const doc = JSON.parse(o.text());
    expect(doc.verdict).toBe('likely');
    expect(doc.federal.best.range.low.value).toBe(303950);
    expect(doc.states[0].range.low).toMatchObject({ value: null, missing: ['stateDetails.ID.fixedBasePercentage', 'stateDetails.ID.averageGrossReceipts'] });
  });

  it('text output names the verdict, the assumptions and the records', async () => {
    const o = sink();
    expect(await runQuickCheck({ answers: fixture, output: o.w })).toBe(0);
    expect(o.text()).toMatch(/Result: LIKELY QUALIFIES/);
    expect(o.text()).toMatch(/Share of technical wages .*: 60%–85%/);
    expect(o.text()).toMatch(/Federal research credit \(the larger method\): \$303,950 – \$446,550/);
  });

  it('interactive answers (with one re-asked question) give the same result as the answers file', async () => {
    const input = new PassThrough();
    const lines = [
      '2025', '1', 'ai_ml', '1', 'eighteen', '18', '16', '3,200,000', 'capability,method', '1,5', 'git,experiment_tracker,tickets',
      '2000000', '100000', '0', '0', 'none', '2023', '', '{2023: 0, 2024: 0, 2025: 0}', '', '', '0', 'ID', "{ID: {inHouseShare: '0.8', contractShare: '0'}}",
    ];
    input.end(lines.join('\n') + '\n');
    const o = sink();
    const e = sink();
    expect(await runQuickCheck({ json: true, input, output: o.w, error: e.w })).toBe(0);
    expect(e.text()).toMatch(/not understood for a integer answer/);
    const file = sink();
    await runQuickCheck({ answers: fixture, json: true, output: file.w });
    expect(JSON.parse(o.text())).toEqual(JSON.parse(file.text()));
  });

  it('input that ends early, and invalid answers, exit 2 with the reason', async () => {
    const input = new PassThrough();
    input.end('2025\n');
    const e = sink();
    expect(await runQuickCheck({ input, output: sink().w, error: e.w })).toBe(2);
    expect(e.text()).toMatch(/input ended/);
    const e2 = sink();
    expect(await runQuickCheck({ answers: '/nonexistent/answers.yaml', error: e2.w })).toBe(2);
  });
});

describe('runDraft', () => {
  it('prints a deterministic draft with its analysis', async () => {
    const o = sink();
    expect(await runDraft('(memory)', { study: attentionStudy(), component: 'bc-attn', analyze: true, output: o.w })).toBe(0);
    expect(o.text()).toMatch(/FOUND +Technical uncertainty/);
    expect(o.text()).toMatch(/status: proposed/);
    expect(o.text()).toMatch(/ev-adr-7: ADR 7: attention variants to evaluate, 2025-02-03, sha256 a{64}/);
  });
  it('--llm is refused while the provider is off; an unknown component exits 2', async () => {
    const e = sink();
    expect(await runDraft('(memory)', { study: attentionStudy(), component: 'bc-attn', llm: true, env: {}, output: sink().w, error: e.w })).toBe(2);
    expect(e.text()).toMatch(/provider is off/);
    expect(await runDraft('(memory)', { study: attentionStudy(), component: 'nope', output: sink().w, error: sink().w })).toBe(2);
  });
  it('a component whose answers give only business risk exits 1 with the gap', async () => {
    const o = sink();
    expect(await runDraft('(memory)', { study: attentionStudy(), component: 'bc-ui', json: true, output: o.w })).toBe(1);
    expect(JSON.parse(o.text()).draft.gaps[0]).toMatch(/technical uncertainty/);
  });
});
