/**
 * seedDemo keeps the example studies' evidence files in the store's ledger: after seeding, every
 * evidence item with a sha256 has its bytes there (received at the item's capture time, for its
 * study and firm), the ledger verifies, a second seed adds nothing, and the web API serves the bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_EXAMPLES, REPO_ROOT, openServer, seedDemo } from '../../src/server/index.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import { backends, makeFixture, GEM } from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(backends())('seedDemo on $name', (backend) => {
  it('puts every example evidence item with a sha256 in the ledger, once', async () => {
    const db = backend.open();
    const server = await openServer({ store: db.store, extensions: 'none' });
    try {
      const { studies } = await seedDemo(server.ws, { password: 'a long enough password' });
      const ledger = server.ws.store.ledger;
      const entries = await ledger.entries();
      let items = 0;
      for (const [i, name] of DEMO_EXAMPLES.entries()) {
        const folder = join(REPO_ROOT, 'examples', name);
        const study = await server.ws.store.loadStudy(studies[i]!);
        const withSha = (study.evidence ?? []).filter((e) => e.sha256);
        expect(withSha.length, name).toBeGreaterThan(0);
        for (const e of withSha) {
          const bytes = await ledger.blob(e.sha256!);
          expect(bytes, `${name} ${e.id}`).toBeDefined();
          expect(sha(bytes!)).toBe(e.sha256);
          // the bytes are the example's file
          expect(Buffer.from(bytes!)).toStrictEqual(readFileSync(join(folder, e.uri!)));
          const entry = entries.find((x) => x.sha256 === e.sha256)!;
          expect(entry).toMatchObject({ studyId: study.id, firmId: study.firm!.id, kind: e.kind, name: e.uri!.split('/').pop(), receivedAt: e.capturedAt });
          if (e.claimedDate) expect(entry.claimedDate).toBe(e.claimedDate);
          items++;
        }
      }
      // one entry per distinct file, more than nine of them: the chain verifies in seq order
      expect(entries.length).toBe(new Set(entries.map((e) => e.sha256)).size);
      expect(entries.length).toBeGreaterThan(9);
      expect(items).toBeGreaterThanOrEqual(entries.length);
      const v = await ledger.verify();
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);

      // Seeding again adds no study and no ledger entry.
      await seedDemo(server.ws, { password: 'a long enough password' });
      expect(await ledger.entries()).toStrictEqual(entries);
      expect((await ledger.verify()).ok).toBe(true);
    } finally {
      await server.close();
      await db.cleanup();
    }
  }, 120_000);
});

describe('the seeded evidence through the API', () => {
  it('a signed-in user downloads an example evidence file by its SHA-256', async () => {
    const fx = await makeFixture();
    try {
      const gem = readStudyFolder(join(REPO_ROOT, 'examples', 'gem-state-fabrication')).study!;
      const item = gem.evidence!.find((e) => e.sha256 && e.uri?.endsWith('.md'))!;
      const r = await fx.agents.preparer!.req('GET', `/api/studies/${GEM}/evidence/${item.sha256}`);
      expect(r.status).toBe(200);
      expect(sha(new Uint8Array(await r.arrayBuffer()))).toBe(item.sha256);
    } finally {
      await fx.server.close();
    }
  }, 120_000);
});
