/**
 * The same suite against embedded PGlite (always) and a PostgreSQL server (when
 * RDCREDIT_TEST_PG_URL is set; each run uses a fresh schema and drops it afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, sha256Hex, verifyLedger } from '../../src/evidence/index.js';
import { cents } from '../../src/money/cents.js';
import { readStudyFolder, writeStudyFolder } from '../../src/study/folder/index.js';
import { openStore, StudyNotFoundError, type Store, type StoreTarget } from '../../src/store/index.js';
import { emptyStudy } from '../support/study.js';
import { arbitraryStudy } from './arbitrary-study.js';

const PG_URL = process.env.RDCREDIT_TEST_PG_URL;
const EXAMPLES = resolve(__dirname, '..', '..', 'examples');

interface Backend {
  name: string;
  open(): Promise<{ target: StoreTarget; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'pglite (data directory)',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'rdcredit-store-'));
      return { target: { dataDir: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
if (PG_URL)
  backends.push({
    name: 'postgres server',
    async open() {
      const schema = `rdtest_${process.pid}_${Date.now()}`;
      return {
        target: { url: PG_URL, schema },
        cleanup: async () => {
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`drop schema if exists "${schema}" cascade`);
          await c.end();
        },
      };
    },
  });

for (const b of backends) {
  describe(`store on ${b.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const o = await b.open();
      cleanup = o.cleanup;
      store = await openStore(o.target);
      expect(await store.migrate()).toEqual([1, 2, 3, 4]);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('migrate is idempotent', async () => {
      expect(await store.migrate()).toEqual([]);
      const v = await store.db.query<{ version: number }>('select version from schema_migrations order by version');
      expect(v.map((r) => Number(r.version))).toEqual([1, 2, 3, 4]);
    });

    it('keeps money as bigint cents, exact beyond 2^31 and negative', async () => {
      const s = emptyStudy({ id: 'money', grossReceipts: cents(9_000_000_000_000_01), employees: [{ id: 'e', name: 'E', officer: false, wagesBox1: cents(-12345) }] });
      await store.saveStudy(s);
      const t = await store.db.query<{ t: string }>("select pg_typeof(gross_receipts)::text as t from study where id = 'money'");
      expect(t[0]!.t).toBe('bigint');
      const back = await store.loadStudy('money');
      expect(back.grossReceipts).toBe(900000000000001);
      expect(back.employees[0]!.wagesBox1).toBe(-12345);
    });

    it('example studies round-trip folder → store → Study deep-equal', async () => {
      for (const name of ['gem-state-fabrication', 'sawtooth-ml']) {
        const r = readStudyFolder(join(EXAMPLES, name));
        expect(r.diagnostics).toEqual([]);
        await store.saveStudy(r.study!);
        expect(await store.loadStudy(r.study!.id)).toStrictEqual(r.study);
      }
    });

    it('property: generated studies round-trip through the store', async () => {
      let k = 0;
      await fc.assert(
        fc.asyncProperty(arbitraryStudy, async (s) => {
          // folder → store → folder: the study read from its folder saves and loads deep-equal.
          const st = { ...s, id: `gen-${k++}` };
          const dir = mkdtempSync(join(tmpdir(), 'rdcredit-rt-'));
          try {
            writeStudyFolder(st, dir);
            const read = readStudyFolder(dir);
            expect(read.diagnostics).toEqual([]);
            await store.saveStudy(read.study!);
            const back = await store.loadStudy(st.id);
            expect(back).toStrictEqual(st);
            // and writes back a folder that reads as the same study
            writeStudyFolder(back, dir);
            expect(readStudyFolder(dir).study).toStrictEqual(st);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        { numRuns: 25 },
      );
    });

    it('saveStudy replaces the study rows; a failed save leaves the old study intact', async () => {
      const a = emptyStudy({ id: 'rep', employees: [{ id: 'e1', name: 'A', officer: false }, { id: 'e2', name: 'B', officer: true }] });
      await store.saveStudy(a);
      const b = emptyStudy({ id: 'rep', title: 'v2', employees: [{ id: 'e3', name: 'C', officer: false }] });
      await store.saveStudy(b);
      expect(await store.loadStudy('rep')).toStrictEqual(b);
      // Duplicate employee ids violate a constraint in the middle of the save: all or nothing.
      const bad = emptyStudy({ id: 'rep', title: 'v3', employees: [{ id: 'x', name: 'X', officer: false }, { id: 'x', name: 'Y', officer: false }] });
      await expect(store.saveStudy(bad)).rejects.toThrow();
      expect(await store.loadStudy('rep')).toStrictEqual(b);
    });

    it('evidence, interviews, the qualification log, state facts and tiered owners round-trip; absent differs from empty', async () => {
      const full = emptyStudy({
        id: 'new-fields',
        taxpayer: {
          ...emptyStudy().taxpayer,
          entityType: 'partnership',
          owners: [
            {
              id: 'o1',
              name: 'Holding LP',
              entityType: 'partnership',
              share: '3/5',
              specialAllocation: { share: '0.75', basis: 'partnership agreement §4.2' },
              owners: [{ id: 'o1a', name: 'Ann', entityType: 'individual', share: '1', facts: { taxAttributable: cents(1234567), carryforwards: [{ vintage: '2023', amount: cents(-5) }] } }],
            },
          ],
        },
        components: [{ id: 'SGA', name: 'Sparse attention', type: 'software', qualification: 'qualifies' }],
        employees: [{ id: 'e1', name: 'E', officer: false }],
        stateFacts: { CA: { apportionment_factor: '0.42' }, AZ: { refundable_election: 'true' } },
        evidence: [
          { id: 'mlflow:r1', kind: 'training_run', title: 'run 1', sha256: 'a'.repeat(64), claimedDate: '2025-03-01' as never, capturedAt: '2026-01-02T03:04:05Z', componentIds: ['SGA'], employeeIds: ['e1'], outcome: 'failure', source: { file: 'runs.json', sha256: 'b'.repeat(64), row: 1 } },
          { id: 'note', kind: 'other', title: 'described only', componentIds: [], employeeIds: [] },
        ],
        interviews: [
          { componentId: 'SGA', answers: [{ question: 'uncertainty', value: 'true' }, { question: 'alternatives', value: ['a', 'b'], evidenceIds: ['mlflow:r1'] }, { question: 'n', value: 0.1 }, { question: 'b', value: false, answeredAt: '2025-05-05T05:05:05+02:00', answeredBy: 'lead' }] },
          { componentId: 'SGA', answers: [] },
        ],
        qualificationLog: [{ componentId: 'SGA', result: 'needs_information', by: 'preparer', at: '2025-06-01T00:00:00Z', why: 'first look' }],
      });
      await store.saveStudy(full);
      expect(await store.loadStudy('new-fields')).toStrictEqual(full);
      const empty = emptyStudy({ id: 'new-fields-empty', evidence: [], interviews: [], qualificationLog: [], stateFacts: {} });
      await store.saveStudy(empty);
      expect(await store.loadStudy('new-fields-empty')).toStrictEqual(empty);
      const absent = await store.loadStudy('rep');
      for (const k of ['evidence', 'interviews', 'qualificationLog', 'stateFacts']) expect(k in absent).toBe(false);
    });

    it('the qualification log is append-only: the database refuses changes, a save may only add decisions', async () => {
      const base = await store.loadStudy('new-fields');
      await expect(store.db.query("update qualification_decision set why = 'x' where study_id = 'new-fields'")).rejects.toThrow(/append-only/);
      await expect(store.db.query("delete from qualification_decision where study_id = 'new-fields'")).rejects.toThrow(/append-only/);
      const more = { ...base, qualificationLog: [...base.qualificationLog!, { componentId: 'SGA', result: 'qualifies' as const, previous: 'needs_information' as const, by: 'reviewer', at: '2025-07-01T00:00:00Z', why: 'failed runs show experimentation' }] };
      await store.saveStudy(more);
      expect((await store.loadStudy('new-fields')).qualificationLog).toHaveLength(2);
      const edited = { ...more, qualificationLog: [{ ...more.qualificationLog[0]!, why: 'rewritten' }, more.qualificationLog[1]!] };
      await expect(store.saveStudy(edited)).rejects.toThrow(/append-only; decision 1/);
      await expect(store.saveStudy({ ...more, qualificationLog: more.qualificationLog.slice(1) })).rejects.toThrow(/append-only/);
      expect(await store.loadStudy('new-fields')).toStrictEqual(more);
    });

    it('lists studies by tenant and reports a missing one', async () => {
      await store.saveStudy(emptyStudy({ id: 'ten-a', firm: { id: 'firm-a', name: 'A LLP' }, client: { id: 'cl', name: 'Client' } }));
      await store.saveStudy(emptyStudy({ id: 'ten-b', firm: { id: 'firm-b', name: 'B LLP' } }));
      const onlyA = await store.listStudies({ firmId: 'firm-a' });
      expect(onlyA.map((s) => s.id)).toEqual(['ten-a']);
      expect(onlyA[0]).toMatchObject({ firmId: 'firm-a', clientId: 'cl', taxpayerId: 'tp', period: { start: '2025-01-01', end: '2025-12-31' } });
      expect((await store.listStudies()).map((s) => s.id)).toEqual(expect.arrayContaining(['ten-a', 'ten-b', 'rep']));
      await expect(store.loadStudy('nope')).rejects.toBeInstanceOf(StudyNotFoundError);
      // A study id cannot move to another firm by accident.
      await expect(store.saveStudy(emptyStudy({ id: 'ten-a', firm: { id: 'firm-b', name: 'B LLP' } }))).rejects.toThrow(/another firm/);
    });

    describe('evidence ledger', () => {
      const enc = (s: string) => new TextEncoder().encode(s);
      it('appends byte for byte, chains entries, and reports the same bytes as already present', async () => {
        const bytes = new Uint8Array([0, 1, 2, 255, 10, 13]);
        const r1 = await store.ledger.append(bytes, { name: 'payroll.csv', kind: 'payroll', claimedDate: '2025-12-31', receivedAt: '2026-02-01T10:00:00.000Z', studyId: 'rep' });
        expect(r1.alreadyPresent).toBe(false);
        expect(r1.entry).toMatchObject({ seq: 1, sha256: sha256Hex(bytes), size: 6, prevHash: GENESIS_HASH, claimedDate: '2025-12-31' });
        const r2 = await store.ledger.append(enc('time export'), { name: 'time.csv', kind: 'time' });
        expect(r2.entry.seq).toBe(2);
        expect(r2.entry.prevHash).toBe(r1.entry.hash);
        const again = await store.ledger.append(new Uint8Array(bytes), { name: 'payroll-copy.csv', kind: 'payroll' });
        expect(again).toEqual({ entry: r1.entry, alreadyPresent: true });
        expect((await store.ledger.entries()).length).toBe(2);
        const n = await store.db.query<{ n: number }>('select count(*)::int as n from ledger_blob');
        expect(Number(n[0]!.n)).toBe(2);
        expect(await store.ledger.blob(r1.entry.sha256)).toEqual(bytes);
        expect(await store.ledger.verify({ expectedHead: r2.entry.hash })).toEqual({ ok: true, entries: 2, problems: [] });
      });

      it('keeps appending past nine entries: entries sort by number, not by text ("10" after "9")', async () => {
        // A store of its own: the other tests count and tamper with the shared one's entries
        const o = await b.open();
        const own = await openStore({ ...o.target, ...('schema' in o.target ? { schema: `${(o.target as { schema: string }).schema}_n` } : {}) } as never);
        try {
          await own.migrate();
          for (let i = 0; i < 12; i++) await own.ledger.append(enc(`item ${i}`), { name: `item-${i}.txt`, kind: 'other' });
          const all = await own.ledger.entries();
          expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
          expect((await own.ledger.verify()).ok).toBe(true);
        } finally {
          await own.close();
          if ('schema' in o.target) {
            const c = new pg.Client({ connectionString: PG_URL });
            await c.connect();
            await c.query(`drop schema if exists "${(o.target as { schema: string }).schema}_n" cascade`);
            await c.end();
          }
          await o.cleanup();
        }
      });

      it('the database refuses UPDATE, DELETE and TRUNCATE on the ledger', async () => {
        await expect(store.db.query("update ledger_entry set name = 'x' where seq = 1")).rejects.toThrow(/append-only/);
        await expect(store.db.query('delete from ledger_entry where seq = 2')).rejects.toThrow(/append-only/);
        await expect(store.db.query("update ledger_blob set bytes = '\\x00'")).rejects.toThrow(/append-only/);
        await expect(store.db.query('delete from ledger_blob')).rejects.toThrow(/append-only/);
        await expect(store.db.exec('truncate ledger_entry cascade')).rejects.toThrow(/append-only/);
        expect((await store.ledger.verify()).ok).toBe(true);
      });

      it('verification names the entry when someone bypasses the trigger and edits the tables', async () => {
        await store.ledger.append(enc('third'), { name: 'third.csv', kind: 'cloud' });
        // Tampering needs the table owner to switch the triggers off: simulate an attacker with that power.
        await store.db.exec('alter table ledger_entry disable trigger user; alter table ledger_blob disable trigger user');
        await store.db.query("update ledger_entry set name = 'renamed.csv' where seq = 2");
        let v = await store.ledger.verify();
        expect(v.problems).toEqual([expect.objectContaining({ kind: 'entry_edited', seq: 2 })]);
        await store.db.query("update ledger_entry set name = 'time.csv' where seq = 2");
        const sha = (await store.ledger.entries())[2]!.sha256;
        await store.db.query("update ledger_blob set bytes = '\\x746869726421' where sha256 = $1", [sha]);
        v = await store.ledger.verify();
        expect(v.problems).toEqual([expect.objectContaining({ kind: 'blob_changed', seq: 3 })]);
        await store.db.query('update ledger_blob set bytes = $2 where sha256 = $1', [sha, enc('third')]);
        await store.db.query('delete from ledger_entry where seq = 2');
        v = await store.ledger.verify();
        expect(v.problems.map((p) => [p.kind, p.seq])).toEqual([
          ['missing_entry', 3],
          ['chain_broken', 3],
        ]);
        await store.db.exec('alter table ledger_entry enable trigger user; alter table ledger_blob enable trigger user');
      });
    });
  });
}

describe('verifyLedger (pure)', () => {
  it('detects a reordered entry and a removed last entry with the expected head', async () => {
    const { Ledger, MemoryLedgerStorage } = await import('../../src/evidence/index.js');
    const m = new MemoryLedgerStorage();
    const l = new Ledger(m);
    for (const s of ['a', 'b', 'c']) await l.append(new TextEncoder().encode(s), { name: `${s}.csv`, kind: 'time', receivedAt: '2026-01-01T00:00:00Z' });
    const es = await l.entries();
    const blob = (s: string) => m.blobs.get(s);
    const swapped = [es[0]!, es[2]!, es[1]!];
    const r = verifyLedger(swapped, blob);
    expect(r.ok).toBe(false);
    expect(r.problems.find((p) => p.kind === 'out_of_order')).toMatchObject({ seq: 2, index: 2 });
    const head = es[2]!.hash;
    const truncated = verifyLedger(es.slice(0, 2), blob, { expectedHead: head });
    expect(truncated.problems).toEqual([expect.objectContaining({ kind: 'head_mismatch' })]);
    expect(verifyLedger(es, blob, { expectedHead: head }).ok).toBe(true);
  });
});
