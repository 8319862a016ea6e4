/**
 * Opening a new engagement from the app: a client of the firm, a taxpayer of the client (EIN,
 * entity type, states) and a tax-year study of the taxpayer, either empty (written from the same
 * templates as `rdcredit init` and read back through `readStudyFolder`) or from an uploaded study
 * folder as a ZIP (read with `readStudyFolder`: any error answers 400 with the diagnostics, file,
 * row and column, and nothing is saved).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { isPassThrough } from '../rules/federal/passthrough-shares.js';
import { initStudyFolder, readStudyFolder, type Diagnostic } from '../study/folder/index.js';
import type { EntityType, Owner, Study } from '../study/model.js';
import type { User } from './auth/accounts.js';
import { ApiError, badRequest, notFound } from './errors.js';
import type { Workspace } from './workspace.js';

/** An id made from a name: lowercase letters, digits and hyphens. */
export function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/, '') || 'x'
  );
}

export interface TaxpayerRecord {
  id: string;
  name: string;
  ein?: string;
  entityType: EntityType;
  states: string[];
}

async function firmName(ws: Workspace, firmId: string): Promise<string> {
  return (await ws.db.query<{ name: string | null }>('select name from firm where id = $1', [firmId]))[0]?.name ?? firmId;
}

async function clientRow(ws: Workspace, firmId: string, clientId: string): Promise<{ id: string; name: string }> {
  const r = (await ws.db.query<{ id: string; name: string | null }>('select id, name from client where firm_id = $1 and id = $2', [firmId, clientId]))[0];
  if (!r) throw notFound('client');
  return { id: r.id, name: r.name ?? r.id };
}

export async function taxpayerOf(ws: Workspace, firmId: string, clientId: string, taxpayerId: string): Promise<TaxpayerRecord> {
  const r = (
    await ws.db.query<{ id: string; name: string; ein: string | null; entity_type: EntityType; states: string[] | null }>(
      `select t.id, t.name, t.ein, t.entity_type, p.states from taxpayer t
       left join taxpayer_profile p on p.firm_id = t.firm_id and p.client_id = t.client_id and p.taxpayer_id = t.id
       where t.firm_id = $1 and t.client_id = $2 and t.id = $3`,
      [firmId, clientId, taxpayerId],
    )
  )[0];
  if (!r) throw notFound('taxpayer');
  return { id: r.id, name: r.name, ...(r.ein ? { ein: r.ein } : {}), entityType: r.entity_type, states: r.states ?? [] };
}

/** The taxpayers of a firm's clients (for the clients page), by client. */
export async function taxpayersByClient(ws: Workspace, firmId: string): Promise<Map<string, TaxpayerRecord[]>> {
  const rows = await ws.db.query<{ client_id: string; id: string; name: string; ein: string | null; entity_type: EntityType; states: string[] | null }>(
    `select t.client_id, t.id, t.name, t.ein, t.entity_type, p.states from taxpayer t
     left join taxpayer_profile p on p.firm_id = t.firm_id and p.client_id = t.client_id and p.taxpayer_id = t.id
     where t.firm_id = $1 order by t.client_id, t.name, t.id`,
    [firmId],
  );
  const out = new Map<string, TaxpayerRecord[]>();
  for (const r of rows) {
    const list = out.get(r.client_id) ?? [];
    list.push({ id: r.id, name: r.name, ...(r.ein ? { ein: r.ein } : {}), entityType: r.entity_type, states: r.states ?? [] });
    out.set(r.client_id, list);
  }
  return out;
}

export async function createClient(ws: Workspace, user: User, firmId: string, b: { id?: string; name: string }) {
  const id = b.id ?? slugOf(b.name);
  if ((await ws.db.query('select 1 from client where firm_id = $1 and id = $2', [firmId, id])).length) throw new ApiError('conflict', `the firm already has a client with id ${id}`);
  await ws.db.query('insert into firm (id, name) values ($1, null) on conflict (id) do nothing', [firmId]);
  await ws.db.query('insert into client (firm_id, id, name) values ($1, $2, $3)', [firmId, id, b.name]);
  await ws.audit({ firmId, userId: user.id, action: 'client.create', target: `client:${id}`, after: { id, name: b.name } });
  return { id, name: b.name, studies: [], taxpayers: [] };
}

export async function createTaxpayer(ws: Workspace, user: User, firmId: string, clientId: string, b: { id?: string; name: string; ein?: string; entityType: EntityType; states: string[] }) {
  await clientRow(ws, firmId, clientId);
  const id = b.id ?? slugOf(b.name);
  if ((await ws.db.query('select 1 from taxpayer where firm_id = $1 and client_id = $2 and id = $3', [firmId, clientId, id])).length)
    throw new ApiError('conflict', `the client already has a taxpayer with id ${id}`);
  const states = [...new Set(b.states)];
  await ws.store.db.transaction(async (tx) => {
    await tx.query('insert into taxpayer (firm_id, client_id, id, name, ein, entity_type) values ($1, $2, $3, $4, $5, $6)', [firmId, clientId, id, b.name, b.ein ?? null, b.entityType]);
    await tx.query('insert into taxpayer_profile (firm_id, client_id, taxpayer_id, states, created_by) values ($1, $2, $3, $4, $5)', [firmId, clientId, id, JSON.stringify(states), user.id]);
  });
  const t: TaxpayerRecord = { id, name: b.name, ...(b.ein ? { ein: b.ein } : {}), entityType: b.entityType, states };
  await ws.audit({ firmId, userId: user.id, action: 'taxpayer.create', target: `taxpayer:${clientId}/${id}`, after: t });
  return t;
}

async function saveNewStudy(ws: Workspace, user: User, firmId: string, client: { id: string; name: string }, study: Study, how: string): Promise<{ id: string; title: string; period: Study['taxpayer']['period'] }> {
  if ((await ws.db.query('select 1 from study where id = $1', [study.id])).length) throw new ApiError('conflict', `a study with id ${study.id} exists; choose another id`);
  const s: Study = { ...study, firm: { id: firmId, name: await firmName(ws, firmId) }, client };
  await ws.store.saveStudy(s);
  await ws.audit({ firmId, studyId: s.id, userId: user.id, action: 'study.create', target: `study:${s.id}`, after: { how, taxpayer: s.taxpayer.id, period: s.taxpayer.period, owners: s.taxpayer.owners?.length ?? 0 } });
  return { id: s.id, title: s.title, period: s.taxpayer.period };
}

function checkOwners(entityType: EntityType, owners: Owner[] | undefined): Diagnostic[] {
  if (!owners?.length) return [];
  if (!isPassThrough(entityType))
    return [{ file: 'study.yaml', column: 'taxpayer.owners', severity: 'error', message: `a ${entityType.replace(/_/g, ' ')} has no pass-through owners`, expected: 'owners only for an S corporation, a partnership or an estate or trust' }];
  const ids = new Set<string>();
  const out: Diagnostic[] = [];
  for (const o of owners) {
    if (ids.has(o.id)) out.push({ file: 'study.yaml', column: 'taxpayer.owners', value: o.id, severity: 'error', message: `owner id ${o.id} is used twice`, expected: 'each owner once' });
    ids.add(o.id);
  }
  return out;
}

/** An empty tax-year study for a registered taxpayer, from the `rdcredit init` templates. */
export async function createEmptyStudy(
  ws: Workspace,
  user: User,
  firmId: string,
  clientId: string,
  taxpayerId: string,
  b: { id?: string; title?: string; year?: number; period?: { start: string; end: string }; owners?: Owner[] },
) {
  const client = await clientRow(ws, firmId, clientId);
  const tp = await taxpayerOf(ws, firmId, clientId, taxpayerId);
  const year = b.year ?? Number(b.period!.end.slice(0, 4));
  const id = b.id ?? `${tp.id}-${year}`;
  const ownerDiags = checkOwners(tp.entityType, b.owners);
  if (ownerDiags.length) throw badRequest(ownerDiags.map((d) => d.message).join('; '), { diagnostics: ownerDiags });
  const dir = mkdtempSync(join(tmpdir(), 'rdcredit-new-study-'));
  try {
    initStudyFolder(dir, {
      id,
      ...(b.title ? { title: b.title } : {}),
      taxpayerName: tp.name,
      taxpayerId: tp.id,
      entityType: tp.entityType,
      ...(b.period ? { period: b.period } : { year }),
      states: tp.states,
      force: true,
    });
    const r = readStudyFolder(dir);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.study || errors.length) throw badRequest(`the new study does not read back: ${errors.map((d) => d.message).join('; ')}`, { diagnostics: r.diagnostics });
    const study: Study = { ...r.study, taxpayer: { ...r.study.taxpayer, ...(tp.ein ? { ein: tp.ein } : {}), ...(b.owners?.length ? { owners: b.owners } : {}) } };
    return await saveNewStudy(ws, user, firmId, client, study, 'template');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STUDY_FILE = /^[A-Za-z0-9._-]+\.(csv|ya?ml)$/;

/**
 * Unpacks a study folder ZIP into `dir`: the study files at the top level or inside one top-level
 * folder. Other files (evidence documents) are not read; a path that climbs out, a file that is too
 * large or a damaged archive is a diagnostic.
 */
export function unpackStudyZip(bytes: Uint8Array, dir: string, maxBytes: number): Diagnostic[] {
  const diags: Diagnostic[] = [];
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        return !f.name.endsWith('/') && total <= maxBytes;
      },
    });
  } catch (e) {
    return [{ file: '(upload)', severity: 'error', message: `not a readable ZIP archive: ${(e as Error).message}`, expected: 'a ZIP of a study folder (study.yaml and its CSV files)' }];
  }
  if (total > maxBytes) return [{ file: '(upload)', severity: 'error', message: `the unpacked files are larger than ${maxBytes} bytes`, expected: `at most ${maxBytes} bytes unpacked` }];
  const names = Object.keys(files).filter((n) => !n.split('/').some((p) => p === '__MACOSX' || p.startsWith('.')));
  for (const n of names)
    if (n.startsWith('/') || n.includes('\\') || n.split('/').includes('..')) diags.push({ file: n, severity: 'error', message: `${n}: a path outside the study folder`, expected: 'relative paths inside the folder' });
  if (diags.length) return diags;
  const atRoot = names.some((n) => n === 'study.yaml');
  const tops = new Set(names.map((n) => n.split('/')[0]!));
  const prefix = !atRoot && tops.size === 1 && names.every((n) => n.includes('/')) ? `${[...tops][0]}/` : '';
  let wrote = 0;
  for (const n of names) {
    const rel = n.slice(prefix.length);
    if (!STUDY_FILE.test(rel)) continue; // evidence documents and sub-folders are not part of the study tables
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, rel), files[n]!);
    wrote++;
  }
  if (!wrote || !names.some((n) => n.slice(prefix.length) === 'study.yaml'))
    diags.push({ file: 'study.yaml', severity: 'error', message: 'the archive has no study.yaml at its top level (or inside one top-level folder)', expected: 'a ZIP of a study folder' });
  return diags;
}

/** A study from an uploaded study folder ZIP for a registered taxpayer; nothing is saved when it has an error. */
export async function createStudyFromZip(ws: Workspace, user: User, firmId: string, clientId: string, taxpayerId: string, bytes: Uint8Array, q: { id?: string }, maxBytes: number) {
  const client = await clientRow(ws, firmId, clientId);
  const tp = await taxpayerOf(ws, firmId, clientId, taxpayerId);
  const dir = mkdtempSync(join(tmpdir(), 'rdcredit-upload-study-'));
  try {
    const unpack = unpackStudyZip(bytes, join(dir, 'study'), maxBytes);
    const r = unpack.length ? { diagnostics: unpack } : readStudyFolder(join(dir, 'study'));
    const diagnostics = [...r.diagnostics];
    const study = 'study' in r ? r.study : undefined;
    if (study) {
      if (study.taxpayer.ein && tp.ein && study.taxpayer.ein !== tp.ein)
        diagnostics.push({ file: 'study.yaml', column: 'taxpayer.ein', value: study.taxpayer.ein, severity: 'error', message: `the study is for EIN ${study.taxpayer.ein}, the taxpayer ${tp.name} has EIN ${tp.ein}`, expected: tp.ein });
      diagnostics.push(...checkOwners(study.taxpayer.entityType, study.taxpayer.owners));
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!study || errors.length) throw badRequest(`the study folder has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was saved`, { diagnostics });
    const s: Study = { ...study, id: q.id ?? study.id, taxpayer: { ...study.taxpayer, id: tp.id, ...(study.taxpayer.ein ? {} : tp.ein ? { ein: tp.ein } : {}) } };
    return { ...(await saveNewStudy(ws, user, firmId, client, s, 'upload')), diagnostics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
