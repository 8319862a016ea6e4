-- rdcredit store, migration 0004: evidence items, four-part-test interviews, the qualification log
-- (append-only), state facts, and the import log that ties a study to the raw files in the ledger.

-- Which optional lists the study has (absent vs. empty).
alter table study add column evidence_present boolean not null default false;
alter table study add column interviews_present boolean not null default false;
alter table study add column qualification_log_present boolean not null default false;
alter table study add column state_facts_present boolean not null default false;

create table evidence_item (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  kind text not null,
  title text not null,
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  claimed_date date,
  captured_at text,
  component_ids jsonb not null,
  employee_ids jsonb not null,
  uri text,
  outcome text check (outcome in ('success', 'failure', 'inconclusive')),
  summary text,
  source_file text,
  source_sha256 text,
  source_row integer,
  source_note text,
  primary key (study_id, seq),
  unique (study_id, id)
);
create index evidence_item_sha on evidence_item (sha256);

create table interview (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  component_id text not null,
  primary key (study_id, seq)
);

create table interview_answer (
  study_id text not null,
  interview_seq integer not null,
  seq integer not null,
  question text not null,
  -- text, number, boolean or array of text, as JSON
  value jsonb not null,
  note text,
  evidence_ids jsonb,
  answered_by text,
  answered_at text,
  primary key (study_id, interview_seq, seq),
  foreign key (study_id, interview_seq) references interview (study_id, seq) on delete cascade
);

-- Not tied to the study row by a foreign key: saving a study replaces its rows, but never its log.
create table qualification_decision (
  study_id text not null,
  seq integer not null check (seq >= 1),
  component_id text not null,
  result text not null check (result in ('qualifies', 'does_not_qualify', 'needs_information')),
  previous text check (previous in ('qualifies', 'does_not_qualify', 'needs_information')),
  decided_by text not null,
  decided_at text not null,
  why text not null,
  recorded_at timestamptz not null default now(),
  primary key (study_id, seq)
);

create function append_only_table() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end
$$;
create trigger qualification_decision_no_change before update or delete on qualification_decision
  for each row execute function append_only_table();
create trigger qualification_decision_no_truncate before truncate on qualification_decision
  for each statement execute function append_only_table();

create table state_facts (
  study_id text not null references study (id) on delete cascade,
  state text not null,
  fact text not null,
  value text not null,
  primary key (study_id, state, fact)
);

-- Every file imported into a study: its bytes are in ledger_blob (the raw-file blob table),
-- with the options used, so the derived rows can be rebuilt from the ledger. Append-only.
create table raw_import (
  study_id text not null,
  seq integer not null check (seq >= 1),
  sha256 text not null references ledger_blob (sha256),
  ledger_seq bigint not null references ledger_entry (seq),
  name text not null,
  kind text not null,
  profile text not null,
  options jsonb not null,
  received_at text not null,
  records jsonb not null,
  primary key (study_id, seq),
  unique (study_id, sha256)
);
create trigger raw_import_no_change before update or delete on raw_import
  for each row execute function append_only_table();
create trigger raw_import_no_truncate before truncate on raw_import
  for each statement execute function append_only_table();
