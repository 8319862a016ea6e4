-- rdcredit server, migration server_0001: users and their roles in firms, sessions, the audit log,
-- review (comments, sign-offs, versions) and import jobs. Interview answers, evidence items and the
-- qualification log are the store's (migration 0004).
-- Applied after the store's numbered migrations. No foreign key to study: the store saves a study by
-- deleting and re-inserting its row, which would cascade into (or be blocked by) these tables.

create table app_user (
  id text primary key,
  email text not null unique,
  name text not null,
  -- scrypt$N$r$p$salt(base64)$hash(base64)
  password_hash text not null,
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

-- A user's role in a firm. A client contributor is limited to one client of the firm.
create table membership (
  user_id text not null references app_user (id) on delete cascade,
  firm_id text not null references firm (id),
  role text not null check (role in ('firm_admin', 'preparer', 'technical_reviewer', 'signing_cpa', 'client_contributor', 'read_only')),
  client_id text,
  primary key (user_id, firm_id),
  check ((role = 'client_contributor') = (client_id is not null))
);

-- Sessions: the cookie carries a random id; only its SHA-256 is stored.
create table app_session (
  id_hash text primary key,
  user_id text not null references app_user (id) on delete cascade,
  csrf_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index app_session_user on app_session (user_id);

-- Every change: who, when, what, before and after. Append-only.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  firm_id text,
  study_id text,
  user_id text,
  action text not null,
  target text,
  before jsonb,
  after jsonb
);
create index audit_log_study on audit_log (study_id, id);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only();

-- Versions of a study: the working version is the highest; a signed version keeps its snapshot.
create table study_version (
  study_id text not null,
  version integer not null check (version >= 1),
  status text not null check (status in ('open', 'signed')),
  opened_at timestamptz not null default now(),
  opened_by text,
  signed_at timestamptz,
  signed_by text,
  snapshot jsonb,
  primary key (study_id, version)
);

create table study_comment (
  id bigserial primary key,
  study_id text not null,
  version integer not null,
  -- "study", "component:<id>", "line:<form>:<line>", "employee:<id>"
  target text not null,
  body text not null,
  user_id text not null,
  created_at timestamptz not null default now()
);
create index study_comment_study on study_comment (study_id, id);

create table signoff (
  id bigserial primary key,
  study_id text not null,
  version integer not null,
  -- preparer, technical_review, signing
  stage text not null check (stage in ('preparer', 'technical_review', 'signing')),
  user_id text not null,
  at timestamptz not null default now(),
  note text,
  unique (study_id, version, stage)
);

create table import_job (
  id text primary key,
  study_id text not null,
  user_id text not null,
  file_name text not null,
  sha256 text,
  status text not null check (status in ('running', 'done', 'rejected', 'failed')),
  bytes_total bigint not null,
  bytes_read bigint not null default 0,
  result jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index import_job_study on import_job (study_id, created_at);
