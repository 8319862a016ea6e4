/**
 * Every route, table-driven: each one must have a sample request here (a new route without one
 * fails the first test), and each sample is run unauthenticated, by a user of another firm, and
 * by every role of the owning firm. Expected outcomes come from the route's guard and the role
 * table, not from the responses. The table runs on in-memory PGlite and, when RDCREDIT_TEST_PG_URL
 * is set (as .ci/run sets it), on that PostgreSQL server in a fresh schema per run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, routes, type Permission, type Role } from '../../src/server/index.js';
import { backends, B_STUDY, FIRM_A, FIRM_B, GEM, makeFixture, SAWTOOTH, type Agent, type Fixture } from './helpers.js';

interface Sample {
  /** The URL for a study or firm id. */
  url: (id: string) => string;
  body?: unknown;
  /** The permission that decides the role outcome when it differs from the guard (sign-off stages). */
  permission?: Permission;
}

const W2 = readFileSync(join(__dirname, 'fixtures', 'sawtooth-w2-raise.csv'));
const S = (suffix: string) => (id: string) => `/api/studies/${id}${suffix}`;
const F = (suffix: string) => (id: string) => `/api/firms/${id}${suffix}`;
const SHA = 'a'.repeat(64);

export const SAMPLES: Record<string, Sample> = {
  'GET /api/health': { url: () => '/api/health' },
  'GET /api/openapi.json': { url: () => '/api/openapi.json' },
  'GET /api/auth/csrf': { url: () => '/api/auth/csrf' },
  'POST /api/auth/login': { url: () => '/api/auth/login', body: { email: 'nobody@x.test', password: 'x' } },
  'POST /api/auth/logout': { url: () => '/api/auth/logout' },
  'GET /api/me': { url: () => '/api/me' },
  'GET /api/studies': { url: () => '/api/studies' },
  'GET /api/quick-check/schema': { url: () => '/api/quick-check/schema' },
  'POST /api/quick-check': { url: () => '/api/quick-check', body: {} },
  'GET /api/firms/:firmId/clients': { url: F('/clients') },
  'GET /api/firms/:firmId/users': { url: F('/users') },
  'POST /api/firms/:firmId/users': { url: F('/users'), body: { email: 'x', name: '', password: 'short', role: 'preparer' } },
  'POST /api/firms/:firmId/clients': { url: F('/clients'), body: { name: '' } },
  'POST /api/firms/:firmId/clients/:clientId/taxpayers': { url: F('/clients/sawtooth-ml/taxpayers'), body: { name: 'X', entityType: 'llc' } },
  'POST /api/firms/:firmId/clients/:clientId/taxpayers/:taxpayerId/studies': { url: F('/clients/sawtooth-ml/taxpayers/sawtooth-ml/studies'), body: {} },
  'POST /api/firms/:firmId/clients/:clientId/taxpayers/:taxpayerId/studies/upload': { url: F('/clients/sawtooth-ml/taxpayers/sawtooth-ml/studies/upload'), body: 'not a zip' },
  'GET /api/studies/:id': { url: S('') },
  'GET /api/studies/:id/result': { url: S('/result') },
  'GET /api/studies/:id/explain': { url: S('/explain?form=f6765&line=24') },
  'GET /api/studies/:id/dashboard': { url: S('/dashboard') },
  'GET /api/studies/:id/people': { url: S('/people') },
  'POST /api/studies/:id/what-if': { url: S('/what-if'), body: { elections: { method: 'regular' } } },
  'PATCH /api/studies/:id/elections': { url: S('/elections'), body: { section280c: 'best' } },
  'GET /api/studies/:id/options': { url: S('/options') },
  'GET /api/studies/:id/components': { url: S('/components') },
  'GET /api/studies/:id/components/:componentId': { url: S('/components/SGA') },
  'GET /api/studies/:id/interview': { url: S('/interview') },
  'PUT /api/studies/:id/components/:componentId/interview': { url: S('/components/NOPE/interview'), body: { answers: [{ question: 'purpose.new_or_improved', value: true }] } },
  'PATCH /api/studies/:id/components/:componentId/qualification': { url: S('/components/NOPE/qualification'), body: { result: 'qualifies', why: 'test decision' } },
  'GET /api/studies/:id/qualification': { url: S('/qualification') },
  'POST /api/studies/:id/imports/preview': { url: S('/imports/preview?name=w2.csv'), body: new Uint8Array(W2) },
  'POST /api/studies/:id/imports': { url: S('/imports?name=w2.csv&kind=w2&profile=no-such-profile'), body: new Uint8Array(W2) },
  'GET /api/studies/:id/imports': { url: S('/imports') },
  'GET /api/studies/:id/imports/:jobId': { url: S('/imports/00000000-0000-0000-0000-000000000000') },
  'GET /api/studies/:id/imports/:jobId/events': { url: S('/imports/00000000-0000-0000-0000-000000000000/events') },
  'GET /api/studies/:id/evidence': { url: S('/evidence') },
  'POST /api/studies/:id/evidence': { url: S('/evidence?name=note.txt&components=NOPE'), body: 'a note' },
  'GET /api/studies/:id/evidence/:sha256': { url: S(`/evidence/${SHA}`) },
  'GET /api/studies/:id/comments': { url: S('/comments') },
  'POST /api/studies/:id/comments': { url: S('/comments'), body: { target: 'study', body: 'looks fine' } },
  'GET /api/studies/:id/signoffs': { url: S('/signoffs') },
  'POST /api/studies/:id/signoffs': { url: S('/signoffs'), body: { stage: 'preparer' }, permission: 'signoff.preparer' },
  'GET /api/studies/:id/versions': { url: S('/versions') },
  'GET /api/studies/:id/versions/:version': { url: S('/versions/99') },
  'GET /api/studies/:id/audit': { url: S('/audit') },
  'GET /api/studies/:id/downloads': { url: S('/downloads') },
  'GET /api/studies/:id/downloads/:downloadId': { url: S('/downloads/lines-csv') },
};

const key = (r: (typeof routes)[number]) => `${r.method} ${r.path}`;
/** A refusal: 401, 403, or the 404 that hides a study or firm the user may not see (not a missing sub-resource). */
async function denied(res: Response): Promise<boolean> {
  if (res.status === 401 || res.status === 403) return true;
  if (res.status !== 404) return false;
  const body = (await res.clone().json()) as { error: { message: string } };
  return body.error.message === 'study not found' || body.error.message === 'firm not found';
}

function call(a: Agent, r: (typeof routes)[number], id: string): Promise<Response> {
  const s = SAMPLES[key(r)]!;
  return a.req(r.method, s.url(id), s.body);
}

it('has a sample request (and so isolation and role tests) for every route, and no stale samples', () => {
  const keys = routes.map(key);
  expect(keys.filter((k) => !SAMPLES[k])).toEqual([]);
  expect(Object.keys(SAMPLES).filter((k) => !keys.includes(k))).toEqual([]);
  expect(new Set(keys).size).toBe(keys.length);
});

for (const backend of backends())
describe(`the route table on ${backend.name}`, () => {
  let fx: Fixture;
  let cleanup: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const b = backend.open();
    cleanup = b.cleanup;
    fx = await makeFixture({ store: b.store });
  }, 120_000);
  afterAll(async () => {
    await fx?.server.close();
    await cleanup();
  });

  it('answers 401 to every non-public route without a session (with a valid CSRF pair)', async () => {
    for (const r of routes.filter((x) => x.guard !== 'public')) {
      const res = await call(fx.anon, r, r.path.includes(':firmId') ? FIRM_A : SAWTOOTH);
      expect(res.status, key(r)).toBe(401);
    }
  });

  it('never lets a user of another firm read or change a study of this firm (404, the study does not exist for them)', async () => {
    for (const r of routes.filter((x) => typeof x.guard === 'object' && 'study' in x.guard)) {
      for (const id of [SAWTOOTH, GEM]) {
        const res = await call(fx.agents.otherFirm!, r, id);
        expect(res.status, `${key(r)} on ${id}`).toBe(404);
        expect(await denied(res), `${key(r)} on ${id}`).toBe(true);
      }
      // and the other way round
      const back = await call(fx.agents.firm_admin!, r, B_STUDY);
      expect(back.status, `${key(r)} on firm B's study`).toBe(404);
    }
  });

  it("never lets a user of another firm use this firm's firm routes", async () => {
    for (const r of routes.filter((x) => typeof x.guard === 'object' && 'firm' in x.guard)) {
      expect((await call(fx.agents.otherFirm!, r, FIRM_A)).status, key(r)).toBe(404);
      expect((await call(fx.agents.firm_admin!, r, FIRM_B)).status, key(r)).toBe(404);
    }
  });

  it('lists only the studies of the firms (and client) a user belongs to', async () => {
    const ids = async (a: Agent) => ((await (await a.req('GET', '/api/studies')).json()) as { studies: { id: string }[] }).studies.map((s) => s.id).sort();
    expect(await ids(fx.agents.firm_admin!)).toEqual([GEM, SAWTOOTH].sort());
    expect(await ids(fx.agents.otherFirm!)).toEqual([B_STUDY]);
    expect(await ids(fx.agents.client_contributor!)).toEqual([SAWTOOTH]);
  });

  describe.each(ROLES.map((r) => [r] as [Role]))('role %s', (role) => {
    it('is allowed exactly what the role table grants, on every study and firm route', async () => {
      const a = fx.agents[role]!;
      for (const r of routes.filter((x) => typeof x.guard === 'object')) {
        const g = r.guard as { study?: Permission; firm?: Permission | 'member' };
        const perm = SAMPLES[key(r)]!.permission ?? g.study ?? g.firm!;
        const allowed = perm === 'member' || can(role, perm);
        const res = await call(a, r, g.study ? SAWTOOTH : FIRM_A);
        if (allowed) expect(await denied(res), `${role} ${key(r)} → ${res.status} ${res.status >= 400 ? await res.clone().text() : ''}`).toBe(false);
        else expect(res.status, `${role} ${key(r)}`).toBe(403);
      }
    });
  });

  it("keeps a client contributor out of another client's study in the same firm", async () => {
    for (const r of routes.filter((x) => typeof x.guard === 'object' && 'study' in x.guard)) {
      const res = await call(fx.agents.client_contributor!, r, GEM);
      expect(res.status, key(r)).toBe(404);
      expect(await denied(res), key(r)).toBe(true);
    }
  });
});
