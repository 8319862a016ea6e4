/** The evidence ledger's storage over the store's tables (migration 0002). */
import type { LedgerEntry, LedgerStorage, LedgerTx } from '../evidence/ledger.js';
import type { Db, Queryable } from './db.js';

const COLS = `seq::text as seq, received_at, name, kind, claimed_date, sha256, size::text as size, firm_id, study_id, prev_hash, hash`;

function entryOf(r: Record<string, unknown>): LedgerEntry {
  const e: LedgerEntry = {
    seq: Number(r.seq),
    receivedAt: r.received_at as string,
    name: r.name as string,
    kind: r.kind as string,
    sha256: r.sha256 as string,
    size: Number(r.size),
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
  if (r.claimed_date !== null && r.claimed_date !== undefined) e.claimedDate = r.claimed_date as string;
  if (r.firm_id !== null && r.firm_id !== undefined) e.firmId = r.firm_id as string;
  if (r.study_id !== null && r.study_id !== undefined) e.studyId = r.study_id as string;
  return e;
}

function txOps(q: Queryable): LedgerTx {
  return {
    head: async () => {
      const r = await q.query<Record<string, unknown>>(`select ${COLS} from ledger_entry order by ledger_entry.seq desc limit 1`);
      return r[0] ? entryOf(r[0]) : undefined;
    },
    findBySha: async (sha) => {
      const r = await q.query<Record<string, unknown>>(`select ${COLS} from ledger_entry where sha256 = $1 order by ledger_entry.seq limit 1`, [sha]);
      return r[0] ? entryOf(r[0]) : undefined;
    },
    insert: async (e, bytes) => {
      await q.query('insert into ledger_blob (sha256, size, bytes) values ($1, $2, $3) on conflict (sha256) do nothing', [e.sha256, e.size, bytes]);
      await q.query(
        'insert into ledger_entry (seq, received_at, name, kind, claimed_date, sha256, size, firm_id, study_id, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [e.seq, e.receivedAt, e.name, e.kind, e.claimedDate ?? null, e.sha256, e.size, e.firmId ?? null, e.studyId ?? null, e.prevHash, e.hash],
      );
    },
  };
}

export class SqlLedgerStorage implements LedgerStorage {
  constructor(private readonly db: Db) {}
  exclusive<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (q) => {
      // Serialises appenders across connections and processes (readers are not blocked).
      await q.query('lock table ledger_entry in share row exclusive mode');
      return fn(txOps(q));
    });
  }
  async entries(): Promise<LedgerEntry[]> {
    return (await this.db.query<Record<string, unknown>>(`select ${COLS} from ledger_entry order by ledger_entry.seq`)).map(entryOf);
  }
  async blob(sha: string): Promise<Uint8Array | undefined> {
    const r = await this.db.query<{ bytes: Uint8Array }>('select bytes from ledger_blob where sha256 = $1', [sha]);
    return r[0] ? new Uint8Array(r[0].bytes) : undefined;
  }
}
