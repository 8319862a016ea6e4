/**
 * Behaviour of the API: logins (scrypt, cookies, rate limits), CSRF, compute and explanations,
 * what-if against a direct computation, imports with diagnostics and progress, interviews and
 * the qualification hook, evidence by content address, sign-off locks and versions, the audit
 * log, downloads and the OpenAPI document. Runs on in-memory PGlite and, when RDCREDIT_TEST_PG_URL
 * is set, on that PostgreSQL server in a fresh schema.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLaw } from '../../src/law/index.js';
import { computeStudy } from '../../src/study/compute/index.js';
import { routes, type Extensions } from '../../src/server/index.js';
import { backends, cookiesOf, GEM, makeFixture, PASSWORD, ROLE_USERS, SAWTOOTH, type Fixture } from './helpers.js';

const W2 = readFileSync(join(__dirname, 'fixtures', 'sawtooth-w2-raise.csv'));
const BAD_TIME = readFileSync(join(__dirname, '..', 'importers', 'fixtures', 'time-bad.csv'));

let fx: Fixture;

// The whole suite on in-memory PGlite and, when RDCREDIT_TEST_PG_URL is set, on that PostgreSQL server (a fresh schema per run).
for (const backend of backends())
describe(`the API on ${backend.name}`, () => {
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  const b = backend.open();
  cleanup = b.cleanup;
  fx = await makeFixture({ rateLimit: { perIp: 8, perAccount: 3, windowMs: 60_000 }, store: b.store });
}, 120_000);
afterAll(async () => {
  await fx?.server.close();
  await cleanup();
});

const j = async <T = Record<string, any>>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;

describe('logins and sessions', () => {
  it('sets an HTTP-only, SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const csrf = 't0';
    const r = await fx.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `rdc_csrf=${csrf}` }, body: JSON.stringify({ email: ROLE_USERS.preparer, password: PASSWORD }) });
    expect(r.status).toBe(200);
    const set = r.headers.getSetCookie();
    const session = set.find((c) => c.startsWith('rdc_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const c = set.find((x) => x.startsWith('rdc_csrf='))!;
    expect(c).not.toMatch(/HttpOnly/i);
    // the session id is stored only as its hash
    const sid = session.split(';')[0]!.slice('rdc_session='.length);
    const rows = await fx.server.ws.db.query<{ id_hash: string }>('select id_hash from app_session');
    expect(rows.some((x) => x.id_hash === sid)).toBe(false);
    expect(rows.some((x) => x.id_hash === createHash('sha256').update(sid).digest('hex'))).toBe(true);
  });

  it('stores scrypt hashes with N=2^15, r=8, p=1 and a per-user salt', async () => {
    const rows = await fx.server.ws.db.query<{ password_hash: string }>('select password_hash from app_user');
    const salts = new Set<string>();
    for (const r of rows) {
      const [alg, n, rr, p, salt, key] = r.password_hash.split('$');
      expect([alg, n, rr, p]).toEqual(['scrypt', String(2 ** 15), '8', '1']);
      expect(Buffer.from(key!, 'base64')).toHaveLength(32);
      salts.add(salt!);
    }
    expect(salts.size).toBe(rows.length);
  });

  it('refuses a wrong password, then rate-limits the account, and separately the IP', async () => {
    const bad = () => fx.login(ROLE_USERS.read_only, 'wrong password', '10.0.0.1').catch((e: { status: number; response: Response }) => e);
    for (let i = 0; i < 3; i++) expect(((await bad()) as { status: number }).status).toBe(401);
    const limited = (await bad()) as { status: number; response: Response };
    expect(limited.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // even the right password is refused while the account is limited
    expect(((await fx.login(ROLE_USERS.read_only, PASSWORD, '10.0.0.2').catch((e) => e)) as { status: number }).status).toBe(429);
    // per IP: many accounts from one address
    const ip = '10.9.9.9';
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push(((await fx.login(`nobody${i}@x.test`, 'x', ip).catch((e) => e)) as { status: number }).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
    // another IP and another account are not affected
    expect((await fx.login(ROLE_USERS.technical_reviewer, PASSWORD, '10.0.0.3')).csrf).toBeTruthy();
  });

  it('ends the session on logout', async () => {
    const a = await fx.login(ROLE_USERS.signing_cpa);
    expect((await a.req('GET', '/api/me')).status).toBe(200);
    expect((await a.req('POST', '/api/auth/logout')).status).toBe(200);
    expect((await a.req('GET', '/api/me')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a change without the token, with a token that differs from the cookie, or with another session’s token', async () => {
    const a = fx.agents.preparer!;
    const body = JSON.stringify({ target: 'study', body: 'x' });
    const url = `/api/studies/${SAWTOOTH}/comments`;
    const none = await fx.app.request(url, { method: 'POST', headers: { cookie: a.cookie, 'content-type': 'application/json' }, body });
    expect(none.status).toBe(403);
    const mismatch = await fx.app.request(url, { method: 'POST', headers: { cookie: a.cookie, 'content-type': 'application/json', 'x-csrf-token': 'forged' }, body });
    expect(mismatch.status).toBe(403);
    const other = fx.agents.firm_admin!;
    const cookie = a.cookie.replace(/rdc_csrf=[^;]+/, `rdc_csrf=${other.csrf}`);
    const foreign = await fx.app.request(url, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': other.csrf }, body });
    expect(foreign.status).toBe(403);
    expect((await j(foreign)).error.code).toBe('csrf');
    expect((await a.req('POST', url, { target: 'study', body: 'with the token' })).status).toBe(201);
  });
});

describe('compute, explanations and what-if', () => {
  const law = loadLaw();

  it('returns the same credit as computing the stored study directly, with every form line', async () => {
    const study = await fx.server.ws.store.loadStudy(GEM);
    const direct = computeStudy(law, study);
    const r = await j(fx.agents.read_only!.req('GET', `/api/studies/${GEM}/result`));
    const id = direct.states.ID!.credit;
    expect(r.states.ID.credit).toEqual(id.kind === 'known' ? { status: 'known', value: id.value } : expect.objectContaining({ status: id.kind }));
    expect(r.forms.f6765.lines.map((l: { line: string }) => l.line)).toEqual(Object.keys(direct.forms.f6765!.lines));
    // an unknown line is null-free and says what is missing, never 0
    for (const l of r.forms.f6765.lines) if (l.status === 'unknown') expect(l.value).toBeUndefined();
  });

  it('explains a line with the tree the engine built', async () => {
    const r = await j(fx.agents.read_only!.req('GET', `/api/studies/${SAWTOOTH}/explain?form=f6765&line=24`));
    const direct = computeStudy(law, await fx.server.ws.store.loadStudy(SAWTOOTH)).forms.f6765!.lines['24']!.why;
    expect(r.explanation.rule).toBe(direct.rule);
    expect(r.explanation.children.length).toBe(direct.children.length);
    expect(r.text).toContain(direct.label);
    expect((await fx.agents.read_only!.req('GET', `/api/studies/${SAWTOOTH}/explain?form=f6765&line=999`)).status).toBe(404);
    expect((await fx.agents.read_only!.req('GET', `/api/studies/${SAWTOOTH}/explain`)).status).toBe(400);
  });

  it('what-if: regular vs ASC matches a direct computation with that election, and saves nothing', async () => {
    const study = await fx.server.ws.store.loadStudy(SAWTOOTH);
    for (const method of ['regular', 'asc'] as const) {
      const w = await j(fx.agents.read_only!.req('POST', `/api/studies/${SAWTOOTH}/what-if`, { elections: { method } }));
      const direct = computeStudy(law, { ...study, elections: { ...study.elections, method } }).federal.credit;
      const base = computeStudy(law, study).federal.credit;
      expect(w.whatIf.federal).toEqual(direct.kind === 'known' ? { status: 'known', value: direct.value } : expect.objectContaining({ status: direct.kind }));
      if (direct.kind === 'known' && base.kind === 'known') expect(w.change.federal).toBe(direct.value - base.value);
      for (const d of w.differences) expect(d.base).not.toEqual(d.whatIf);
    }
    expect((await fx.server.ws.store.loadStudy(SAWTOOTH)).elections).toEqual(study.elections);
  });

  it('rejects an unknown option or choice when saving elections', async () => {
    const a = fx.agents.preparer!;
    expect((await a.req('PATCH', `/api/studies/${GEM}/elections`, { options: { 'no.such_option': 'x' } })).status).toBe(400);
    const opt = [...law.options.values()][0]!;
    expect((await a.req('PATCH', `/api/studies/${GEM}/elections`, { options: { [opt.id]: 'not-a-choice' } })).status).toBe(400);
    expect((await a.req('PATCH', `/api/studies/${GEM}/elections`, { method: 'sideways' })).status).toBe(400);
  });

  it('people: wages and the qualified share with their basis', async () => {
    const r = await j(fx.agents.read_only!.req('GET', `/api/studies/${SAWTOOTH}/people`));
    const study = await fx.server.ws.store.loadStudy(SAWTOOTH);
    expect(r.people).toHaveLength(study.employees.length);
    const p = r.people.find((x: { id: string }) => x.id === study.employees[0]!.id);
    const hours = study.time.filter((t) => t.employeeId === p.id).reduce((a, t) => a + t.hours, 0);
    expect(p.totalHours).toBeCloseTo(hours, 6);
    expect(p.basis).toMatch(/time entries|survey|estimate/);
  });
});

describe('imports', () => {
  it('previews the column mapping of a W-2 file', async () => {
    const r = await j(fx.agents.preparer!.req('POST', `/api/studies/${SAWTOOTH}/imports/preview?name=w2.csv`, new Uint8Array(W2)));
    expect(r.profile.id).toBe('rdcredit-w2');
    expect(r.mapping.find((m: { field: string }) => m.field === 'box1_wages').header).toBe('box1_wages');
    expect(r.sample[0][2]).toBe('SML-1004');
  });

  it('reports diagnostics with row and column and imports nothing when a row is bad', async () => {
    const before = (await fx.server.ws.store.loadStudy(GEM)).time.length;
    const r = await j(fx.agents.preparer!.req('POST', `/api/studies/${GEM}/imports?name=time-bad.csv&wait=true`, new Uint8Array(BAD_TIME)));
    expect(r.status).toBe('rejected');
    const errs = r.result.diagnostics.filter((d: { severity: string; row?: number }) => d.severity === 'error' && d.row !== undefined);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.some((d: { row: number; column?: string }) => d.row === 3 && d.column)).toBe(true);
    expect((await fx.server.ws.store.loadStudy(GEM)).time.length).toBe(before);
  });

  it('imports a W-2 file: the ledger keeps the bytes, wages change, the credit changes, progress ends with "done"', async () => {
    const a = fx.agents.preparer!;
    const before = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
    const start = await a.req('POST', `/api/studies/${SAWTOOTH}/imports?name=w2-raise.csv`, new Uint8Array(W2));
    expect(start.status).toBe(202);
    const job = await j(start);
    const sse = await (await a.req('GET', `/api/studies/${SAWTOOTH}/imports/${job.id}/events`)).text();
    expect(sse, sse).toMatch(/event: done/);
    const done = await j(a.req('GET', `/api/studies/${SAWTOOTH}/imports/${job.id}`));
    expect(done.status).toBe('done');
    expect(done.result.merged.updated.employees).toBe(1);
    const sha = createHash('sha256').update(W2).digest('hex');
    expect(done.sha256).toBe(sha);
    const study = await fx.server.ws.store.loadStudy(SAWTOOTH);
    expect(study.employees.find((e) => e.id === 'SML-1004')!.wagesBox1).toBe(19_650_000);
    const after = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
    expect(after.credits.federal.credit.value).toBeGreaterThan(before.credits.federal.credit.value);
    // the raw file comes back byte for byte
    const raw = await a.req('GET', `/api/studies/${SAWTOOTH}/evidence/${sha}`);
    expect(Buffer.from(await raw.arrayBuffer()).equals(W2)).toBe(true);
    // the audit log has the import with before and after
    const audit = await j(a.req('GET', `/api/studies/${SAWTOOTH}/audit`));
    const e = audit.entries.find((x: { action: string }) => x.action === 'import');
    expect(e.user).toBe(ROLE_USERS.preparer);
    expect(e.after.sha256).toBe(sha);
    expect(e.before.employees).toBe(e.after.employees);
    // the same bytes again: already imported, nothing changes
    const again = await j(a.req('POST', `/api/studies/${SAWTOOTH}/imports?name=w2-again.csv&wait=true`, new Uint8Array(W2)));
    expect(again.result.status).toBe('already_imported');
    expect((await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`))).credits.federal.credit).toEqual(after.credits.federal.credit);
  });

  it('refuses an upload over the size limit', async () => {
    const opts = fx.server.deps.opts;
    const was = opts.maxUploadBytes;
    opts.maxUploadBytes = 10;
    try {
      const r = await fx.agents.preparer!.req('POST', `/api/studies/${SAWTOOTH}/imports?name=w2.csv`, new Uint8Array(W2));
      expect(r.status).toBe(413);
    } finally {
      opts.maxUploadBytes = was;
    }
  });
});

describe('components, interviews and evidence', () => {
  it('saves interview answers (a client contributor may), keeps who and when, and rejects unknown questions', async () => {
    const a = fx.agents.client_contributor!;
    const r = await a.req('PUT', `/api/studies/${SAWTOOTH}/components/SGA/interview`, { answers: [{ question: 'poe.trials', value: 6 }, { question: 'pp.improvement', value: 'quality at lower compute', note: 'from ADR-014' }] });
    expect(r.status).toBe(200);
    const comps = await j(a.req('GET', `/api/studies/${SAWTOOTH}/components`));
    const sga = comps.components.find((c: { id: string }) => c.id === 'SGA');
    expect(sga.answers.find((x: { question: string }) => x.question === 'poe.trials').value).toBe(6);
    // a partly answered interview leaves the recorded decision alone
    expect(sga.qualification).toBe('qualifies');
    expect(sga.answers.find((x: { question: string }) => x.question === 'poe.trials').answeredBy).toBe(ROLE_USERS.client_contributor);
    expect((await a.req('PUT', `/api/studies/${SAWTOOTH}/components/SGA/interview`, { answers: [{ question: 'made.up', value: 1 }] })).status).toBe(400);
    // but may not read the computation
    expect((await a.req('GET', `/api/studies/${SAWTOOTH}/result`)).status).toBe(403);
  });

  it("records the preparer's qualification decision, and the credit follows it", async () => {
    const a = fx.agents.preparer!;
    const before = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
    const r = await a.req('PATCH', `/api/studies/${SAWTOOTH}/components/EVAL/qualification`, { result: 'does_not_qualify', why: 'reviewer: the harness is routine testing' });
    expect(r.status).toBe(200);
    const after = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
    expect(after.qre.total.value).toBeLessThan(before.qre.total.value);
    const comps = await j(a.req('GET', `/api/studies/${SAWTOOTH}/components`));
    expect(comps.components.find((c: { id: string }) => c.id === 'EVAL').decisions.at(-1)).toMatchObject({ result: 'does_not_qualify', previous: 'qualifies' });
    await a.req('PATCH', `/api/studies/${SAWTOOTH}/components/EVAL/qualification`, { result: 'qualifies', why: 'restored after review' });
    expect((await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`))).qre.total.value).toBe(before.qre.total.value);
  });

  it('stores evidence by SHA-256, once, and links it to components', async () => {
    const a = fx.agents.client_contributor!;
    const bytes = 'ADR-014: hybrid attention ablations, runs sgA-0412 … sgA-0802';
    const sha = createHash('sha256').update(bytes).digest('hex');
    const r1 = await j(a.req('POST', `/api/studies/${SAWTOOTH}/evidence?name=adr-014.md&kind=adr&components=SGA&claimedDate=2025-03-02`, bytes));
    expect(r1.item.sha256).toBe(sha);
    const r2 = await j(a.req('POST', `/api/studies/${SAWTOOTH}/evidence?name=adr-014-copy.md&kind=adr&components=PAR`, bytes));
    expect(r2.alreadyPresent).toBe(true);
    expect(r2.item.id).toBe(r1.item.id);
    expect(r2.item.componentIds.sort()).toEqual(['PAR', 'SGA']);
    // linking the same bytes again keeps the first upload's title and date
    expect(r2.item).toMatchObject({ title: 'adr-014.md', claimedDate: '2025-03-02' });
    expect((await a.req('POST', `/api/studies/${SAWTOOTH}/evidence?name=x.md&components=NOPE`, 'x')).status).toBe(400);
  });
});

describe('the component page, the dashboard charts, people and comments', () => {
  const law = loadLaw();

  it('gives one component with the qualification report: tests with reasons and citations, exclusions, substantially-all, evidence with contemporaneity, readiness checks', async () => {
    const a = fx.agents.read_only!;
    const study = await fx.server.ws.store.loadStudy(SAWTOOTH);
    const expected = (await fx.server.ws.qualification(study))!.components.find((c) => c.componentId === 'SGA')!;
    const r = await j(a.req('GET', `/api/studies/${SAWTOOTH}/components/SGA`));
    expect(r.component.id).toBe('SGA');
    expect(r.qualification.tests.map((t: { test: string }) => t.test)).toEqual(['permitted_purpose', 'technological_uncertainty', 'technological_in_nature', 'process_of_experimentation']);
    for (const t of r.qualification.tests) {
      expect(t.reasons.length, t.test).toBeGreaterThan(0);
      expect(t.citations.length, t.test).toBeGreaterThan(0);
      expect(t.citations[0].title).toMatch(/U\.S\.C\.|Treas\. Reg\./);
    }
    expect(r.qualification.exclusions.map((x: { exclusion: string }) => x.exclusion)).toEqual(expected.exclusions.map((x) => x.exclusion));
    expect(r.qualification.substantiallyAll.share).toBe(expected.substantiallyAll.share);
    expect(r.qualification.substantiallyAll.method.length).toBeGreaterThan(10);
    expect(r.qualification.readiness.checks.length).toBeGreaterThan(0);
    for (const c of r.qualification.readiness.checks) expect(Array.isArray(c.citation), c.id).toBe(true);
    // the evidence uploaded above is dated 2025-03-02, inside the 2025 tax year
    const ev = r.qualification.evidence.find((e: { title: string }) => e.title === 'adr-014.md');
    expect(ev).toMatchObject({ claimedDate: '2025-03-02', contemporaneous: true });
    expect(r.period).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    // the QREs of the component are the computation's
    const direct = computeStudy(law, study).qre.byComponent.find((x) => x.componentId === 'SGA')!;
    expect(r.qre.total).toBe(direct.total);
    expect((await a.req('GET', `/api/studies/${SAWTOOTH}/components/NOPE`)).status).toBe(404);
    // evidence whose bytes are in the ledger is listed as stored and downloads with its SHA-256:
    // the example's own items (kept by seedDemo) and the upload
    const adr = createHash('sha256').update('ADR-014: hybrid attention ablations, runs sgA-0412 … sgA-0802').digest('hex');
    expect([...r.stored].sort()).toEqual([...new Set(r.evidence.map((e: { sha256?: string }) => e.sha256).filter(Boolean))].sort());
    expect(r.stored).toContain(adr);
    const f = await a.req('GET', `/api/studies/${SAWTOOTH}/evidence/${adr}`);
    expect(f.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await f.arrayBuffer())).digest('hex')).toBe(adr);
  });

  it('shows a client contributor the qualification of their component but not its QREs or review comments', async () => {
    const r = await j(fx.agents.client_contributor!.req('GET', `/api/studies/${SAWTOOTH}/components/SGA`));
    expect(r.qualification.componentId).toBe('SGA');
    expect(r.qre).toBeUndefined();
    expect(r.comments).toBeUndefined();
  });

  it('dashboard: QREs year over year from the history (as entered) and this year (computed), oldest first; a year without QREs is unknown', async () => {
    const saw = await j(fx.agents.read_only!.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
    const study = await fx.server.ws.store.loadStudy(SAWTOOTH);
    const total = computeStudy(law, study).qre.total;
    expect(saw.qre.yearOverYear.map((y: { label: string; current: boolean }) => [y.label, y.current])).toEqual([['2022', false], ['2023', false], ['2024', false], ['2025', true]]);
    // examples/sawtooth-ml/study.yaml: QREs 2022 $880,000.00, 2023 $2,240,000.00, 2024 $3,910,000.00 (Idaho $2,450,000.00)
    expect(saw.qre.yearOverYear.slice(0, 3).map((y: { total: unknown }) => y.total)).toEqual([88_000_000, 224_000_000, 391_000_000].map((value) => ({ status: 'known', value })));
    expect(saw.qre.yearOverYear[2].byState.ID).toBe(245_000_000);
    expect(saw.qre.yearOverYear[3].total).toEqual(total.kind === 'known' ? { status: 'known', value: total.value } : expect.objectContaining({ status: total.kind }));
    expect(saw.credits.federal.alternatives.length).toBeGreaterThanOrEqual(2);
    const gem = await j(fx.agents.read_only!.req('GET', `/api/studies/${GEM}/dashboard`));
    const prior = gem.qre.yearOverYear.filter((y: { current: boolean }) => !y.current);
    expect(prior.map((y: { label: string }) => y.label)).toEqual(['2019', '2020', '2021', '2022']);
    for (const y of prior) expect(y.total.status).toBe('unknown');
  });

  it("people: each employee's wages, qualified share, role, hours by work state and basis as the computation gives them", async () => {
    const study = await fx.server.ws.store.loadStudy(SAWTOOTH);
    const direct = computeStudy(law, study).employees!;
    const r = await j(fx.agents.read_only!.req('GET', `/api/studies/${SAWTOOTH}/people`));
    expect(r.people.map((p: { id: string }) => p.id).sort()).toEqual(direct.map((e) => e.id).sort());
    for (const e of direct) {
      const p = r.people.find((x: { id: string }) => x.id === e.id);
      expect({ wages: p.wages, qualifiedShare: p.qualifiedShare, qualifiedWages: p.qualifiedWages, role: p.role, hoursByState: p.hoursByState, basis: p.basis }, e.id).toEqual({ wages: e.wages, qualifiedShare: e.qualifiedShare, qualifiedWages: e.qualifiedWages, role: e.role, hoursByState: e.hoursByState, basis: e.basis });
    }
    // under the 80% rule the share used is 1 while the measured share stays visible
    const all = r.people.find((p: { substantiallyAll: boolean | null }) => p.substantiallyAll === true);
    if (all) {
      expect(all.qualifiedShare).toBe('1');
      expect(Number(all.measuredShare)).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('comments on every form line and on a component by their targets, and refuses a target that is not in the study', async () => {
    const a = fx.agents.technical_reviewer!;
    const res = await j(a.req('GET', `/api/studies/${SAWTOOTH}/result`));
    for (const [fid, f] of Object.entries(res.forms as Record<string, { lines: { line: string }[] }>))
      for (const l of f.lines) expect((await a.req('POST', `/api/studies/${SAWTOOTH}/comments`, { target: `line:${fid}:${l.line}`, body: `checked ${fid} ${l.line}` })).status, `${fid} ${l.line}`).toBe(201);
    expect((await a.req('POST', `/api/studies/${SAWTOOTH}/comments`, { target: 'component:SGA', body: 'ask for the ablation runs' })).status).toBe(201);
    const page = await j(a.req('GET', `/api/studies/${SAWTOOTH}/components/SGA`));
    expect(page.comments.map((c: { body: string }) => c.body)).toContain('ask for the ablation runs');
    for (const target of ['component:NOPE', 'line:f6765:999', 'line:nope:1', 'employee:NOBODY'])
      expect((await a.req('POST', `/api/studies/${SAWTOOTH}/comments`, { target, body: 'x' })).status, target).toBe(400);
  });

  it('lists with each study what the role may do', async () => {
    const list = await j(fx.agents.technical_reviewer!.req('GET', '/api/studies'));
    expect(list.studies.find((s: { id: string }) => s.id === SAWTOOTH).permissions).toEqual(expect.arrayContaining(['study.read', 'comment.write']));
    const ro = await j(fx.agents.read_only!.req('GET', `/api/studies/${SAWTOOTH}`));
    expect(ro.permissions).not.toContain('comment.write');
  });
});

describe('a qualification engine, when wired in', () => {
  it('re-evaluates the component after an interview answer and the credit changes', async () => {
    const ext: Extensions = {
      qualification: {
        questions: () => [{ id: 'uncertain', section: 'technological_uncertainty', text: 'Was the outcome uncertain?', type: 'yes_no' }],
        qualify: (_law, study) => ({
          readiness: { score: 0, checks: [] },
          components: study.components.map((c) => {
            const ans = study.interviews?.find((i) => i.componentId === c.id)?.answers.find((a) => a.question === 'uncertain');
            const result = ans === undefined ? c.qualification : ans.value === true ? ('qualifies' as const) : ('does_not_qualify' as const);
            return { componentId: c.id, name: c.name, result, reasons: [`uncertain = ${String(ans?.value)}`], tests: [], exclusions: [], substantiallyAll: { method: '', basis: 'none' as const, share: null, threshold: '0.8', passes: null }, evidence: [], readiness: { score: 0, checks: [] } };
          }),
        }),
      },
    };
    const ws = fx.server.ws;
    const real = ws.ext.qualification;
    ws.ext.qualification = ext.qualification;
    try {
      const a = fx.agents.preparer!;
      const before = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
      const r = await j(a.req('PUT', `/api/studies/${SAWTOOTH}/components/PAR/interview`, { answers: [{ question: 'uncertain', value: false }] }));
      expect(r.qualificationChanges).toEqual([expect.objectContaining({ componentId: 'PAR', result: 'does_not_qualify', previous: 'qualifies' })]);
      const after = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
      expect(after.qre.total.value).toBeLessThan(before.qre.total.value);
      expect(after.readiness.source).toBe('qualification');
      // other components are left as they were
      const comps = await j(a.req('GET', `/api/studies/${SAWTOOTH}/components`));
      expect(comps.components.filter((c: { qualification: string }) => c.qualification === 'qualifies').map((c: { id: string }) => c.id)).not.toContain('PAR');
      expect(comps.components.find((c: { id: string }) => c.id === 'SGA').qualification).toBe('qualifies');
      await a.req('PATCH', `/api/studies/${SAWTOOTH}/components/PAR/qualification`, { result: 'qualifies', why: 'restored for the next tests' });
    } finally {
      ws.ext.qualification = real;
    }
  });
});

describe('the modules wired in by default', () => {
  it('the qualification engine: an exclusion answer makes a component not qualify, and the QREs drop', async () => {
    const a = fx.agents.preparer!;
    const iv = await j(a.req('GET', `/api/studies/${SAWTOOTH}/interview`));
    expect(iv.engine).toBe('qualification');
    expect(iv.questions.map((q: { id: string }) => q.id)).toContain('ex.duplication');
    const before = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
    expect(before.readiness.source).toBe('qualification');
    const r = await j(a.req('PUT', `/api/studies/${SAWTOOTH}/components/EVAL/interview`, { answers: [{ question: 'ex.duplication', value: true }] }));
    expect(r.qualificationChanges).toEqual([expect.objectContaining({ componentId: 'EVAL', result: 'does_not_qualify', previous: 'qualifies' })]);
    const after = await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`));
    expect(after.qre.total.value).toBeLessThan(before.qre.total.value);
    // restore for the tests that follow
    await a.req('PUT', `/api/studies/${SAWTOOTH}/components/EVAL/interview`, { answers: [{ question: 'ex.duplication', value: false }] });
    await a.req('PATCH', `/api/studies/${SAWTOOTH}/components/EVAL/qualification`, { result: 'qualifies', why: 'restored after the test' });
    expect((await j(a.req('GET', `/api/studies/${SAWTOOTH}/dashboard`))).qre.total.value).toBe(before.qre.total.value);
  });

  it('the quick check gives the hand-derived ASC range for a questionnaire', async () => {
    const fx0 = parseYaml(readFileSync(join(__dirname, '..', 'assist', 'fixtures', 'quickcheck', 'ai-native-product.yaml'), 'utf8')) as { answers: unknown };
    const r = await j(fx.agents.read_only!.req('POST', '/api/quick-check', fx0.answers));
    expect(r.verdict).toBe('likely');
    const asc = JSON.stringify(r.federal.asc.range);
    expect(asc).toContain('22050');
    expect(asc).toContain('109760');
    expect((await fx.agents.read_only!.req('POST', '/api/quick-check', { taxYear: 2025 })).status).toBe(400);
  });

  it('downloads the report (PDF), the forms (PDF), the workpapers (XLSX) and the audit file (ZIP)', async () => {
    const a = fx.agents.read_only!;
    const list = (await j(a.req('GET', `/api/studies/${GEM}/downloads`))).downloads.map((d: { id: string }) => d.id);
    expect(list).toEqual(expect.arrayContaining(['report-pdf', 'forms-pdf', 'workpapers-xlsx', 'audit-zip', 'lines-csv']));
    const magic = async (id: string) => Buffer.from(await (await a.req('GET', `/api/studies/${GEM}/downloads/${id}`)).arrayBuffer()).subarray(0, 4).toString('latin1');
    expect(await magic('report-pdf')).toBe('%PDF');
    expect(await magic('forms-pdf')).toBe('%PDF');
    expect(await magic('workpapers-xlsx')).toBe('PK\u0003\u0004');
    expect(await magic('audit-zip')).toBe('PK\u0003\u0004');
  });
});

describe('review: sign-off, locks and versions', () => {
  it('signs in order; a signed version is read-only and a change opens the next version', async () => {
    const id = GEM;
    const { preparer, technical_reviewer: reviewer, signing_cpa: cpa } = fx.agents as Record<string, NonNullable<(typeof fx.agents)[string]>>;
    expect((await cpa!.req('POST', `/api/studies/${id}/signoffs`, { stage: 'signing' })).status).toBe(409); // needs the others first
    expect((await reviewer!.req('POST', `/api/studies/${id}/signoffs`, { stage: 'preparer' })).status).toBe(403); // wrong role
    const v0 = (await j(preparer!.req('GET', `/api/studies/${id}/signoffs`))).version.version;
    expect((await preparer!.req('POST', `/api/studies/${id}/signoffs`, { stage: 'preparer' })).status).toBe(201);
    expect((await reviewer!.req('POST', `/api/studies/${id}/signoffs`, { stage: 'technical_review' })).status).toBe(201);
    const signed = await j(cpa!.req('POST', `/api/studies/${id}/signoffs`, { stage: 'signing', note: 'signed for filing' }));
    expect(signed.locked).toBe(true);
    const savedElections = (await fx.server.ws.store.loadStudy(id)).elections;
    // signing again is refused; comments are still allowed
    expect((await cpa!.req('POST', `/api/studies/${id}/signoffs`, { stage: 'signing' })).status).toBe(423);
    expect((await reviewer!.req('POST', `/api/studies/${id}/comments`, { target: 'line:f6765:24', body: 'noted after signing' })).status).toBe(201);
    // a change opens version v0+1; the signed snapshot keeps the old elections
    const ch = await j(preparer!.req('PATCH', `/api/studies/${id}/elections`, { method: 'asc' }));
    expect(ch).toMatchObject({ version: v0 + 1, openedVersion: true });
    const versions = await j(preparer!.req('GET', `/api/studies/${id}/versions`));
    expect(versions.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [v0, 'signed'],
      [v0 + 1, 'open'],
    ]);
    const old = await j(preparer!.req('GET', `/api/studies/${id}/versions/${v0}`));
    expect(old.study.elections).toEqual(savedElections);
    expect((await fx.server.ws.store.loadStudy(id)).elections.method).toBe('asc');
    // the audit log tells the story: who, what, before and after
    const audit = (await j(preparer!.req('GET', `/api/studies/${id}/audit`))).entries as { action: string; user: string; before: any; after: any }[];
    const actions = audit.map((e) => e.action).reverse();
    const i = actions.indexOf('signoff.signing');
    expect(actions.slice(i)).toEqual(expect.arrayContaining(['signoff.signing', 'comment.add', 'version.open', 'elections.update']));
    const upd = audit.find((e) => e.action === 'elections.update')!;
    expect(upd.before.method).toBe(savedElections.method);
    expect(upd.after.method).toBe('asc');
    expect(upd.user).toBe(ROLE_USERS.preparer);
  });

  it('the audit log cannot be edited', async () => {
    await expect(fx.server.ws.db.query('update audit_log set action = $1', ['forged'])).rejects.toThrow(/append-only/);
    await expect(fx.server.ws.db.query('delete from audit_log')).rejects.toThrow(/append-only/);
  });
});

describe('firm administration', () => {
  it('adds a client contributor tied to a client, who then sees only that client', async () => {
    const admin = fx.agents.firm_admin!;
    const bad = await admin.req('POST', '/api/firms/example-cpa/users', { email: 'x@y.test', name: 'X', password: 'long enough password', role: 'client_contributor' });
    expect(bad.status).toBe(400);
    const r = await admin.req('POST', '/api/firms/example-cpa/users', { email: 'eng@gem.test', name: 'Gem engineer', password: 'long enough password', role: 'client_contributor', clientId: 'gem-state-fabrication' });
    expect(r.status).toBe(201);
    const eng = await fx.login('eng@gem.test', 'long enough password');
    const clients = await j(eng.req('GET', '/api/firms/example-cpa/clients'));
    expect(clients.clients.map((c: { id: string }) => c.id)).toEqual(['gem-state-fabrication']);
    expect((await eng.req('GET', `/api/studies/${SAWTOOTH}/components`)).status).toBe(404);
    expect((await admin.req('POST', '/api/firms/example-cpa/users', { email: 'eng@gem.test', name: 'again', password: 'long enough password', role: 'read_only' })).status).toBe(409);
  });
});

describe('downloads and the OpenAPI document', () => {
  it('downloads every form line as CSV, matching the computation', async () => {
    const r = await fx.agents.read_only!.req('GET', `/api/studies/${GEM}/downloads/lines-csv`);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/);
    const csv = await r.text();
    const res = await j(fx.agents.read_only!.req('GET', `/api/studies/${GEM}/result`));
    const rows = csv.trim().split('\n');
    const n = Object.values(res.forms as Record<string, { lines: unknown[] }>).reduce((a, f) => a + f.lines.length, 0);
    expect(rows).toHaveLength(n + 1);
    const l = res.forms.id67?.lines.find((x: { status: string; kind: string }) => x.status === 'known' && x.kind === 'money');
    if (l) expect(csv).toContain(`id67,${l.line},`);
  });

  it('documents every route in an OpenAPI 3.1 document with its request schema', async () => {
    const doc = await j(fx.anon.req('GET', '/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    for (const r of routes) {
      const op = doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      if (r.body) expect(op.requestBody.content['application/json'].schema.type).toBeDefined();
    }
    const login = doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema;
    expect(login.required).toEqual(['email', 'password']);
  });

  it('answers 501 for features whose module is not installed, and 404 for unknown API paths', async () => {
    const ext = fx.server.ws.ext;
    const saved = { ...ext };
    delete ext.quickCheck;
    delete ext.qualification;
    try {
      expect((await fx.agents.preparer!.req('POST', '/api/quick-check', {})).status).toBe(501);
      expect((await fx.agents.preparer!.req('GET', `/api/studies/${GEM}/qualification`)).status).toBe(501);
    } finally {
      Object.assign(ext, saved);
    }
    expect((await fx.agents.preparer!.req('GET', '/api/nothing-here')).status).toBe(404);
  });

  it('sends security headers', async () => {
    const r = await fx.anon.req('GET', '/api/health');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});
});
