-- rdcredit server, migration 0002: what a firm records about a taxpayer when it opens an engagement
-- in the app and that the store's taxpayer table does not hold (the states it files in or does
-- research in). A study created for the taxpayer starts from these; each study keeps its own copy.
create table taxpayer_profile (
  firm_id text not null,
  client_id text not null,
  taxpayer_id text not null,
  states jsonb not null default '[]',
  created_by text,
  created_at timestamptz not null default now(),
  primary key (firm_id, client_id, taxpayer_id)
);
