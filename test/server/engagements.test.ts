/**
 * Opening a new engagement from the app: client → taxpayer → tax-year study (empty from the
 * `rdcredit init` templates, or a study folder uploaded as a ZIP), the bad input each step refuses,
 * and a pass-through study (Sawtooth as an S corporation with two shareholders) whose owner
 * schedules the API returns exactly as the engine computes them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLaw } from '../../src/law/index.js';
import { computeStudy } from '../../src/study/compute/index.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import { backends, FIRM_A, makeFixture, type Fixture } from './helpers.js';

const SAWTOOTH_DIR = join(__dirname, '..', '..', 'examples', 'sawtooth-ml');

/** The Sawtooth study folder's files (study.yaml and the CSV/YAML tables), with changes. */
function sawtoothFiles(change: { studyYaml?: (doc: any) => void; files?: Record<string, (text: string) => string> } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(SAWTOOTH_DIR)) if (/\.(csv|ya?ml)$/.test(f)) out[f] = readFileSync(join(SAWTOOTH_DIR, f), 'utf8');
  if (change.studyYaml) {
    const doc = YAML.parse(out['study.yaml']!);
    change.studyYaml(doc);
    out['study.yaml'] = YAML.stringify(doc);
  }
  for (const [f, fn] of Object.entries(change.files ?? {})) out[f] = fn(out[f]!);
  return out;
}

const zipOf = (files: Record<string, string>, folder = 'sawtooth-ml') => zipSync(Object.fromEntries(Object.entries(files).map(([n, t]) => [`${folder}/${n}`, new TextEncoder().encode(t)])));

const TWO_SHAREHOLDERS = [
  { id: 'founder', name: 'Avery Founder', entityType: 'individual', share: '0.6' },
  { id: 'investor', name: 'Blair Investor', entityType: 'individual', share: '0.4' },
];

for (const backend of backends())
  describe(`new engagements on ${backend.name}`, () => {
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

    const base = `/api/firms/${FIRM_A}/clients`;
    const studyCount = async () => (await fx.server.ws.db.query<{ n: number }>('select count(*)::int as n from study')).map((r) => Number(r.n))[0];

    it('a preparer opens a client, its taxpayer and an empty 2025 study from the init templates', async () => {
      const p = fx.agents.preparer!;
      const c = await p.req('POST', base, { name: 'Teton Robotics Group' });
      expect(c.status).toBe(201);
      expect(await c.json()).toMatchObject({ id: 'teton-robotics-group', name: 'Teton Robotics Group' });

      const t = await p.req('POST', `${base}/teton-robotics-group/taxpayers`, { name: 'Teton Robotics, Inc.', ein: '82-7654321', entityType: 'c_corporation', states: ['ID', 'UT'] });
      expect(t.status).toBe(201);
      expect(await t.json()).toEqual({ id: 'teton-robotics-inc', name: 'Teton Robotics, Inc.', ein: '82-7654321', entityType: 'c_corporation', states: ['ID', 'UT'] });

      const s = await p.req('POST', `${base}/teton-robotics-group/taxpayers/teton-robotics-inc/studies`, { year: 2025 });
      expect(s.status, await s.clone().text()).toBe(201);
      expect(await s.json()).toMatchObject({ id: 'teton-robotics-inc-2025', period: { start: '2025-01-01', end: '2025-12-31' } });

      // the study is the firm's, under the client, with the taxpayer's EIN, entity type and states
      const got = (await (await p.req('GET', '/api/studies/teton-robotics-inc-2025')).json()) as any;
      expect(got.client).toEqual({ id: 'teton-robotics-group', name: 'Teton Robotics Group' });
      expect(got.firm.id).toBe(FIRM_A);
      expect(got.taxpayer).toMatchObject({ id: 'teton-robotics-inc', name: 'Teton Robotics, Inc.', ein: '82-7654321', entityType: 'c_corporation', states: ['ID', 'UT'] });
      expect(got.counts).toMatchObject({ employees: 0, time: 0, components: 0 });
      expect(got.elections).toMatchObject({ method: 'best', section280c: 'best' });

      // the clients page lists the taxpayer and the study
      const list = (await (await p.req('GET', base)).json()) as { clients: any[] };
      const cl = list.clients.find((x) => x.id === 'teton-robotics-group');
      expect(cl.taxpayers.map((x: any) => x.id)).toEqual(['teton-robotics-inc']);
      expect(cl.studies.map((x: any) => x.id)).toEqual(['teton-robotics-inc-2025']);

      // an empty study computes: nothing entered is unknown or zero QREs, never an error
      const r = await p.req('GET', '/api/studies/teton-robotics-inc-2025/result');
      expect(r.status).toBe(200);

      // every step is in the audit log, by the preparer
      const log = await fx.server.ws.db.query<{ action: string; target: string }>("select action, target from audit_log where action in ('client.create', 'taxpayer.create', 'study.create') and target like '%teton%' order by id");
      expect(log.map((x) => x.action)).toEqual(['client.create', 'taxpayer.create', 'study.create']);
      expect((await (await p.req('GET', '/api/studies/teton-robotics-inc-2025/audit')).json() as any).entries.map((e: any) => e.action)).toContain('study.create');
    });

    it('a fiscal-year study with an id and title of its own', async () => {
      const a = fx.agents.firm_admin!;
      const s = await a.req('POST', `${base}/teton-robotics-group/taxpayers/teton-robotics-inc/studies`, { id: 'teton-fy2026', title: 'Teton FY2026', period: { start: '2025-07-01', end: '2026-06-30' } });
      expect(s.status, await s.clone().text()).toBe(201);
      const got = (await (await a.req('GET', '/api/studies/teton-fy2026')).json()) as any;
      expect(got.title).toBe('Teton FY2026');
      expect(got.taxpayer.period).toEqual({ start: '2025-07-01', end: '2026-06-30' });
    });

    it('refuses bad input: schema errors (400 with the field), duplicates (409), unknown client or taxpayer (404), owners of a C corporation', async () => {
      const p = fx.agents.preparer!;
      const issues = async (r: Response) => ((await r.json()) as any).error.details.map((d: any) => d.path);
      let r = await p.req('POST', base, { name: '   ' });
      expect(r.status).toBe(400);
      r = await p.req('POST', base, { name: 'Teton Robotics Group' });
      expect(r.status).toBe(409);
      r = await p.req('POST', base, { id: 'Bad Id!', name: 'x' });
      expect(r.status).toBe(400);
      expect(await issues(r)).toEqual(['id']);

      r = await p.req('POST', `${base}/teton-robotics-group/taxpayers`, { name: 'X', ein: '827654321', entityType: 'c_corporation', states: ['Idaho'] });
      expect(r.status).toBe(400);
      expect((await issues(r)).sort()).toEqual(['ein', 'states.0']);
      r = await p.req('POST', `${base}/teton-robotics-group/taxpayers`, { name: 'X', entityType: 'llc' });
      expect(r.status).toBe(400);
      r = await p.req('POST', `${base}/no-such-client/taxpayers`, { name: 'X', entityType: 'partnership' });
      expect(r.status).toBe(404);
      r = await p.req('POST', `${base}/teton-robotics-group/taxpayers`, { name: 'Teton Robotics, Inc.', entityType: 'c_corporation' });
      expect(r.status).toBe(409);

      const studies = `${base}/teton-robotics-group/taxpayers/teton-robotics-inc/studies`;
      const before = await studyCount();
      r = await p.req('POST', studies, {});
      expect(r.status).toBe(400);
      r = await p.req('POST', studies, { year: 2025, period: { start: '2025-01-01', end: '2025-12-31' } });
      expect(r.status).toBe(400);
      r = await p.req('POST', studies, { period: { start: '2025-12-31', end: '2025-01-01' } });
      expect(r.status).toBe(400);
      r = await p.req('POST', studies, { year: 2025 });
      expect(r.status).toBe(409); // teton-robotics-inc-2025 exists
      r = await p.req('POST', studies, { year: 2024, owners: TWO_SHAREHOLDERS });
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).error.message).toMatch(/c corporation has no pass-through owners/);
      r = await p.req('POST', `${base}/teton-robotics-group/taxpayers/nobody/studies`, { year: 2025 });
      expect(r.status).toBe(404);
      expect(await studyCount()).toBe(before);
    });

    it('a technical reviewer, signing CPA, read-only user and client contributor may not open engagements', async () => {
      for (const role of ['technical_reviewer', 'signing_cpa', 'read_only', 'client_contributor']) {
        const r = await fx.agents[role]!.req('POST', base, { name: `By ${role}` });
        expect(r.status, role).toBe(403);
      }
      expect((await fx.agents.otherFirm!.req('POST', base, { name: 'Intruder' })).status).toBe(404);
    });

    it('uploads a study folder ZIP with an error: 400 with file, row and column, and nothing is saved', async () => {
      const p = fx.agents.preparer!;
      await p.req('POST', base, { id: 'sawtooth-2', name: 'Sawtooth (upload test)' });
      await p.req('POST', `${base}/sawtooth-2/taxpayers`, { id: 'sawtooth', name: 'Sawtooth Machine Learning, Inc.', ein: '88-1234567', entityType: 'c_corporation', states: ['ID'] });
      const up = `${base}/sawtooth-2/taxpayers/sawtooth/studies/upload`;
      const before = await studyCount();

      // a time entry with hours "lots" on its first data row
      const bad = sawtoothFiles({
        files: {
          'time.csv': (t) => {
            const [head, first, ...rest] = t.split('\n');
            const cols = head!.split(',');
            const cells = first!.split(',');
            cells[cols.indexOf('hours')] = 'lots';
            return [head, cells.join(','), ...rest].join('\n');
          },
        },
      });
      let r = await p.req('POST', `${up}?id=sawtooth-upload-bad`, zipOf(bad));
      expect(r.status).toBe(400);
      const body = (await r.json()) as any;
      expect(body.error.message).toMatch(/nothing was saved/);
      const d = body.error.details.diagnostics.find((x: any) => x.severity === 'error');
      expect(d).toMatchObject({ file: 'time.csv', row: 2, column: 'hours', value: 'lots' });

      // a different EIN than the taxpayer's
      r = await p.req('POST', `${up}?id=sawtooth-upload-bad`, zipOf(sawtoothFiles({ studyYaml: (doc) => (doc.taxpayer.ein = '11-1111111') })));
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).error.details.diagnostics).toContainEqual(expect.objectContaining({ file: 'study.yaml', column: 'taxpayer.ein', severity: 'error' }));

      // not a ZIP; a ZIP without study.yaml; a path that climbs out
      r = await p.req('POST', up, 'not a zip at all');
      expect(r.status).toBe(400);
      r = await p.req('POST', up, zipSync({ 'readme.txt': new TextEncoder().encode('hi') }));
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).error.details.diagnostics[0].file).toBe('study.yaml');
      r = await p.req('POST', up, zipSync({ '../study.yaml': new TextEncoder().encode('x: 1') }));
      expect(r.status).toBe(400);

      expect(await studyCount()).toBe(before);
    });

    it('uploads Sawtooth as an S corporation with two shareholders: the result carries the owners schedules as the engine computes them', async () => {
      const p = fx.agents.preparer!;
      await p.req('POST', `${base}/sawtooth-2/taxpayers`, { id: 'sawtooth-s', name: 'Sawtooth Machine Learning, Inc.', ein: '88-1234567', entityType: 's_corporation', states: ['ID'] });
      const files = sawtoothFiles({
        studyYaml: (doc) => {
          doc.taxpayer.entityType = 's_corporation';
          doc.taxpayer.owners = TWO_SHAREHOLDERS;
        },
      });
      // multipart, as the browser sends it
      const form = new FormData();
      form.set('file', new File([zipOf(files)], 'sawtooth-s.zip', { type: 'application/zip' }));
      const r = await fx.app.request(`${base}/sawtooth-2/taxpayers/sawtooth-s/studies/upload?id=sawtooth-s-2025`, {
        method: 'POST',
        headers: { cookie: p.cookie, 'x-csrf-token': p.csrf },
        body: form,
      });
      expect(r.status, await r.clone().text()).toBe(201);
      expect(((await r.json()) as any).id).toBe('sawtooth-s-2025');

      const res = (await (await p.req('GET', '/api/studies/sawtooth-s-2025/result')).json()) as any;
      expect(Object.keys(res.schedules).sort()).toEqual(['owners', 'owners.id']);

      // the same folder computed directly
      const dir = mkdtempSync(join(tmpdir(), 'rdc-owners-'));
      try {
        for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
        const study = readStudyFolder(dir).study!;
        const direct = computeStudy(loadLaw(), { ...study, id: 'sawtooth-s-2025', taxpayer: { ...study.taxpayer, id: 'sawtooth-s' } });
        expect(res.schedules.owners).toEqual(JSON.parse(JSON.stringify(direct.schedules!.owners)));
        expect(res.schedules['owners.id']).toEqual(JSON.parse(JSON.stringify(direct.schedules!['owners.id'])));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      // both shareholders, 60/40, and the shares add up to what passes through
      const fed = res.schedules.owners;
      const names = fed.rows.map((x: any) => x.cells.owner);
      expect(names.some((n: string) => n.includes('Avery Founder'))).toBe(true);
      expect(names.some((n: string) => n.includes('Blair Investor'))).toBe(true);
      const allocated = fed.rows.map((x: any) => x.cells.allocated as number);
      expect(allocated.every((x: number) => Number.isInteger(x) && x > 0)).toBe(true);
      expect(allocated[0]).toBeGreaterThan(allocated[1]);
      const id = res.schedules['owners.id'];
      expect(id.rows).toHaveLength(2);
      expect(id.rows.reduce((s: number, x: any) => s + x.cells.share, 0)).toBe(id.totals.share);

      // a C corporation's result has no owner schedules
      const c = (await (await p.req('GET', '/api/studies/sawtooth-ml-2025/result')).json()) as any;
      expect(c.schedules).toBeUndefined();
    });

    it('an empty partnership study takes its owners from the create route', async () => {
      const p = fx.agents.preparer!;
      await p.req('POST', `${base}/sawtooth-2/taxpayers`, { id: 'pines', name: 'Pines Partners', entityType: 'partnership', states: ['ID'] });
      const r = await p.req('POST', `${base}/sawtooth-2/taxpayers/pines/studies`, { year: 2025, owners: TWO_SHAREHOLDERS });
      expect(r.status, await r.clone().text()).toBe(201);
      const got = (await (await p.req('GET', '/api/studies/pines-2025')).json()) as any;
      expect(got.taxpayer.owners).toEqual(TWO_SHAREHOLDERS);
      const res = (await (await p.req('GET', '/api/studies/pines-2025/result')).json()) as any;
      expect(res.schedules.owners.rows).toHaveLength(2);
    });
  });
