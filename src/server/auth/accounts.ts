/**
 * Users, memberships and sessions in the server tables. Session ids and CSRF tokens are random
 * 32-byte values; only their SHA-256 is stored, so a copy of the database does not hold a usable
 * session.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/index.js';
import { ROLES, type Role } from '../roles.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';

export interface Membership {
  firmId: string;
  firmName: string | null;
  role: Role;
  clientId?: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  memberships: Membership[];
}

export const SESSION_HOURS = 12;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function createUser(db: Queryable, u: { email: string; name: string; password: string; id?: string }): Promise<string> {
  const id = u.id ?? randomUUID();
  await db.query('insert into app_user (id, email, name, password_hash) values ($1, $2, $3, $4)', [id, u.email.trim().toLowerCase(), u.name, await hashPassword(u.password)]);
  return id;
}

export async function addMembership(db: Queryable, userId: string, firmId: string, role: Role, clientId?: string): Promise<void> {
  if (!ROLES.includes(role)) throw new Error(`unknown role ${role}`);
  await db.query(
    'insert into membership (user_id, firm_id, role, client_id) values ($1, $2, $3, $4) on conflict (user_id, firm_id) do update set role = excluded.role, client_id = excluded.client_id',
    [userId, firmId, role, role === 'client_contributor' ? (clientId ?? null) : null],
  );
}

export async function userById(db: Queryable, id: string): Promise<User | undefined> {
  const u = (await db.query<{ id: string; email: string; name: string }>('select id, email, name from app_user where id = $1 and not disabled', [id]))[0];
  if (!u) return undefined;
  const ms = await db.query<{ firm_id: string; name: string | null; role: Role; client_id: string | null }>(
    'select m.firm_id, f.name, m.role, m.client_id from membership m join firm f on f.id = m.firm_id where m.user_id = $1 order by m.firm_id',
    [id],
  );
  return { ...u, memberships: ms.map((m) => ({ firmId: m.firm_id, firmName: m.name, role: m.role, ...(m.client_id ? { clientId: m.client_id } : {}) })) };
}

/** Checks an email and password; spends the same scrypt time when the account does not exist. */
export async function checkLogin(db: Queryable, email: string, password: string): Promise<string | undefined> {
  const row = (await db.query<{ id: string; password_hash: string }>('select id, password_hash from app_user where email = $1 and not disabled', [email.trim().toLowerCase()]))[0];
  const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
  return ok && row ? row.id : undefined;
}

export async function createSession(db: Queryable, userId: string, now = new Date()): Promise<{ id: string; csrf: string; expires: Date }> {
  const id = randomToken();
  const csrf = randomToken();
  const expires = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db.query('insert into app_session (id_hash, user_id, csrf_hash, expires_at) values ($1, $2, $3, $4)', [sha256(id), userId, sha256(csrf), expires.toISOString()]);
  return { id, csrf, expires };
}

export async function sessionUser(db: Queryable, id: string): Promise<{ userId: string; csrfHash: string } | undefined> {
  const r = (await db.query<{ user_id: string; csrf_hash: string }>('select user_id, csrf_hash from app_session where id_hash = $1 and expires_at > now()', [sha256(id)]))[0];
  return r ? { userId: r.user_id, csrfHash: r.csrf_hash } : undefined;
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query('delete from app_session where id_hash = $1', [sha256(id)]);
}

export async function firmUsers(db: Queryable, firmId: string): Promise<{ id: string; email: string; name: string; role: Role; clientId?: string }[]> {
  const rows = await db.query<{ id: string; email: string; name: string; role: Role; client_id: string | null }>(
    'select u.id, u.email, u.name, m.role, m.client_id from membership m join app_user u on u.id = m.user_id where m.firm_id = $1 order by u.email',
    [firmId],
  );
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role, ...(r.client_id ? { clientId: r.client_id } : {}) }));
}
