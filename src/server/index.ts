/**
 * The rdcredit server: the HTTP API and the web app over the store and the study services.
 *
 * ```ts
 * const server = await openServer({ store: { dataDir: '.rdcredit/db' }, webDir: 'web/dist' });
 * await seedDemo(server.ws);                       // the two example studies (evidence in the ledger) and a demo firm admin
 * serve({ fetch: server.app.fetch, port: 8080 });  // @hono/node-server
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { loadLaw, type Law } from '../law/index.js';
import type { AppendInput } from '../evidence/ledger.js';
import { readStudyFolder } from '../study/folder/index.js';
import type { Study } from '../study/model.js';
import { openStore, type StoreTarget } from '../store/index.js';
import { addMembership, createUser } from './auth/accounts.js';
import { createApp, type AppDeps, type AppOptions } from './app.js';
import { migrateServer } from './db/migrate.js';
import type { Extensions } from './extensions.js';
import { Workspace } from './workspace.js';
import { defaultExtensions } from './providers.js';

export { createApp, routes, openApiDocument, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, type RouteDef, type Guard, type AppOptions } from './app.js';
export { Workspace } from './workspace.js';
export type { Extensions, QualificationProvider, QuickCheckProvider, DownloadProvider, DownloadContext, InterviewQuestion } from './extensions.js';
export { ROLES, ROLE_PERMISSIONS, can, type Role, type Permission } from './roles.js';
export { createUser, addMembership } from './auth/accounts.js';
export { hashPassword, verifyPassword } from './auth/password.js';
export { migrateServer, serverMigrations } from './db/migrate.js';
export { defaultExtensions, qualificationProvider, quickCheckProvider, downloadProviders } from './providers.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_WEB_DIR = join(REPO_ROOT, 'web', 'dist');

export interface ServerOptions extends AppOptions {
  store: StoreTarget;
  law?: Law;
  /** The modules to wire in; default: every one that has landed (providers.ts); 'none' for the bare API. */
  extensions?: Extensions | 'none';
}

export interface Server {
  app: Hono;
  ws: Workspace;
  deps: AppDeps;
  close(): Promise<void>;
}

/** Opens the store, applies the store's and the server's migrations, and builds the app. */
export async function openServer(opts: ServerOptions): Promise<Server> {
  const store = await openStore(opts.store);
  await store.migrate();
  await migrateServer(store.db);
  const ext = opts.extensions === 'none' ? {} : (opts.extensions ?? defaultExtensions(store));
  const ws = new Workspace(store, opts.law ?? loadLaw(), ext);
  const { app, deps } = createApp(ws, opts);
  return { app, ws, deps, close: () => store.close() };
}

export const DEMO_EXAMPLES = ['gem-state-fabrication', 'sawtooth-ml'] as const;

/**
 * The evidence files of an example study, ready for the ledger: every evidence item with a sha256
 * whose `uri` is a file of the folder, received at the item's `capturedAt` (so the entries are the
 * same on every machine). Throws when a file is missing or no longer hashes to its recorded sha256.
 */
function demoEvidence(dir: string, label: string, study: Study): { bytes: Uint8Array; input: AppendInput }[] {
  const root = resolve(dir);
  return (study.evidence ?? [])
    .filter((e) => e.sha256 !== undefined)
    .map((e) => {
      const path = e.uri && !/^[a-z][a-z0-9+.-]*:/i.test(e.uri) ? resolve(root, e.uri) : undefined;
      if (!path || !path.startsWith(root + sep) || !existsSync(path)) throw new Error(`${label}: evidence ${e.id} has a sha256 but no file in the folder (uri ${e.uri ?? 'empty'})`);
      const bytes = new Uint8Array(readFileSync(path));
      if (createHash('sha256').update(bytes).digest('hex') !== e.sha256) throw new Error(`${label}: ${e.uri} no longer hashes to the sha256 of evidence ${e.id} in evidence.csv`);
      return {
        bytes,
        input: {
          name: basename(path),
          kind: e.kind,
          ...(e.claimedDate ? { claimedDate: e.claimedDate } : {}),
          ...(e.capturedAt ? { receivedAt: e.capturedAt } : {}),
          ...(study.firm ? { firmId: study.firm.id } : {}),
          studyId: study.id,
        },
      };
    });
}
export const DEMO_FIRM = { id: 'example-cpa', name: 'Example CPA LLP' };

/**
 * Loads the example studies into the demo firm (a study without a firm or client is given the
 * demo firm and a client named after its taxpayer), keeps each example's evidence files
 * (`examples/<name>/evidence/…`, the items of evidence.csv that have a sha256) in the store's
 * ledger so the web app can serve them, and creates the demo firm admin. Returns the admin's email
 * and password (random unless given). Seeding again adds no study and no ledger entry.
 */
export async function seedDemo(ws: Workspace, opts: { password?: string; email?: string } = {}): Promise<{ email: string; password: string; studies: string[] }> {
  const studies: string[] = [];
  for (const name of DEMO_EXAMPLES) {
    const dir = join(REPO_ROOT, 'examples', name);
    const r = readStudyFolder(dir);
    if (!r.study) throw new Error(`examples/${name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    const s = r.study;
    const study = { ...s, firm: s.firm ?? DEMO_FIRM, client: s.client ?? { id: s.taxpayer.id, name: s.taxpayer.name } };
    const exists = (await ws.db.query('select 1 from study where id = $1', [study.id])).length > 0;
    if (!exists) await ws.store.saveStudy(study);
    await ws.store.ledger.appendMany(demoEvidence(dir, `examples/${name}`, study));
    studies.push(study.id);
  }
  const email = opts.email ?? 'admin@example-cpa.test';
  const password = opts.password ?? randomBytes(12).toString('base64url');
  const existing = (await ws.db.query<{ id: string }>('select id from app_user where email = $1', [email]))[0];
  if (existing) {
    const { hashPassword } = await import('./auth/password.js');
    await ws.db.query('update app_user set password_hash = $2 where id = $1', [existing.id, await hashPassword(password)]);
    await addMembership(ws.db, existing.id, DEMO_FIRM.id, 'firm_admin');
  } else {
    const id = await createUser(ws.db, { email, name: 'Demo Administrator', password });
    await addMembership(ws.db, id, DEMO_FIRM.id, 'firm_admin');
  }
  return { email, password, studies };
}
