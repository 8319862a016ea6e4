/**
 * One small SQL interface over two drivers: embedded PGlite (a data directory on disk, the
 * default) and a PostgreSQL server through `pg`. The same SQL runs on both; values that come
 * back as strings or bigints (int8) are turned into `Cents` only in this store adapter.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Queryable {
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type StoreTarget =
  | { dataDir: string }
  /** In-memory PGlite: for tests only (slow for large imports). */
  | { memory: true }
  | { url: string; /** Schema to use (created if missing); default public. */ schema?: string };

class PgliteDb implements Db {
  readonly driver = 'pglite' as const;
  private chain: Promise<unknown> = Promise.resolve();
  constructor(private readonly pg: PGlite) {}
  async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pg.query<R>(sql, params)).rows;
  }
  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // PGlite has one connection: serialise transactions.
    const run = this.chain.then(() =>
      this.pg.transaction(async (tx) =>
        fn({
          query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows,
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      ),
    );
    this.chain = run.catch(() => undefined);
    return run;
  }
  async close(): Promise<void> {
    await this.pg.close();
  }
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

class PostgresDb implements Db {
  readonly driver = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}
  async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query(sql, params)).rows as R[];
  }
  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('begin');
      const out = await fn({
        query: async <R>(sql: string, params: unknown[] = []) => (await c.query(sql, params)).rows as R[],
        exec: async (sql: string) => {
          await c.query(sql);
        },
      });
      await c.query('commit');
      return out;
    } catch (e) {
      await c.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens the database: PGlite in `dataDir` (created if missing), or the server at `url`. */
export async function openDb(target: StoreTarget): Promise<Db> {
  if ('url' in target) {
    const schema = target.schema;
    if (schema !== undefined) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
      const boot = new pg.Client({ connectionString: target.url });
      await boot.connect();
      try {
        await boot.query(`create schema if not exists ${quoteIdent(schema)}`);
      } finally {
        await boot.end();
      }
    }
    const pool = new pg.Pool({ connectionString: target.url, max: 4, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    return new PostgresDb(pool);
  }
  const db = 'dataDir' in target ? new PGlite(target.dataDir) : new PGlite();
  await db.waitReady;
  return new PgliteDb(db);
}
