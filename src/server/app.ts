/**
 * The HTTP API (Hono). Every route is declared once in `routes` with its method, path, who may
 * call it and its request schema; `createApp` registers them behind one error mapping
 * (errors.ts), session and CSRF checks, and serves the built web app. The OpenAPI document and
 * the route tests are generated from the same list, so a route cannot exist undocumented or
 * untested for tenant isolation.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z, type ZodType } from 'zod';
import type { Elections, EvidenceItem } from '../study/model.js';
import { toJsonDocument } from '../study/compute/output.js';
import { renderText } from '../explain/index.js';
import type { ImportKind } from '../importers/index.js';
import { addMembership, checkLogin, createSession, createUser, deleteSession, firmUsers, sessionUser, sha256, randomToken, userById, type User } from './auth/accounts.js';
import { LoginLimiter, type RateLimitConfig } from './auth/ratelimit.js';
import { createClient, createEmptyStudy, createStudyFromZip, createTaxpayer } from './engagements.js';
import { ApiError, badRequest, forbidden, notFound, toHttp } from './errors.js';
import type { DownloadProvider } from './extensions.js';
import { ImportJobs, previewImport } from './imports.js';
import { FALLBACK_INTERVIEW } from './interview.js';
import { can, ROLE_LABELS, ROLE_PERMISSIONS, ROLES, type Permission } from './roles.js';
import * as S from './schemas.js';
import { findExplanation, linesCsv, peopleJson, resultJson } from './serialize.js';
import { buildDashboard, whatIf } from './views.js';
import type { Access, SignoffStage, Workspace } from './workspace.js';

export const SESSION_COOKIE = 'rdc_session';
export const CSRF_COOKIE = 'rdc_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type Guard = 'public' | 'user' | { firm: Permission | 'member' } | { study: Permission };

export interface RouteCtx {
  c: Context;
  deps: AppDeps;
  user?: User;
  access?: Access;
  body?: unknown;
  query?: unknown;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  tag: string;
  guard: Guard;
  body?: ZodType;
  query?: ZodType;
  /** What the route sends back, for the OpenAPI document. */
  produces?: 'json' | 'file' | 'sse';
  /** The request body is the file itself (raw bytes) or multipart form data with a `file` field. */
  upload?: boolean;
  handler(x: RouteCtx): Promise<Response | unknown>;
}

export interface AppOptions {
  /** Folder of the built web app (index.html + assets); omitted = API only. */
  webDir?: string;
  /** Temporary folder for uploads. */
  tmpDir?: string;
  /** Largest upload accepted, in bytes (default 512 MiB). */
  maxUploadBytes?: number;
  rateLimit?: RateLimitConfig;
  /** Mark cookies Secure (serve over HTTPS). */
  secureCookies?: boolean;
  /** How to find the client address (default: the socket's remote address). */
  clientIp?: (c: Context) => string;
}

export interface AppDeps {
  ws: Workspace;
  jobs: ImportJobs;
  limiter: LoginLimiter;
  opts: AppOptions;
}

type ResponseBody = ConstructorParameters<typeof Response>[0];

const json = (c: Context, body: unknown, status = 200) => c.json(body as object, status as 200);

function csvIds(s: string | undefined): string[] {
  return (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function builtInDownloads(): DownloadProvider[] {
  return [
    { id: 'result-json', title: 'Computation (JSON, as `rdcredit compute --json`)', contentType: 'application/json', fileName: (s) => `${s.id}-result.json`, render: (x) => JSON.stringify(toJsonDocument(x.result), null, 2) },
    { id: 'lines-csv', title: 'Every form line (CSV)', contentType: 'text/csv; charset=utf-8', fileName: (s) => `${s.id}-form-lines.csv`, render: (x) => linesCsv(x.result) },
    {
      id: 'explanations-txt',
      title: 'Explanation of every form line (text)',
      contentType: 'text/plain; charset=utf-8',
      fileName: (s) => `${s.id}-explanations.txt`,
      render: (x) =>
        Object.values(x.result.forms)
          .flatMap((f) => Object.entries(f.lines).map(([l, v]) => `── ${f.title}, line ${l}: ${f.labels[l] ?? ''}\n${renderText(v.why, { maxDepth: 6 })}\n`))
          .join('\n'),
    },
  ];
}

async function uploadOf(c: Context, jobs: ImportJobs, nameHint: string | undefined, max: number): Promise<{ path: string; name: string }> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    const f = form.file;
    if (!(f instanceof File)) throw badRequest('multipart upload needs a "file" field');
    if (f.size > max) throw new ApiError('too_large', `the file is larger than ${max} bytes`);
    const name = nameHint ?? f.name;
    return { path: jobs.saveBytes(new Uint8Array(await f.arrayBuffer()), name), name };
  }
  const name = nameHint ?? 'upload.csv';
  return { path: await jobs.receive(c.req.raw.body, name, max), name };
}

function safeName(n: string): string {
  return n.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'file';
}

export const routes: RouteDef[] = [
  // ── public ──
  { method: 'GET', path: '/api/health', summary: 'Liveness', tag: 'meta', guard: 'public', handler: async () => ({ ok: true }) },
  { method: 'GET', path: '/api/openapi.json', summary: 'This OpenAPI 3.1 document', tag: 'meta', guard: 'public', handler: async () => openApiDocument() },
  {
    method: 'GET',
    path: '/api/auth/csrf',
    summary: 'A CSRF token for the login form (double-submit cookie)',
    tag: 'auth',
    guard: 'public',
    handler: async ({ c, deps }) => {
      const token = getCookie(c, CSRF_COOKIE) ?? randomToken();
      setCookie(c, CSRF_COOKIE, token, { path: '/', sameSite: 'Lax', secure: deps.opts.secureCookies ?? false, httpOnly: false });
      return { csrf: token };
    },
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Log in; sets the session cookie (HTTP-only) and a new CSRF cookie',
    tag: 'auth',
    guard: 'public',
    body: S.LoginBody,
    handler: async ({ c, deps, body }) => {
      const { email, password } = body as z.infer<typeof S.LoginBody>;
      const ip = (deps.opts.clientIp ?? defaultIp)(c);
      const wait = deps.limiter.blocked(ip, email);
      if (wait !== undefined) throw new ApiError('rate_limited', 'too many failed logins; try again later', undefined, wait);
      const id = await checkLogin(deps.ws.db, email, password);
      if (!id) {
        deps.limiter.failed(ip, email);
        throw new ApiError('unauthenticated', 'wrong email or password');
      }
      deps.limiter.succeeded(email);
      const s = await createSession(deps.ws.db, id);
      const secure = deps.opts.secureCookies ?? false;
      setCookie(c, SESSION_COOKIE, s.id, { path: '/', httpOnly: true, sameSite: 'Lax', secure, expires: s.expires });
      setCookie(c, CSRF_COOKIE, s.csrf, { path: '/', httpOnly: false, sameSite: 'Lax', secure, expires: s.expires });
      const user = (await userById(deps.ws.db, id))!;
      await deps.ws.audit({ firmId: user.memberships[0]?.firmId ?? '', userId: id, action: 'auth.login', after: { ip } });
      return { user, csrf: s.csrf };
    },
  },
  // ── the user ──
  {
    method: 'POST',
    path: '/api/auth/logout',
    summary: 'Log out (ends the session)',
    tag: 'auth',
    guard: 'user',
    handler: async ({ c, deps }) => {
      const sid = getCookie(c, SESSION_COOKIE);
      if (sid) await deleteSession(deps.ws.db, sid);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  },
  {
    method: 'GET',
    path: '/api/me',
    summary: 'The logged-in user, their firms and roles, and what the server offers',
    tag: 'auth',
    guard: 'user',
    handler: async ({ user, deps }) => ({
      user,
      roles: Object.fromEntries(ROLES.map((r) => [r, ROLE_LABELS[r]])),
      features: {
        qualification: !!deps.ws.ext.qualification,
        quickCheck: !!deps.ws.ext.quickCheck,
        downloads: [...builtInDownloads(), ...(deps.ws.ext.downloads ?? [])].map((d) => d.id),
      },
    }),
  },
  { method: 'GET', path: '/api/studies', summary: "The studies of the user's firms (a client contributor: their client's)", tag: 'studies', guard: 'user', handler: async ({ user, deps }) => ({ studies: await deps.ws.listStudies(user!) }) },
  {
    method: 'GET',
    path: '/api/quick-check/schema',
    summary: 'The quick check input (JSON Schema)',
    tag: 'quick check',
    guard: 'user',
    handler: async ({ deps }) => {
      if (!deps.ws.ext.quickCheck) throw new ApiError('unavailable', 'the quick check is not installed in this server');
      return { schema: deps.ws.ext.quickCheck.inputSchema() };
    },
  },
  {
    method: 'POST',
    path: '/api/quick-check',
    summary: 'Run the quick check (an estimate before any data is imported)',
    tag: 'quick check',
    guard: 'user',
    body: z.record(z.string(), z.unknown()),
    handler: async ({ deps, body }) => {
      if (!deps.ws.ext.quickCheck) throw new ApiError('unavailable', 'the quick check is not installed in this server');
      return deps.ws.ext.quickCheck.run(deps.ws.law, body);
    },
  },
  // ── firm ──
  {
    method: 'GET',
    path: '/api/firms/:firmId/clients',
    summary: "The firm's clients and their studies (tax years)",
    tag: 'firms',
    guard: { firm: 'member' },
    handler: async ({ c, user, deps }) => {
      const firmId = c.req.param('firmId')!;
      const m = user!.memberships.find((x) => x.firmId === firmId)!;
      return { clients: await deps.ws.clients(firmId, m.role === 'client_contributor' ? m.clientId : undefined) };
    },
  },
  { method: 'GET', path: '/api/firms/:firmId/users', summary: "The firm's users and roles", tag: 'firms', guard: { firm: 'firm.admin' }, handler: async ({ c, deps }) => ({ users: await firmUsers(deps.ws.db, c.req.param('firmId')!) }) },
  {
    method: 'POST',
    path: '/api/firms/:firmId/users',
    summary: 'Add a user with a role (a client contributor is tied to one client)',
    tag: 'firms',
    guard: { firm: 'firm.admin' },
    body: S.NewUserBody,
    handler: async ({ c, user, deps, body }) => {
      const firmId = c.req.param('firmId')!;
      const b = body as z.infer<typeof S.NewUserBody>;
      if (b.clientId && !(await deps.ws.db.query('select 1 from client where firm_id = $1 and id = $2', [firmId, b.clientId])).length) throw notFound('client');
      if ((await deps.ws.db.query('select 1 from app_user where email = $1', [b.email.toLowerCase()])).length) throw new ApiError('conflict', 'a user with that email exists');
      const id = await createUser(deps.ws.db, b);
      await addMembership(deps.ws.db, id, firmId, b.role, b.clientId);
      await deps.ws.audit({ firmId, userId: user!.id, action: 'user.add', target: `user:${id}`, after: { email: b.email, role: b.role, clientId: b.clientId ?? null } });
      return json(c, { id, email: b.email.toLowerCase(), role: b.role }, 201);
    },
  },
  // ── new engagements ──
  {
    method: 'POST',
    path: '/api/firms/:firmId/clients',
    summary: 'Create a client of the firm (the id is made from the name when not given)',
    tag: 'firms',
    guard: { firm: 'engagement.create' },
    body: S.NewClientBody,
    handler: async ({ c, user, deps, body }) => json(c, await createClient(deps.ws, user!, c.req.param('firmId')!, body as z.infer<typeof S.NewClientBody>), 201),
  },
  {
    method: 'POST',
    path: '/api/firms/:firmId/clients/:clientId/taxpayers',
    summary: "Create a taxpayer of a client: name, EIN, entity type and the states it files or does research in",
    tag: 'firms',
    guard: { firm: 'engagement.create' },
    body: S.NewTaxpayerBody,
    handler: async ({ c, user, deps, body }) => json(c, await createTaxpayer(deps.ws, user!, c.req.param('firmId')!, c.req.param('clientId')!, body as z.output<typeof S.NewTaxpayerBody>), 201),
  },
  {
    method: 'POST',
    path: '/api/firms/:firmId/clients/:clientId/taxpayers/:taxpayerId/studies',
    summary: 'Create an empty tax-year study for a taxpayer (the `rdcredit init` templates), with pass-through owners if any',
    tag: 'firms',
    guard: { firm: 'engagement.create' },
    body: S.NewStudyBody,
    handler: async ({ c, user, deps, body }) =>
      json(c, await createEmptyStudy(deps.ws, user!, c.req.param('firmId')!, c.req.param('clientId')!, c.req.param('taxpayerId')!, body as z.infer<typeof S.NewStudyBody>), 201),
  },
  {
    method: 'POST',
    path: '/api/firms/:firmId/clients/:clientId/taxpayers/:taxpayerId/studies/upload',
    summary: 'Create a tax-year study from a study folder uploaded as a ZIP (raw body or multipart); an error answers 400 with the diagnostics (file, row, column) and saves nothing',
    tag: 'firms',
    guard: { firm: 'engagement.create' },
    query: S.StudyUploadQuery,
    upload: true,
    handler: async ({ c, user, deps, query }) => {
      const q = query as z.infer<typeof S.StudyUploadQuery>;
      const max = deps.opts.maxUploadBytes ?? 512 * 2 ** 20;
      const { path } = await uploadOf(c, deps.jobs, q.name ?? 'study.zip', max);
      try {
        const bytes = new Uint8Array(readFileSync(path));
        return json(c, await createStudyFromZip(deps.ws, user!, c.req.param('firmId')!, c.req.param('clientId')!, c.req.param('taxpayerId')!, bytes, q, max), 201);
      } finally {
        rmSync(path, { force: true });
      }
    },
  },
  // ── studies ──
  {
    method: 'GET',
    path: '/api/studies/:id',
    summary: 'A study: taxpayer, period, elections, version and counts',
    tag: 'studies',
    guard: { study: 'study.read' },
    handler: async ({ access, deps }) => {
      const s = await deps.ws.study(access!.studyId);
      return {
        id: s.id,
        title: s.title,
        firm: s.firm ?? null,
        client: s.client ?? null,
        taxpayer: s.taxpayer,
        elections: s.elections,
        version: await deps.ws.version(s.id),
        permissions: ROLE_PERMISSIONS[access!.role],
        counts: { employees: s.employees.length, time: s.time.length, components: s.components.length, supplies: s.supplies.length, computers: s.computers.length, contracts: s.contracts.length, evidence: s.evidence?.length ?? 0 },
        role: access!.role,
      };
    },
  },
  { method: 'GET', path: '/api/studies/:id/result', summary: 'Compute the study: credits, QREs, every form line with its status, review flags, what is missing', tag: 'compute', guard: { study: 'study.read' }, handler: async ({ access, deps }) => resultJson(await deps.ws.result(access!.studyId)) },
  {
    method: 'GET',
    path: '/api/studies/:id/explain',
    summary: 'The explanation tree ("why?") of a form line (form & line) or of a rule (rule)',
    tag: 'compute',
    guard: { study: 'study.read' },
    query: S.ExplainQuery,
    handler: async ({ access, deps, query }) => {
      const q = query as z.infer<typeof S.ExplainQuery>;
      if (!(q.form && q.line) && !q.rule) throw badRequest('give form and line, or rule');
      const e = findExplanation(await deps.ws.result(access!.studyId), q.form, q.line, q.rule);
      if (!e) throw notFound('line or rule');
      return { explanation: e, text: renderText(e) };
    },
  },
  { method: 'GET', path: '/api/studies/:id/dashboard', summary: 'Dashboard: credits by method and state, QREs by category and component, readiness, flags, what is missing', tag: 'compute', guard: { study: 'study.read' }, handler: async ({ access, deps }) => buildDashboard(deps.ws, access!.studyId) },
  {
    method: 'GET',
    path: '/api/studies/:id/people',
    summary: "People and time: each employee's wages, qualified share, hours by activity and state, and the basis",
    tag: 'compute',
    guard: { study: 'study.read' },
    handler: async ({ access, deps }) => {
      const s = await deps.ws.study(access!.studyId);
      return { people: peopleJson(deps.ws.lawView(s), s, (await deps.ws.result(access!.studyId)).employees) };
    },
  },
  {
    method: 'POST',
    path: '/api/studies/:id/what-if',
    summary: 'Recompute with other elections or options (nothing is saved) and show the differences',
    tag: 'compute',
    guard: { study: 'study.read' },
    body: S.WhatIfBody,
    handler: async ({ access, deps, body }) => whatIf(deps.ws, access!.studyId, (body as z.infer<typeof S.WhatIfBody>).elections as Partial<Elections>),
  },
  {
    method: 'PATCH',
    path: '/api/studies/:id/elections',
    summary: 'Save elections and open-question options (audited; a signed version opens a new one)',
    tag: 'compute',
    guard: { study: 'study.edit' },
    body: S.ElectionsPatch,
    handler: async ({ access, deps, body }) => {
      const patch = body as Partial<Elections>;
      for (const id of Object.keys(patch.options ?? {})) {
        const o = deps.ws.law.options.get(id);
        if (!o) throw badRequest(`unknown option ${id}`);
        if (!(patch.options![id]! in o.choices)) throw badRequest(`option ${id} has no choice "${patch.options![id]}"; choices: ${Object.keys(o.choices).join(', ')}`);
      }
      const r = await deps.ws.setElections(access!, patch);
      return { elections: r.value, version: r.version, openedVersion: r.openedVersion };
    },
  },
  {
    method: 'GET',
    path: '/api/studies/:id/options',
    summary: 'Open legal questions: every named option with its choices, the default, the study\'s choice and whether the result used it',
    tag: 'compute',
    guard: { study: 'study.read' },
    handler: async ({ access, deps }) => {
      const s = await deps.ws.study(access!.studyId);
      const used = new Set((await deps.ws.result(access!.studyId)).flags.map((f) => f.option));
      return {
        options: [...deps.ws.law.options.values()].map((o) => ({
          id: o.id,
          label: o.label,
          question: o.question,
          choices: o.choices,
          default: o.default,
          chosen: s.elections.options?.[o.id] ?? o.default,
          usedByResult: used.has(o.id),
          review: o.review,
          reference: o.reference,
        })),
      };
    },
  },
  // ── components and interviews ──
  {
    method: 'GET',
    path: '/api/studies/:id/components',
    summary: 'Business components with their qualification, interview answers and evidence',
    tag: 'components',
    guard: { study: 'interview.read' },
    handler: async ({ access, deps }) => {
      const s = await deps.ws.study(access!.studyId);
      const report = await deps.ws.qualification(s);
      return {
        components: s.components.map((c) => ({
          ...c,
          answers: s.interviews?.find((i) => i.componentId === c.id)?.answers ?? [],
          evidence: (s.evidence ?? []).filter((e) => e.componentIds.includes(c.id)),
          decisions: (s.qualificationLog ?? []).filter((d) => d.componentId === c.id),
          ...(report ? { report: report.components.find((x) => x.componentId === c.id) ?? null } : {}),
        })),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/studies/:id/components/:componentId',
    summary: 'One business component: its record, interview answers, evidence, decisions and the qualification report (four-part test with reasons and citations, exclusions, substantially-all measurement, evidence contemporaneity, exam-readiness checks); with study.read also its QREs and comments',
    tag: 'components',
    guard: { study: 'interview.read' },
    handler: async ({ c, access, deps }) => {
      const s = await deps.ws.study(access!.studyId);
      const comp = s.components.find((x) => x.id === c.req.param('componentId'));
      if (!comp) throw notFound('component');
      const reader = can(access!.role, 'study.read');
      const result = await deps.ws.result(access!.studyId);
      const report = (await deps.ws.qualification(s)) ?? result.qualification;
      const q = report?.components.find((x) => x.componentId === comp.id) ?? null;
      const target = `component:${comp.id}`;
      const evidence = (s.evidence ?? []).filter((e) => e.componentIds.includes(comp.id));
      const shas = evidence.map((e) => e.sha256).filter((x): x is string => !!x);
      // which of them have their bytes in the ledger (and so can be downloaded)
      const stored = reader && shas.length ? (await deps.ws.db.query<{ sha256: string }>('select sha256 from ledger_blob where sha256 = any($1)', [shas])).map((r) => r.sha256) : [];
      return {
        component: comp,
        answers: s.interviews?.find((i) => i.componentId === comp.id)?.answers ?? [],
        evidence,
        decisions: (s.qualificationLog ?? []).filter((d) => d.componentId === comp.id),
        children: s.components.filter((x) => x.parentId === comp.id).map((x) => ({ id: x.id, name: x.name, qualification: x.qualification })),
        qualification: q,
        period: report?.period ?? result.study.period,
        threshold: report?.threshold ?? null,
        problems: (report?.problems ?? []).filter((p) => p.componentId === comp.id),
        ...(reader
          ? {
              qre: result.qre.byComponent.find((x) => x.componentId === comp.id) ?? null,
              /** SHA-256 of the evidence whose bytes are in the ledger (GET …/evidence/:sha256). */
              stored,
              comments: (await deps.ws.comments(access!.studyId)).filter((x) => x.target === target),
            }
          : {}),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/studies/:id/interview',
    summary: 'The four-part-test interview questions',
    tag: 'components',
    guard: { study: 'interview.read' },
    handler: async ({ deps }) => ({ questions: deps.ws.ext.qualification?.questions() ?? FALLBACK_INTERVIEW, engine: deps.ws.ext.qualification ? 'qualification' : 'none' }),
  },
  {
    method: 'PUT',
    path: '/api/studies/:id/components/:componentId/interview',
    summary: "Save interview answers for a component (re-evaluates its qualification when the engine is installed)",
    tag: 'components',
    guard: { study: 'interview.answer' },
    body: S.InterviewBody,
    handler: async ({ c, access, deps, body }) => {
      const b = body as z.infer<typeof S.InterviewBody>;
      const known = new Set((deps.ws.ext.qualification?.questions() ?? FALLBACK_INTERVIEW).map((q) => q.id));
      const bad = b.answers.filter((a) => !known.has(a.question)).map((a) => a.question);
      if (bad.length) throw badRequest(`unknown question(s): ${bad.join(', ')}`);
      const r = await deps.ws.saveAnswers(access!, c.req.param('componentId')!, b.answers);
      return { saved: b.answers.length, version: r.version, openedVersion: r.openedVersion, qualificationChanges: r.value.qualificationChanges };
    },
  },
  {
    method: 'PATCH',
    path: '/api/studies/:id/components/:componentId/qualification',
    summary: "Record the preparer's qualification decision for a component, with the reason",
    tag: 'components',
    guard: { study: 'study.edit' },
    body: S.QualificationBody,
    handler: async ({ c, access, deps, body }) => {
      const b = body as z.infer<typeof S.QualificationBody>;
      const r = await deps.ws.decideQualification(access!, c.req.param('componentId')!, b.result, b.why);
      return { decision: r.value, version: r.version, openedVersion: r.openedVersion };
    },
  },
  {
    method: 'GET',
    path: '/api/studies/:id/qualification',
    summary: 'The qualification report (four-part test, exclusions, substantially-all, readiness)',
    tag: 'components',
    guard: { study: 'study.read' },
    handler: async ({ access, deps }) => {
      const r = await deps.ws.qualification(await deps.ws.study(access!.studyId));
      if (!r) throw new ApiError('unavailable', 'the qualification engine is not installed in this server');
      return r;
    },
  },
  // ── imports ──
  {
    method: 'POST',
    path: '/api/studies/:id/imports/preview',
    summary: 'Preview the column mapping of a file (its first 64 KiB): profile, field → column, sample rows',
    tag: 'imports',
    guard: { study: 'study.edit' },
    query: S.ImportQuery,
    upload: true,
    handler: async ({ c, deps, query }) => {
      const q = query as z.infer<typeof S.ImportQuery>;
      const { path, name } = await uploadOf(c, deps.jobs, q.name, deps.opts.maxUploadBytes ?? 512 * 2 ** 20);
      try {
        const head = readFileSync(path).subarray(0, 64 * 1024 + 1);
        return await previewImport(deps.opts.tmpDir ?? tmpdir(), name, head, q.kind as ImportKind | undefined);
      } finally {
        (await import('node:fs')).rmSync(path, { force: true });
      }
    },
  },
  {
    method: 'POST',
    path: '/api/studies/:id/imports',
    summary: 'Import a file (raw body or multipart): kept in the ledger, validated (diagnostics by row and column), merged into the study. Returns the job; ?wait=true waits for the end',
    tag: 'imports',
    guard: { study: 'study.edit' },
    query: S.ImportQuery,
    upload: true,
    handler: async ({ c, access, deps, query }) => {
      const q = query as z.infer<typeof S.ImportQuery>;
      const { path, name } = await uploadOf(c, deps.jobs, q.name, deps.opts.maxUploadBytes ?? 512 * 2 ** 20);
      const { job, done } = await deps.jobs.start(access!, path, safeName(name), {
        ...(q.kind ? { kind: q.kind as ImportKind } : {}),
        ...(q.profile ? { profile: q.profile } : {}),
        ...(q.acceptSkip ? { acceptSkip: q.acceptSkip.split(',').map(Number) } : {}),
      });
      if (q.wait === 'true') return json(c, await done, 200);
      done.catch(() => undefined);
      return json(c, job, 202);
    },
  },
  { method: 'GET', path: '/api/studies/:id/imports', summary: 'Imports into this study', tag: 'imports', guard: { study: 'study.read' }, handler: async ({ access, deps }) => ({ imports: await deps.jobs.list(access!.studyId) }) },
  {
    method: 'GET',
    path: '/api/studies/:id/imports/:jobId',
    summary: 'An import job: progress, diagnostics, what was merged',
    tag: 'imports',
    guard: { study: 'study.read' },
    handler: async ({ c, access, deps }) => {
      const j = await deps.jobs.load(access!.studyId, c.req.param('jobId')!);
      if (!j) throw notFound('import');
      return j;
    },
  },
  {
    method: 'GET',
    path: '/api/studies/:id/imports/:jobId/events',
    summary: 'Progress of an import as server-sent events ("progress", then "done")',
    tag: 'imports',
    guard: { study: 'study.read' },
    produces: 'sse',
    handler: async ({ c, access, deps }) => {
      const first = await deps.jobs.load(access!.studyId, c.req.param('jobId')!);
      if (!first) throw notFound('import');
      return streamSSE(c, async (stream) => {
        // Writes are queued so that the last event is flushed before the stream closes.
        let queue: Promise<unknown> = Promise.resolve();
        const send = (j: typeof first) => {
          const msg = { event: j.status === 'running' ? 'progress' : 'done', data: JSON.stringify(j) };
          queue = queue.then(() => stream.writeSSE(msg));
          return queue;
        };
        if (first.status !== 'running') return void (await send(first));
        await new Promise<void>((resolveDone) => {
          let finished = false;
          const finish = () => {
            if (finished) return;
            finished = true;
            off();
            void queue.then(() => resolveDone());
          };
          const off = deps.jobs.subscribe(first.id, (j) => {
            void send(j);
            if (j.status !== 'running') finish();
          });
          stream.onAbort(finish);
          // the job may have ended between loading it and subscribing
          void deps.jobs.load(access!.studyId, first.id).then((now) => {
            const j = now ?? first;
            void send(j);
            if (j.status !== 'running') finish();
          });
        });
      });
    },
  },
  // ── evidence ──
  {
    method: 'GET',
    path: '/api/studies/:id/evidence',
    summary: 'Evidence items of the study',
    tag: 'evidence',
    guard: { study: 'interview.read' },
    handler: async ({ access, deps }) => ({ evidence: (await deps.ws.study(access!.studyId)).evidence ?? [] }),
  },
  {
    method: 'POST',
    path: '/api/studies/:id/evidence',
    summary: 'Upload evidence (raw body or multipart): content-addressed by SHA-256 in the append-only ledger, linked to components and people',
    tag: 'evidence',
    guard: { study: 'evidence.upload' },
    query: S.EvidenceQuery,
    upload: true,
    handler: async ({ c, access, deps, query }) => {
      const q = query as z.infer<typeof S.EvidenceQuery>;
      const { path, name } = await uploadOf(c, deps.jobs, q.name, deps.opts.maxUploadBytes ?? 512 * 2 ** 20);
      try {
        const bytes = new Uint8Array(readFileSync(path));
        const r = await deps.ws.addEvidence(access!, bytes, {
          name: safeName(name),
          kind: q.kind as EvidenceItem['kind'],
          ...(q.title ? { title: q.title } : {}),
          ...(q.claimedDate ? { claimedDate: q.claimedDate } : {}),
          componentIds: csvIds(q.components),
          employeeIds: csvIds(q.employees),
          ...(q.summary ? { summary: q.summary } : {}),
        });
        return json(c, { ...r.value, version: r.version, openedVersion: r.openedVersion }, 201);
      } finally {
        (await import('node:fs')).rmSync(path, { force: true });
      }
    },
  },
  {
    method: 'GET',
    path: '/api/studies/:id/evidence/:sha256',
    summary: 'The bytes of an evidence item or imported file, by SHA-256',
    tag: 'evidence',
    guard: { study: 'study.read' },
    produces: 'file',
    handler: async ({ c, access, deps }) => {
      const sha = c.req.param('sha256')!;
      if (!/^[0-9a-f]{64}$/.test(sha)) throw badRequest('sha256 must be 64 lowercase hex digits');
      const f = await deps.ws.evidenceBytes(access!.studyId, sha);
      if (!f) throw notFound('evidence');
      return new Response(f.bytes as unknown as ResponseBody, { headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${safeName(f.name)}"`, 'x-content-sha256': sha } });
    },
  },
  // ── review ──
  { method: 'GET', path: '/api/studies/:id/comments', summary: 'Review comments', tag: 'review', guard: { study: 'study.read' }, handler: async ({ access, deps }) => ({ comments: await deps.ws.comments(access!.studyId) }) },
  {
    method: 'POST',
    path: '/api/studies/:id/comments',
    summary: 'Comment on the study, a component, a form line or an employee',
    tag: 'review',
    guard: { study: 'comment.write' },
    body: S.CommentBody,
    handler: async ({ c, access, deps, body }) => {
      const b = body as z.infer<typeof S.CommentBody>;
      const [kind, a1, a2] = b.target.split(':');
      if (kind !== 'study') {
        const s = await deps.ws.study(access!.studyId);
        const exists =
          kind === 'component' ? s.components.some((x) => x.id === a1) : kind === 'employee' ? s.employees.some((x) => x.id === a1) : (await deps.ws.result(access!.studyId)).forms[a1!]?.lines[a2!] !== undefined;
        if (!exists) throw badRequest(`nothing to comment on: ${b.target} is not in this study`);
      }
      return json(c, await deps.ws.addComment(access!, b.target, b.body), 201);
    },
  },
  { method: 'GET', path: '/api/studies/:id/signoffs', summary: 'Sign-offs by version and stage', tag: 'review', guard: { study: 'study.read' }, handler: async ({ access, deps }) => ({ version: await deps.ws.version(access!.studyId), signoffs: await deps.ws.signoffs(access!.studyId) }) },
  {
    method: 'POST',
    path: '/api/studies/:id/signoffs',
    summary: "Sign off the current version: preparer, then technical review, then the signing CPA (which makes it read-only)",
    tag: 'review',
    guard: { study: 'study.read' },
    body: S.SignoffBody,
    handler: async ({ c, access, deps, body }) => {
      const b = body as z.infer<typeof S.SignoffBody>;
      const p = `signoff.${b.stage}` as Permission;
      if (!can(access!.role, p)) throw forbidden(`the role ${access!.role} may not give the ${b.stage.replace('_', ' ')} sign-off`);
      return json(c, await deps.ws.signoff(access!, b.stage as SignoffStage, b.note), 201);
    },
  },
  { method: 'GET', path: '/api/studies/:id/versions', summary: 'Versions of the study (signed ones are read-only)', tag: 'review', guard: { study: 'study.read' }, handler: async ({ access, deps }) => ({ versions: await deps.ws.versions(access!.studyId) }) },
  {
    method: 'GET',
    path: '/api/studies/:id/versions/:version',
    summary: 'A signed version: its snapshot computed as it was signed',
    tag: 'review',
    guard: { study: 'study.read' },
    handler: async ({ c, access, deps }) => {
      const v = Number(c.req.param('version'));
      if (!Number.isInteger(v) || v < 1) throw badRequest('version must be a positive integer');
      const snap = await deps.ws.signedSnapshot(access!.studyId, v);
      const { computeStudy } = await import('../study/compute/index.js');
      return { version: v, study: { id: snap.id, title: snap.title, elections: snap.elections }, result: resultJson(computeStudy(deps.ws.law, snap)) };
    },
  },
  { method: 'GET', path: '/api/studies/:id/audit', summary: 'The audit log of the study: who, when, what, before and after', tag: 'review', guard: { study: 'audit.read' }, handler: async ({ access, deps }) => ({ entries: await deps.ws.auditLog(access!.studyId) }) },
  // ── downloads ──
  {
    method: 'GET',
    path: '/api/studies/:id/downloads',
    summary: 'What can be downloaded for this study',
    tag: 'downloads',
    guard: { study: 'study.read' },
    handler: async ({ deps }) => ({ downloads: [...builtInDownloads(), ...(deps.ws.ext.downloads ?? [])].map((d) => ({ id: d.id, title: d.title, contentType: d.contentType })) }),
  },
  {
    method: 'GET',
    path: '/api/studies/:id/downloads/:downloadId',
    summary: 'Download a file (report, forms, workpapers, computation)',
    tag: 'downloads',
    guard: { study: 'study.read' },
    produces: 'file',
    handler: async ({ c, access, deps }) => {
      const d = [...builtInDownloads(), ...(deps.ws.ext.downloads ?? [])].find((x) => x.id === c.req.param('downloadId'));
      if (!d) throw notFound('download');
      const study = await deps.ws.study(access!.studyId);
      const result = await deps.ws.result(access!.studyId);
      const q = await deps.ws.qualification(study);
      const body = await d.render({ law: deps.ws.law, study, result, ...(q ? { qualification: q } : {}) });
      await deps.ws.audit({ firmId: access!.firmId, studyId: access!.studyId, userId: access!.user.id, action: 'download', target: d.id });
      return new Response(body as ResponseBody, { headers: { 'content-type': d.contentType, 'content-disposition': `attachment; filename="${safeName(d.fileName(study))}"` } });
    },
  },
];

function defaultIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

// ── OpenAPI ──────────────────────────────────────────────────────────────────

let openApiCache: unknown;
export function openApiDocument(): unknown {
  if (openApiCache) return openApiCache;
  const paths: Record<string, Record<string, unknown>> = {};
  const err = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const r of routes) {
    const p = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) {
      const qs = z.toJSONSchema(r.query, { io: 'input' }) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) params.push({ name, in: 'query', required: (qs.required ?? []).includes(name), schema: schema as { type: string } });
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${r.path.replace(/^\/api/, '').replace(/[/:{}.-]+(\w)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      ...(params.length ? { parameters: params } : {}),
      security: r.guard === 'public' ? [] : [{ session: [] }],
      'x-rdcredit-guard': r.guard,
      responses: {
        '200': r.produces === 'file' ? { description: 'the file', content: { 'application/octet-stream': {} } } : r.produces === 'sse' ? { description: 'server-sent events', content: { 'text/event-stream': {} } } : { description: 'ok', content: { 'application/json': {} } },
        ...(r.guard === 'public' ? {} : { '401': err, '403': err, '404': err }),
        '400': err,
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input' }) } } };
    if (r.upload) op.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } }, 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } };
    (paths[p] ??= {})[r.method.toLowerCase()] = op;
  }
  openApiCache = {
    openapi: '3.1.0',
    info: { title: 'rdcredit API', version: '0.1.0', description: 'Studies, computation with explanations, imports, interviews, evidence and review. Non-GET requests need the X-CSRF-Token header equal to the rdc_csrf cookie.' },
    paths,
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] } }, required: ['error'] } },
    },
  };
  return openApiCache;
}

// ── the app ──────────────────────────────────────────────────────────────────

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8' };

export function createApp(ws: Workspace, opts: AppOptions = {}): { app: Hono; deps: AppDeps } {
  const deps: AppDeps = { ws, jobs: new ImportJobs(ws, opts.tmpDir ?? join(tmpdir(), 'rdcredit-uploads')), limiter: new LoginLimiter(opts.rateLimit), opts };
  const app = new Hono();
  const sessionCache = new Map<string, { user: User; csrfHash: string; at: number }>();

  app.onError((e, c) => {
    const h = toHttp(e);
    if (h.status === 500) console.error(e);
    for (const [k, v] of Object.entries(h.headers)) c.header(k, v);
    return c.json(h.body, h.status as 500);
  });

  app.use('*', async (c, next) => {
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('x-frame-options', 'DENY');
    c.header('referrer-policy', 'same-origin');
    if (!c.req.path.startsWith('/api/')) c.header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
    else c.header('cache-control', 'no-store');
  });

  const authenticate = async (c: Context): Promise<{ user: User; csrfHash: string } | undefined> => {
    const sid = getCookie(c, SESSION_COOKIE);
    if (!sid) return undefined;
    const key = sha256(sid);
    const hit = sessionCache.get(key);
    if (hit && Date.now() - hit.at < 15_000) return hit;
    const s = await sessionUser(ws.db, sid);
    const user = s && (await userById(ws.db, s.userId));
    if (!s || !user) {
      sessionCache.delete(key);
      return undefined;
    }
    const v = { user, csrfHash: s.csrfHash, at: Date.now() };
    if (sessionCache.size > 10_000) sessionCache.clear();
    sessionCache.set(key, v);
    return v;
  };

  for (const r of routes) {
    app.on(r.method, r.path, async (c) => {
      const x: RouteCtx = { c, deps };
      const unsafe = r.method !== 'GET';
      if (unsafe) {
        const header = c.req.header(CSRF_HEADER);
        const cookie = getCookie(c, CSRF_COOKIE);
        if (!header || !cookie || header !== cookie) throw new ApiError('csrf', 'missing or mismatched CSRF token (send the rdc_csrf cookie value in X-CSRF-Token)');
      }
      if (r.guard !== 'public') {
        const s = await authenticate(c);
        if (!s) throw new ApiError('unauthenticated', 'log in first');
        if (unsafe && sha256(c.req.header(CSRF_HEADER)!) !== s.csrfHash) throw new ApiError('csrf', 'the CSRF token does not belong to this session');
        x.user = s.user;
        if (r.path === '/api/auth/logout') sessionCache.delete(sha256(getCookie(c, SESSION_COOKIE)!));
        if (typeof r.guard === 'object' && 'firm' in r.guard) {
          const firmId = c.req.param('firmId')!;
          if (r.guard.firm === 'member') {
            if (!s.user.memberships.some((m) => m.firmId === firmId)) throw notFound('firm');
          } else ws.firmRole(s.user, firmId, r.guard.firm);
        }
        if (typeof r.guard === 'object' && 'study' in r.guard) x.access = await ws.access(s.user, c.req.param('id')!, r.guard.study);
      }
      if (r.query) x.query = r.query.parse(c.req.query());
      if (r.body) {
        if (!(c.req.header('content-type') ?? '').includes('application/json')) throw badRequest('send JSON (content-type: application/json)');
        x.body = r.body.parse(await c.req.json());
      }
      const out = await r.handler(x);
      return out instanceof Response ? out : c.json(out as object);
    });
  }
  app.all('/api/*', () => {
    throw notFound('route');
  });

  if (opts.webDir && existsSync(join(opts.webDir, 'index.html'))) {
    const root = resolve(opts.webDir);
    const index = readFileSync(join(root, 'index.html'));
    app.get('*', (c) => {
      const rel = decodeURIComponent(c.req.path).replace(/^\/+/, '');
      const file = resolve(root, rel);
      if (rel && (file === root || file.startsWith(root + sep)) && existsSync(file) && statSync(file).isFile()) {
        const immutable = rel.startsWith('assets/');
        return new Response(readFileSync(file), { headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' } });
      }
      return new Response(index, { headers: { 'content-type': MIME['.html']!, 'cache-control': 'no-cache' } });
    });
  }
  return { app, deps };
}
