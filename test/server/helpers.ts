/** A server on an in-memory PGlite with two firms, one user per role, and a logged-in client per user. */
import type { Hono } from 'hono';
import { addMembership, createUser, openServer, seedDemo, type Extensions, type Role, type Server } from '../../src/server/index.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import type { StoreTarget } from '../../src/store/index.js';
import { join } from 'node:path';

export const FIRM_A = 'example-cpa';
export const FIRM_B = 'other-firm';
export const SAWTOOTH = 'sawtooth-ml-2025';
export const GEM = 'gem-state-fabrication-2023';
export const B_STUDY = 'other-firm-gem-2023';
export const PASSWORD = 'correct horse battery staple';

export interface Agent {
  email: string;
  cookie: string;
  csrf: string;
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export interface Fixture {
  server: Server;
  app: Hono;
  agents: Record<string, Agent>;
  anon: Agent;
  login(email: string, password?: string, ip?: string): Promise<Agent>;
}

export const ROLE_USERS: Record<Role, string> = {
  firm_admin: 'admin@a.test',
  preparer: 'preparer@a.test',
  technical_reviewer: 'reviewer@a.test',
  signing_cpa: 'cpa@a.test',
  client_contributor: 'engineer@sawtooth.test',
  read_only: 'viewer@a.test',
};

function agent(app: Hono, email: string, cookie: string, csrf: string): Agent {
  return {
    email,
    cookie,
    csrf,
    async req(method, path, body, headers = {}) {
      const h: Record<string, string> = { cookie, ...headers };
      if (method !== 'GET') h['x-csrf-token'] = csrf;
      let payload: string | Uint8Array | undefined;
      if (body instanceof Uint8Array || typeof body === 'string') {
        payload = body;
        h['content-type'] ??= 'application/octet-stream';
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
      return app.request(path, { method, headers: h, ...(payload !== undefined ? { body: payload as ConstructorParameters<typeof Response>[0] } : {}) });
    },
  };
}

export function cookiesOf(r: Response): string {
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

export async function makeFixture(opts: { extensions?: Extensions; rateLimit?: { perIp: number; perAccount: number; windowMs: number }; store?: StoreTarget } = {}): Promise<Fixture> {
  const server = await openServer({
    store: opts.store ?? { memory: true },
    ...(opts.extensions ? { extensions: opts.extensions } : {}),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    clientIp: (c) => c.req.header('x-test-ip') ?? '127.0.0.1',
  });
  const { ws } = server;
  await seedDemo(ws, { email: ROLE_USERS.firm_admin, password: PASSWORD });
  for (const [role, email] of Object.entries(ROLE_USERS) as [Role, string][]) {
    if (role === 'firm_admin') continue;
    const id = await createUser(ws.db, { email, name: role, password: PASSWORD });
    await addMembership(ws.db, id, FIRM_A, role, role === 'client_contributor' ? 'sawtooth-ml' : undefined);
  }
  // Firm B: its own copy of the Gem State study and its own admin.
  const gem = readStudyFolder(join(__dirname, '..', '..', 'examples', 'gem-state-fabrication')).study!;
  await ws.store.saveStudy({ ...gem, id: B_STUDY, firm: { id: FIRM_B, name: 'Other Firm LLP' }, client: { id: 'gem', name: 'Gem' } });
  const bAdmin = await createUser(ws.db, { email: 'admin@b.test', name: 'B admin', password: PASSWORD });
  await addMembership(ws.db, bAdmin, FIRM_B, 'firm_admin');

  const app = server.app;
  const login = async (email: string, password = PASSWORD, ip = '127.0.0.1'): Promise<Agent> => {
    const csrf = 'pre-login-token';
    const r = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `rdc_csrf=${csrf}`, 'x-test-ip': ip },
      body: JSON.stringify({ email, password }),
    });
    if (r.status !== 200) throw Object.assign(new Error(`login ${email}: ${r.status}`), { status: r.status, response: r });
    const body = (await r.json()) as { csrf: string };
    return agent(app, email, cookiesOf(r), body.csrf);
  };
  const agents: Record<string, Agent> = {};
  for (const [role, email] of Object.entries(ROLE_USERS)) agents[role] = await login(email);
  agents.otherFirm = await login('admin@b.test');
  const anon = agent(app, '(anonymous)', 'rdc_csrf=anon', 'anon');
  return { server, app, agents, anon, login };
}

/** The database backends the API tests run on: in-memory PGlite always, and a PostgreSQL server when RDCREDIT_TEST_PG_URL is set. */
export interface Backend {
  name: string;
  /** A fresh database (a new schema on the server, dropped by cleanup). */
  open(): { store: StoreTarget; cleanup(): Promise<void> };
}

export function backends(): Backend[] {
  const list: Backend[] = [{ name: 'PGlite (in memory)', open: () => ({ store: { memory: true }, cleanup: async () => undefined }) }];
  const url = process.env.RDCREDIT_TEST_PG_URL;
  if (url)
    list.push({
      name: 'PostgreSQL server',
      open() {
        // unique per process and run, so parallel runs never share tables
        const schema = `rdserver_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
        return {
          store: { url, schema },
          async cleanup() {
            const { default: pg } = await import('pg');
            const c = new pg.Client({ connectionString: url });
            await c.connect();
            try {
              await c.query(`drop schema if exists "${schema}" cascade`);
            } finally {
              await c.end();
            }
          },
        };
      },
    });
  return list;
}
