/**
 * The server's study services: tenancy and role checks, the working copy of each study (from the
 * store, with interview answers, evidence items and qualification decisions from the server
 * tables), computing and caching results, versions and review locks, and the audit log.
 *
 * Every change goes through `change()`: it takes the study's lock, opens a new version when the
 * current one is signed, applies the change, writes the audit entry (who, when, what, before,
 * after) and drops the cached copy.
 */
import { randomUUID } from 'node:crypto';
import type { Law } from '../law/law.js';
import { computeStudy } from '../study/compute/index.js';
import { keptShas } from '../study/evidence-files.js';
import type { StudyResult } from '../study/compute/result.js';
import { taxPeriod } from '../periods/index.js';
import type { ComponentInterview, Elections, EvidenceItem, QualificationDecision, Study } from '../study/model.js';
import type { QualificationReport } from '../study/qualify/types.js';
import type { Queryable, Store } from '../store/index.js';
import type { User } from './auth/accounts.js';
import { taxpayersByClient } from './engagements.js';
import { ApiError, forbidden, notFound } from './errors.js';
import type { Extensions } from './extensions.js';
import { can, ROLE_PERMISSIONS, type Permission, type Role } from './roles.js';

export interface Access {
  user: User;
  studyId: string;
  firmId: string;
  clientId: string;
  role: Role;
}

export interface VersionInfo {
  version: number;
  status: 'open' | 'signed';
  signedAt?: string;
  signedBy?: string;
}

const SIGNOFF_ORDER = ['preparer', 'technical_review', 'signing'] as const;
export type SignoffStage = (typeof SIGNOFF_ORDER)[number];

function stableKey(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'undefined';
  if (Array.isArray(x)) return `[${x.map(stableKey).join(',')}]`;
  return `{${Object.keys(x)
    .sort()
    .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableKey((x as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

export class Workspace {
  private readonly studies = new Map<string, { rev: number; study: Study }>();
  private readonly results = new Map<string, StudyResult>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly tenancy = new Map<string, { firm_id: string; client_id: string }>();
  private readonly versionCache = new Map<string, VersionInfo>();
  private readonly qualCache = new Map<string, QualificationReport | undefined>();
  /** Derived views (the dashboard) by study, valid until the study or its review state changes. */
  readonly viewCache = new Map<string, { key: string; value: unknown }>();
  private readonly reviewRev = new Map<string, number>();
  private rev = 0;
  /** Per ledger head: for each content hash asked about, whether its bytes are kept in the ledger. */
  private keptCache: { head: string; kept: Map<string, boolean> } = { head: '', kept: new Map() };

  constructor(
    readonly store: Store,
    readonly law: Law,
    readonly ext: Extensions = {},
  ) {}

  get db(): Queryable {
    return this.store.db;
  }

  // ── tenancy ────────────────────────────────────────────────────────────────

  /** Resolves a user's access to a study; 404 when the study is not in one of the user's firms (or clients). */
  async access(user: User, studyId: string, permission: Permission): Promise<Access> {
    let row = this.tenancy.get(studyId);
    if (!row) {
      row = (await this.db.query<{ firm_id: string; client_id: string }>('select firm_id, client_id from study where id = $1', [studyId]))[0];
      if (row) this.tenancy.set(studyId, row);
    }
    const m = row && user.memberships.find((x) => x.firmId === row.firm_id);
    if (!row || !m || (m.role === 'client_contributor' && m.clientId !== row.client_id)) throw notFound('study');
    if (!can(m.role, permission)) throw forbidden(`the role ${m.role} may not do this (${permission})`);
    return { user, studyId, firmId: row.firm_id, clientId: row.client_id, role: m.role };
  }

  /** A user's role in a firm; 404 when not a member. */
  firmRole(user: User, firmId: string, permission: Permission): Role {
    const m = user.memberships.find((x) => x.firmId === firmId);
    if (!m) throw notFound('firm');
    if (!can(m.role, permission)) throw forbidden(`the role ${m.role} may not do this (${permission})`);
    return m.role;
  }

  async listStudies(user: User) {
    const out = [];
    for (const m of user.memberships) {
      const rows = await this.store.listStudies({ firmId: m.firmId });
      for (const s of rows) if (m.role !== 'client_contributor' || s.clientId === m.clientId) out.push({ ...s, firmId: m.firmId, role: m.role, permissions: ROLE_PERMISSIONS[m.role] });
    }
    return out;
  }

  async clients(firmId: string, onlyClient?: string) {
    const rows = await this.db.query<{ id: string; name: string | null }>('select id, name from client where firm_id = $1 order by id', [firmId]);
    const studies = await this.store.listStudies({ firmId });
    const taxpayers = await taxpayersByClient(this, firmId);
    return rows
      .filter((c) => onlyClient === undefined || c.id === onlyClient)
      .map((c) => ({ id: c.id, name: c.name ?? c.id, taxpayers: taxpayers.get(c.id) ?? [], studies: studies.filter((s) => (s.clientId ?? '') === c.id) }));
  }

  // ── the working copy ───────────────────────────────────────────────────────

  async study(id: string): Promise<Study> {
    const hit = this.studies.get(id);
    if (hit) return hit.study;
    const study = await this.store.loadStudy(id);
    this.studies.set(id, { rev: ++this.rev, study });
    return study;
  }

  private revOf(id: string): number {
    return this.studies.get(id)?.rev ?? 0;
  }

  // ── evidence kept in the ledger ────────────────────────────────────────────

  /** The hash of the store ledger's last entry ('' when empty): it changes with every append. */
  async ledgerHead(): Promise<string> {
    const r = await this.db.query<{ hash: string }>('select hash from ledger_entry order by seq desc limit 1');
    return r[0]?.hash ?? '';
  }

  /**
   * Which of a study's evidence hashes have their bytes in the store's ledger: an entry with that
   * sha256 whose stored blob hashes to it (keptShas). Only the study's own hashes are read, and
   * each answer is cached until the ledger's head moves, so a dashboard costs one small query.
   */
  async keptEvidence(study: Study): Promise<{ head: string; kept: Set<string> }> {
    const head = await this.ledgerHead();
    if (this.keptCache.head !== head) this.keptCache = { head, kept: new Map() };
    const cache = this.keptCache;
    const wanted = [...new Set((study.evidence ?? []).map((e) => e.sha256?.toLowerCase()).filter((x): x is string => !!x))];
    const todo = wanted.filter((sha) => !cache.kept.has(sha));
    if (todo.length) {
      const entries = (await this.db.query<{ sha256: string }>('select distinct sha256 from ledger_entry where sha256 = any($1)', [todo])).map((r) => ({ sha256: r.sha256 }));
      const blobs = new Map<string, Uint8Array>();
      for (const e of entries) {
        const b = await this.store.ledger.blob(e.sha256);
        if (b) blobs.set(e.sha256, b);
      }
      const kept = keptShas(entries, (sha) => blobs.get(sha));
      for (const sha of todo) cache.kept.set(sha, kept.has(sha));
    }
    return { head, kept: new Set(wanted.filter((sha) => cache.kept.get(sha))) };
  }

  /** Computes the study (with elections overridden for a what-if); cached until the study or the ledger changes. */
  async result(id: string, elections?: Partial<Elections>): Promise<StudyResult> {
    const study = await this.study(id);
    const { head, kept } = await this.keptEvidence(study);
    const key = `${id}\u0000${this.revOf(id)}\u0000${head}\u0000${stableKey(elections ?? {})}`;
    const hit = this.results.get(key);
    if (hit) return hit;
    const s = elections ? { ...study, elections: { ...study.elections, ...elections, options: { ...(study.elections.options ?? {}), ...(elections.options ?? {}) } } } : study;
    const r = computeStudy(this.law, s, { retainedEvidence: { retained: kept, problems: [] } });
    if (this.results.size > 64) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, r);
    return r;
  }

  lawView(study: Study) {
    return this.law.for(taxPeriod(study.taxpayer.period.start, study.taxpayer.period.end), study.elections.options ?? {});
  }

  /**
   * The qualification report, judging "raw inputs retained" on the bytes kept in the ledger
   * (cached for the working copy of a study and the ledger's head).
   */
  async qualification(study: Study): Promise<QualificationReport | undefined> {
    if (!this.ext.qualification) return undefined;
    const { head, kept } = await this.keptEvidence(study);
    const cached = this.studies.get(study.id);
    const key = cached?.study === study ? `${study.id}\u0000${cached.rev}\u0000${head}` : undefined;
    if (key && this.qualCache.has(key)) return this.qualCache.get(key);
    const r = this.ext.qualification.qualify(this.law, study, kept);
    if (key) {
      if (this.qualCache.size > 64) this.qualCache.delete(this.qualCache.keys().next().value!);
      this.qualCache.set(key, r);
    }
    return r;
  }

  /** A key that changes whenever the study, its review state (version, sign-offs, comments) or the ledger changes. */
  async stateKey(id: string): Promise<string> {
    return `${this.revOf(id)}:${this.reviewRev.get(id) ?? 0}:${this.ext.qualification ? 'q' : '-'}:${await this.ledgerHead()}`;
  }

  private reviewChanged(id: string): void {
    this.reviewRev.set(id, (this.reviewRev.get(id) ?? 0) + 1);
    this.versionCache.delete(id);
    this.viewCache.delete(id);
  }

  private invalidate(id: string): void {
    this.reviewChanged(id);
    this.tenancy.delete(id);
    this.studies.delete(id);
    for (const k of [...this.results.keys()]) if (k.startsWith(`${id}\u0000`)) this.results.delete(k);
  }

  // ── versions, locks, audit ─────────────────────────────────────────────────

  async version(id: string, db: Queryable = this.db): Promise<VersionInfo> {
    const hit = this.versionCache.get(id);
    if (hit) return hit;
    let r = (await db.query<{ version: number; status: 'open' | 'signed'; signed_at: string | null; signed_by: string | null }>(
      'select version, status, signed_at::text as signed_at, signed_by from study_version where study_id = $1 order by version desc limit 1',
      [id],
    ))[0];
    if (!r) {
      await db.query("insert into study_version (study_id, version, status) values ($1, 1, 'open') on conflict do nothing", [id]);
      r = { version: 1, status: 'open', signed_at: null, signed_by: null };
    }
    const v: VersionInfo = { version: Number(r.version), status: r.status, ...(r.signed_at ? { signedAt: r.signed_at } : {}), ...(r.signed_by ? { signedBy: r.signed_by } : {}) };
    this.versionCache.set(id, v);
    return v;
  }

  async versions(id: string) {
    await this.version(id);
    return (await this.db.query<{ version: number; status: string; opened_at: string; opened_by: string | null; signed_at: string | null; signed_by: string | null }>(
      'select version, status, opened_at::text as opened_at, opened_by, signed_at::text as signed_at, signed_by from study_version where study_id = $1 order by version',
      [id],
    )).map((r) => ({ version: Number(r.version), status: r.status, openedAt: r.opened_at, openedBy: r.opened_by, signedAt: r.signed_at, signedBy: r.signed_by }));
  }

  async signedSnapshot(id: string, version: number): Promise<Study> {
    const r = (await this.db.query<{ snapshot: Study | null }>("select snapshot from study_version where study_id = $1 and version = $2 and status = 'signed'", [id, version]))[0];
    if (!r?.snapshot) throw notFound(`signed version ${version}`);
    return r.snapshot;
  }

  async audit(a: { firmId: string; studyId?: string; userId?: string; action: string; target?: string; before?: unknown; after?: unknown }, db: Queryable = this.db): Promise<void> {
    await db.query('insert into audit_log (firm_id, study_id, user_id, action, target, before, after) values ($1, $2, $3, $4, $5, $6, $7)', [
      a.firmId,
      a.studyId ?? null,
      a.userId ?? null,
      a.action,
      a.target ?? null,
      a.before === undefined ? null : JSON.stringify(a.before),
      a.after === undefined ? null : JSON.stringify(a.after),
    ]);
  }

  async auditLog(studyId: string, limit = 500) {
    return (await this.db.query<{ id: string; at: string; user_id: string | null; email: string | null; action: string; target: string | null; before: unknown; after: unknown }>(
      'select a.id, a.at::text as at, a.user_id, u.email, a.action, a.target, a.before, a.after from audit_log a left join app_user u on u.id = a.user_id where a.study_id = $1 order by a.id desc limit $2',
      [studyId, limit],
    )).map((r) => ({ id: Number(r.id), at: r.at, userId: r.user_id, user: r.email, action: r.action, target: r.target, before: r.before, after: r.after }));
  }

  private withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(id, tail);
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    });
    return run;
  }

  /**
   * Applies a change to a study. A signed version is never changed: the change opens the next
   * version (recorded in the audit log) and applies there. `fn` returns what to audit.
   */
  async change<T>(a: Access, action: string, target: string, fn: (study: Study, version: number) => Promise<{ before: unknown; after: unknown; value: T }>): Promise<{ version: number; openedVersion: boolean; value: T }> {
    return this.withLock(a.studyId, async () => {
      const v = await this.version(a.studyId);
      let version = v.version;
      let opened = false;
      if (v.status === 'signed') {
        version = v.version + 1;
        await this.db.query("insert into study_version (study_id, version, status, opened_by) values ($1, $2, 'open', $3)", [a.studyId, version, a.user.id]);
        this.versionCache.delete(a.studyId);
        await this.audit({ firmId: a.firmId, studyId: a.studyId, userId: a.user.id, action: 'version.open', target: `version:${version}`, before: { version: v.version, status: 'signed' }, after: { version, status: 'open', reason: action } });
        opened = true;
      }
      const study = structuredClone(await this.study(a.studyId));
      try {
        const r = await fn(study, version);
        await this.audit({ firmId: a.firmId, studyId: a.studyId, userId: a.user.id, action, target, before: r.before, after: r.after });
        return { version, openedVersion: opened, value: r.value };
      } finally {
        this.invalidate(a.studyId);
      }
    });
  }

  async saveStudy(study: Study): Promise<void> {
    await this.store.saveStudy(study);
  }

  // ── review ─────────────────────────────────────────────────────────────────

  async signoffs(id: string) {
    return (await this.db.query<{ id: string; version: number; stage: SignoffStage; user_id: string; email: string | null; name: string | null; at: string; note: string | null }>(
      'select s.id, s.version, s.stage, s.user_id, u.email, u.name, s.at::text as at, s.note from signoff s left join app_user u on u.id = s.user_id where s.study_id = $1 order by s.version, s.id',
      [id],
    )).map((r) => ({ id: Number(r.id), version: Number(r.version), stage: r.stage, userId: r.user_id, user: r.name ?? r.email, at: r.at, note: r.note }));
  }

  /** Signs the current version at a stage, in order preparer → technical review → signing; signing locks it. */
  async signoff(a: Access, stage: SignoffStage, note: string | undefined) {
    return this.withLock(a.studyId, async () => {
      const v = await this.version(a.studyId);
      if (v.status === 'signed') throw new ApiError('signed', `version ${v.version} is signed and read-only; a change opens version ${v.version + 1}`);
      const done = new Set((await this.signoffs(a.studyId)).filter((s) => s.version === v.version).map((s) => s.stage));
      if (done.has(stage)) throw new ApiError('conflict', `version ${v.version} already has the ${stage.replace('_', ' ')} sign-off`);
      const need = SIGNOFF_ORDER.slice(0, SIGNOFF_ORDER.indexOf(stage)).filter((s) => !done.has(s));
      if (need.length) throw new ApiError('conflict', `the ${stage.replace('_', ' ')} sign-off needs first: ${need.map((s) => s.replace('_', ' ')).join(', ')}`);
      const prior = [...done].filter((s) => s !== stage);
      await this.db.query('insert into signoff (study_id, version, stage, user_id, note) values ($1, $2, $3, $4, $5)', [a.studyId, v.version, stage, a.user.id, note ?? null]);
      this.reviewChanged(a.studyId);
      if (stage === 'signing') {
        const snapshot = await this.study(a.studyId);
        await this.db.query("update study_version set status = 'signed', signed_at = now(), signed_by = $3, snapshot = $4 where study_id = $1 and version = $2", [a.studyId, v.version, a.user.id, JSON.stringify(snapshot)]);
        this.reviewChanged(a.studyId);
      }
      await this.audit({ firmId: a.firmId, studyId: a.studyId, userId: a.user.id, action: `signoff.${stage}`, target: `version:${v.version}`, before: { signoffs: prior }, after: { signoffs: [...prior, stage], ...(note ? { note } : {}) } });
      return { version: v.version, stage, locked: stage === 'signing' };
    });
  }

  async comments(id: string) {
    return (await this.db.query<{ id: string; version: number; target: string; body: string; user_id: string; name: string | null; created_at: string }>(
      'select c.id, c.version, c.target, c.body, c.user_id, u.name, c.created_at::text as created_at from study_comment c left join app_user u on u.id = c.user_id where c.study_id = $1 order by c.id',
      [id],
    )).map((r) => ({ id: Number(r.id), version: Number(r.version), target: r.target, body: r.body, userId: r.user_id, user: r.name, at: r.created_at }));
  }

  /** Comments are review notes: allowed on a signed version (they do not change the study). */
  async addComment(a: Access, target: string, body: string) {
    const v = await this.version(a.studyId);
    const r = (await this.db.query<{ id: string }>('insert into study_comment (study_id, version, target, body, user_id) values ($1, $2, $3, $4, $5) returning id', [a.studyId, v.version, target, body, a.user.id]))[0]!;
    this.reviewChanged(a.studyId);
    await this.audit({ firmId: a.firmId, studyId: a.studyId, userId: a.user.id, action: 'comment.add', target, after: { id: Number(r.id), body } });
    return { id: Number(r.id), version: v.version };
  }

  // ── interviews and qualification ───────────────────────────────────────────

  async saveAnswers(a: Access, componentId: string, answers: { question: string; value: ComponentInterview['answers'][number]['value']; note?: string; evidenceIds?: string[] }[]) {
    return this.change(a, 'interview.answer', `component:${componentId}`, async (study) => {
      if (!study.components.some((c) => c.id === componentId)) throw notFound('component');
      const before = study.interviews?.find((i) => i.componentId === componentId)?.answers.filter((x) => answers.some((y) => y.question === x.question)) ?? [];
      const at = new Date().toISOString();
      const iv = study.interviews?.find((i) => i.componentId === componentId);
      const merged = [
        ...(iv?.answers.filter((x) => !answers.some((y) => y.question === x.question)) ?? []),
        ...answers.map((x) => ({ question: x.question, value: x.value, ...(x.note ? { note: x.note } : {}), ...(x.evidenceIds?.length ? { evidenceIds: x.evidenceIds } : {}), answeredBy: a.user.email, answeredAt: at })),
      ];
      study.interviews = [...(study.interviews ?? []).filter((i) => i.componentId !== componentId), { componentId, answers: merged }];
      // Re-evaluate with the qualification engine, when one is wired in.
      const changed = await this.applyQualification(a, study, componentId, 'qualification engine (after interview answers)');
      await this.saveStudy(study);
      return { before, after: { answers, qualificationChanges: changed }, value: { qualificationChanges: changed } };
    });
  }

  /** Writes the engine's result for one component onto it when it differs, and logs the decision. */
  private async applyQualification(a: Access, study: Study, componentId: string, why: string): Promise<QualificationDecision[]> {
    const report = await this.qualification(study);
    if (!report) return [];
    const at = new Date().toISOString();
    const out: QualificationDecision[] = [];
    for (const cq of report.components.filter((x) => x.componentId === componentId)) {
      const c = study.components.find((x) => x.id === cq.componentId);
      // Only a definite result replaces the recorded one: "needs information" from a partly
      // answered interview does not undo the preparer's decision (the report still shows it).
      if (!c || c.qualification === cq.result || cq.result === 'needs_information') continue;
      out.push({ componentId: c.id, result: cq.result, previous: c.qualification, by: `${a.user.email} via ${why}`, at, why: cq.reasons.join(' ') || why });
      c.qualification = cq.result;
      c.qualificationReason = cq.reasons.join(' ') || c.qualificationReason;
    }
    if (out.length) study.qualificationLog = [...(study.qualificationLog ?? []), ...out];
    return out;
  }

  /** The preparer's own decision on a component's qualification, with the reason. */
  async decideQualification(a: Access, componentId: string, result: QualificationDecision['result'], why: string) {
    return this.change(a, 'component.qualification', `component:${componentId}`, async (study) => {
      const c = study.components.find((x) => x.id === componentId);
      if (!c) throw notFound('component');
      const before = { qualification: c.qualification, reason: c.qualificationReason ?? null };
      const d: QualificationDecision = { componentId, result, previous: c.qualification, by: a.user.email, at: new Date().toISOString(), why };
      c.qualification = result;
      c.qualificationReason = why;
      study.qualificationLog = [...(study.qualificationLog ?? []), d];
      await this.saveStudy(study);
      return { before, after: { qualification: result, reason: why }, value: d };
    });
  }

  async setElections(a: Access, patch: Partial<Elections>) {
    return this.change(a, 'elections.update', 'elections', async (study) => {
      const before = structuredClone(study.elections);
      study.elections = { ...study.elections, ...patch, ...(patch.options ? { options: { ...(study.elections.options ?? {}), ...patch.options } } : {}) };
      await this.saveStudy(study);
      return { before, after: study.elections, value: study.elections };
    });
  }

  // ── evidence ───────────────────────────────────────────────────────────────

  async addEvidence(a: Access, bytes: Uint8Array, meta: { name: string; kind: EvidenceItem['kind']; title?: string; claimedDate?: string; componentIds: string[]; employeeIds: string[]; summary?: string }) {
    return this.change(a, 'evidence.add', `file:${meta.name}`, async (study) => {
      for (const c of meta.componentIds) if (!study.components.some((x) => x.id === c)) throw new ApiError('bad_request', `unknown component ${c}`);
      const { entry, alreadyPresent } = await this.store.ledger.append(bytes, { name: meta.name, kind: meta.kind, ...(meta.claimedDate ? { claimedDate: meta.claimedDate } : {}), firmId: a.firmId, studyId: a.studyId });
      const existing = study.evidence?.find((e) => e.sha256 === entry.sha256);
      const id = existing?.id ?? `EV-${entry.sha256.slice(0, 12)}`;
      const item: EvidenceItem = {
        id,
        kind: meta.kind,
        // linking the same bytes again keeps what the first upload said about them unless given anew
        title: meta.title || existing?.title || meta.name,
        sha256: entry.sha256,
        ...(meta.claimedDate ? { claimedDate: meta.claimedDate as EvidenceItem['claimedDate'] & string } : existing?.claimedDate ? { claimedDate: existing.claimedDate } : {}),
        capturedAt: entry.receivedAt,
        componentIds: [...new Set([...(existing?.componentIds ?? []), ...meta.componentIds])],
        employeeIds: [...new Set([...(existing?.employeeIds ?? []), ...meta.employeeIds])],
        uri: `ledger:${entry.sha256}`,
        ...(meta.summary ? { summary: meta.summary } : existing?.summary ? { summary: existing.summary } : {}),
      };
      study.evidence = [...(study.evidence ?? []).filter((e) => e.id !== id), item];
      await this.saveStudy(study);
      return { before: existing ?? null, after: item, value: { item, ledgerSeq: entry.seq, alreadyPresent } };
    });
  }

  /** The bytes of a ledger item, only when this study references it (evidence or import). */
  async evidenceBytes(studyId: string, sha: string): Promise<{ bytes: Uint8Array; name: string } | undefined> {
    const ref = await this.db.query<{ name: string }>(
      'select file_name as name from import_job where study_id = $1 and sha256 = $2 limit 1',
      [studyId, sha],
    );
    const item = (await this.study(studyId)).evidence?.find((e) => e.sha256 === sha);
    const name = item?.title ?? ref[0]?.name;
    if (name === undefined) return undefined;
    const bytes = await this.store.ledger.blob(sha);
    return bytes ? { bytes, name } : undefined;
  }

  newId(): string {
    return randomUUID();
  }
}
