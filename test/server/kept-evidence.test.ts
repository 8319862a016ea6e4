/**
 * "Raw inputs retained" through the API is judged on the evidence bytes actually kept in the
 * store's ledger: the demo seed puts the Sawtooth example's evidence files there, so its
 * components pass; an item whose content hash has no bytes in the ledger does not, until the
 * bytes are uploaded (the cached answer follows the ledger's head).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStudyFolder } from '../../src/study/folder/index.js';
import { FIRM_A, makeFixture, SAWTOOTH, type Fixture } from './helpers.js';

interface Check { id: string; status: string; message: string }
interface Comp { id: string; evidence: { id: string; sha256?: string }[]; report: { readiness: { checks: Check[] } } | null }

const rawInputs = (c: Comp) => c.report!.readiness.checks.find((x) => x.id === 'raw_inputs');
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

describe('raw inputs retained, judged on the store ledger', () => {
  let fx: Fixture;
  const COPY = 'sawtooth-ml-2025-unkept';
  const LOST = 'Design note that was never captured (bytes not in the ledger)';
  beforeAll(async () => {
    fx = await makeFixture();
    // A copy of Sawtooth in firm A with one more SGA item whose bytes were never put in the ledger.
    const s = readStudyFolder(join(__dirname, '..', '..', 'examples', 'sawtooth-ml')).study!;
    const lost = { id: 'EV-LOST', kind: 'design_doc' as const, title: LOST, sha256: sha(LOST), componentIds: ['SGA'], employeeIds: [] };
    await fx.server.ws.store.saveStudy({ ...s, id: COPY, firm: { id: FIRM_A, name: 'Example CPA LLP' }, client: { id: 'sawtooth-ml', name: 'Sawtooth' }, evidence: [...(s.evidence ?? []), lost] });
  }, 120_000);
  afterAll(async () => {
    await fx?.server.close();
  });

  const components = async (id: string): Promise<Comp[]> => {
    const r = await fx.agents.preparer!.req('GET', `/api/studies/${id}/components`);
    expect(r.status).toBe(200);
    return ((await r.json()) as { components: Comp[] }).components;
  };

  it('the seeded Sawtooth study: every component whose evidence is all hashed passes, because the seed put the bytes in the ledger', async () => {
    const comps = await components(SAWTOOTH);
    const hashedOnly = comps.filter((c) => c.evidence.length > 0 && c.evidence.every((e) => e.sha256));
    expect(hashedOnly.length).toBeGreaterThan(0);
    for (const c of hashedOnly) expect({ component: c.id, status: rawInputs(c)?.status }).toEqual({ component: c.id, status: 'pass' });
    // the qualification report route says the same
    const q = (await (await fx.agents.preparer!.req('GET', `/api/studies/${SAWTOOTH}/qualification`)).json()) as { components: { componentId: string; readiness: { checks: Check[] } }[] };
    for (const c of hashedOnly) expect(q.components.find((x) => x.componentId === c.id)!.readiness.checks.find((x) => x.id === 'raw_inputs')!.status).toBe('pass');
  });

  it('an item whose bytes are not in the ledger is named and not passed; uploading the bytes makes it pass', async () => {
    const before = (await components(COPY)).find((c) => c.id === 'SGA')!;
    const check = rawInputs(before)!;
    expect(['warn', 'fail']).toContain(check.status);
    expect(check.message).toContain('EV-LOST');
    // the other components of the copy are unaffected (their bytes are the seeded ones)
    for (const c of (await components(COPY)).filter((x) => x.id !== 'SGA' && x.evidence.length && x.evidence.every((e) => e.sha256))) expect(rawInputs(c)!.status).toBe('pass');

    const up = await fx.agents.preparer!.req('POST', `/api/studies/${COPY}/evidence?name=design-note.md&kind=design_doc&components=SGA`, LOST);
    expect(up.status).toBe(201);
    const after = (await components(COPY)).find((c) => c.id === 'SGA')!;
    expect(after.evidence.filter((e) => e.sha256 === sha(LOST)).map((e) => e.id)).toEqual(['EV-LOST']);
    expect(rawInputs(after)!.status).toBe('pass');
  });

  it('bytes in the ledger that no longer hash to their entry do not count as kept', async () => {
    const ws = fx.server.ws;
    const target = (await ws.study(SAWTOOTH)).evidence!.find((e) => e.sha256 && e.componentIds.includes('PAR'))!;
    const kept = await ws.keptEvidence(await ws.study(SAWTOOTH));
    expect(kept.kept.has(target.sha256!)).toBe(true);
    // A changed blob under an unchanged head is still the cached answer; a new head re-reads it.
    // (the table refuses UPDATE through its trigger: tampering here means going around it)
    await ws.db.query('alter table ledger_blob disable trigger user');
    await ws.db.query('update ledger_blob set bytes = $2 where sha256 = $1', [target.sha256, new TextEncoder().encode('tampered')]);
    await ws.db.query('alter table ledger_blob enable trigger user');
    expect((await ws.keptEvidence(await ws.study(SAWTOOTH))).kept.has(target.sha256!)).toBe(true);
    await ws.store.ledger.append(new TextEncoder().encode('another file, moving the head'), { name: 'x.txt', kind: 'other' });
    const again = await ws.keptEvidence(await ws.study(SAWTOOTH));
    expect(again.head).not.toBe(kept.head);
    expect(again.kept.has(target.sha256!)).toBe(false);
    const par = (await components(SAWTOOTH)).find((c) => c.id === 'PAR')!;
    expect(['warn', 'fail']).toContain(rawInputs(par)!.status);
    expect(rawInputs(par)!.message).toContain(target.id);
  });
});
