/**
 * The server's own migrations (src/server/db/server_NNNN_name.sql), applied after the store's
 * numbered migrations and recorded in their own table, so the two sequences never clash.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../store/index.js';

export const SERVER_MIGRATIONS_DIR = dirname(fileURLToPath(import.meta.url));

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export function serverMigrations(dir = SERVER_MIGRATIONS_DIR): ServerMigration[] {
  const out = readdirSync(dir)
    .filter((f) => /^server_\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(7, 11)), name: f.slice(12, -4), sql: readFileSync(join(dir, f), 'utf8') }));
  out.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`server migrations must be numbered server_0001, server_0002, … without gaps; found ${m.version} at position ${i + 1}`);
  });
  return out;
}

/** Applies pending server migrations (the store's must have been applied); returns the versions applied now. */
export async function migrateServer(db: Db, list: ServerMigration[] = serverMigrations()): Promise<number[]> {
  await db.exec('create table if not exists server_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
  const done = new Set((await db.query<{ version: number }>('select version from server_migrations')).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of list) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('insert into server_migrations (version, name) values ($1, $2)', [m.version, m.name]);
    });
    applied.push(m.version);
  }
  return applied;
}
