-- rdcredit store, migration 0002: the evidence ledger. Blobs are kept byte for byte, addressed by
-- SHA-256; entries form an append-only hash chain. Both tables refuse UPDATE, DELETE and TRUNCATE.
create table ledger_blob (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint not null,
  bytes bytea not null
);

create table ledger_entry (
  seq bigint primary key check (seq >= 1),
  received_at text not null,
  name text not null,
  kind text not null,
  claimed_date text,
  sha256 text not null references ledger_blob (sha256),
  size bigint not null,
  firm_id text,
  study_id text,
  prev_hash text not null,
  hash text not null unique
);

create function ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the evidence ledger is append-only: % on % is not allowed', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end
$$;

create trigger ledger_entry_no_change before update or delete on ledger_entry
  for each row execute function ledger_append_only();
create trigger ledger_entry_no_truncate before truncate on ledger_entry
  for each statement execute function ledger_append_only();
create trigger ledger_blob_no_change before update or delete on ledger_blob
  for each row execute function ledger_append_only();
create trigger ledger_blob_no_truncate before truncate on ledger_blob
  for each statement execute function ledger_append_only();
