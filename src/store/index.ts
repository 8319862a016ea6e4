/**
 * The store: the app's working database (PostgreSQL schema with numbered migrations), embedded
 * PGlite in a data directory by default or a PostgreSQL server when a URL is given. Multi-tenant
 * from the first table (firm → client → taxpayer → study/tax year); money is bigint cents.
 *
 * ```ts
 * const store = await openStore({ dataDir: '.rdcredit/db' });   // or { url: process.env.DATABASE_URL }
 * await store.migrate();
 * await store.saveStudy(study);                                   // replaces that study's rows atomically
 * const again = await store.loadStudy(study.id);                  // deep-equals `study`
 * const { entry, alreadyPresent } = await store.ledger.append(bytes, { name: 'w2.csv', kind: 'w2' });
 * await store.close();
 * ```
 */
import type { ImportLog } from '../evidence/file-ledger.js';
import { Ledger } from '../evidence/ledger.js';
import { SqlImportLog } from './import-log.js';
import type { Study } from '../study/model.js';
import { openDb, type Db, type StoreTarget } from './db.js';
import { SqlLedgerStorage } from './ledger-storage.js';
import { migrate } from './migrate.js';
import { listStudies, loadStudy, saveStudy, type StudySummary } from './study-repo.js';

export type { Db, Queryable, StoreTarget } from './db.js';
export type { StudySummary } from './study-repo.js';
export { migrations, MIGRATIONS_DIR, type Migration } from './migrate.js';
export { SqlLedgerStorage } from './ledger-storage.js';
export { centsFromDb, AppendOnlyError } from './study-repo.js';
export { SqlImportLog } from './import-log.js';

export class StudyNotFoundError extends Error {
  override name = 'StudyNotFoundError';
}

export interface Store {
  /** The underlying connection (for tools and tests). */
  readonly db: Db;
  /** The evidence ledger kept in this store (raw files in ledger_blob, the chain in ledger_entry). */
  readonly ledger: Ledger;
  /** Which ledger files were imported into which study, with the options used (table raw_import). */
  readonly imports: ImportLog;
  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]>;
  /** Saves a study, replacing all of that study's rows in one transaction. */
  saveStudy(study: Study): Promise<void>;
  /** Loads a study; throws {@link StudyNotFoundError} when there is none with that id. */
  loadStudy(id: string): Promise<Study>;
  /** Summaries of the studies, optionally of one firm. */
  listStudies(filter?: { firmId?: string }): Promise<StudySummary[]>;
  close(): Promise<void>;
}

/**
 * Opens a store: `{ dataDir }` for embedded PGlite (created if missing), `{ url, schema? }` for a
 * PostgreSQL server, `{ memory: true }` for a throw-away PGlite in memory (tests). Call
 * `migrate()` before first use.
 */
export async function openStore(target: StoreTarget): Promise<Store> {
  const db = await openDb(target);
  return {
    db,
    ledger: new Ledger(new SqlLedgerStorage(db)),
    imports: new SqlImportLog(db),
    migrate: () => migrate(db),
    saveStudy: (s) => saveStudy(db, s),
    async loadStudy(id) {
      const s = await loadStudy(db, id);
      if (!s) throw new StudyNotFoundError(`no study with id "${id}" in the store`);
      return s;
    },
    listStudies: (f) => listStudies(db, f),
    close: () => db.close(),
  };
}
