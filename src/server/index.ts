/**
 * The rdcredit server: the HTTP API and the web app over the store and the study services.
 *
 * ```ts
 * const server = await openServer({ store: { dataDir: '.rdcredit/db' }, webDir: 'web/dist' });
 * await seedDemo(server.ws);                       // the two example studies and a demo firm admin
 * serve({ fetch: server.app.fetch, port: 8080 });  // @hono/node-server
 * ```
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { loadLaw, type Law } from '../law/index.js';
import { readStudyFolder } from '../study/folder/index.js';
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
export const DEMO_FIRM = { id: 'example-cpa', name: 'Example CPA LLP' };

/**
 * Loads the example studies into the demo firm (a study without a firm or client is given the
 * demo firm and a client named after its taxpayer) and creates the demo firm admin. Returns the
 * admin's email and password (random unless given).
 */
export async function seedDemo(ws: Workspace, opts: { password?: string; email?: string } = {}): Promise<{ email: string; password: string; studies: string[] }> {
  const studies: string[] = [];
  for (const name of DEMO_EXAMPLES) {
    const r = readStudyFolder(join(REPO_ROOT, 'examples', name));
    if (!r.study) throw new Error(`examples/${name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    const s = r.study;
    const study = { ...s, firm: s.firm ?? DEMO_FIRM, client: s.client ?? { id: s.taxpayer.id, name: s.taxpayer.name } };
    const exists = (await ws.db.query('select 1 from study where id = $1', [study.id])).length > 0;
    if (!exists) await ws.store.saveStudy(study);
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
