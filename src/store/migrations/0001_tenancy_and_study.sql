-- rdcredit store, migration 0001: tenancy (firm → client → taxpayer → study/tax year) and the study.
-- Money is bigint cents everywhere. The id '' of firm and client stands for "not given" in the study.
create table firm (
  id text primary key,
  name text
);

create table client (
  firm_id text not null references firm (id),
  id text not null,
  name text,
  primary key (firm_id, id)
);

create table taxpayer (
  firm_id text not null,
  client_id text not null,
  id text not null,
  name text not null,
  ein text,
  entity_type text not null,
  primary key (firm_id, client_id, id),
  foreign key (firm_id, client_id) references client (firm_id, id)
);

-- One study = one taxpayer's tax year. The taxpayer's details as the study states them are kept
-- with the study (a name or entity type can change between years).
create table study (
  id text primary key,
  firm_id text not null,
  client_id text not null,
  taxpayer_id text not null,
  format_version integer not null,
  title text not null,
  tp_name text not null,
  tp_ein text,
  tp_entity_type text not null,
  tp_activity_code text,
  tp_publicly_traded boolean,
  period_start date not null,
  period_end date not null,
  states jsonb not null,
  group_members jsonb,
  owners jsonb,
  gross_receipts bigint,
  gross_receipts_by_state jsonb,
  tax_facts jsonb not null,
  elections jsonb not null,
  saved_at timestamptz not null default now(),
  foreign key (firm_id, client_id, taxpayer_id) references taxpayer (firm_id, client_id, id),
  check (period_end >= period_start)
);
create index study_tenant on study (firm_id, client_id, taxpayer_id, period_start);

create table prior_year (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  period_start date not null,
  period_end date not null,
  qre bigint,
  qre_by_state jsonb,
  gross_receipts bigint,
  gross_receipts_by_state jsonb,
  basic_research_payments bigint,
  credit_claimed bigint,
  method text check (method in ('regular', 'asc')),
  section280c_elected boolean,
  payroll_election_amount bigint,
  payroll_election_return_filed date,
  payroll_election_used_to_date bigint,
  -- {"domestic": cents, "foreign": cents}; {} = known to have none, null = not known
  section174_capitalized jsonb,
  primary key (study_id, seq)
);

create table employee (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  name text not null,
  title text,
  role text,
  officer boolean not null,
  wages_box1 bigint,
  wotc_wages bigint,
  state_wages jsonb,
  home_country text,
  home_state text,
  member_id text,
  source_file text,
  source_sha256 text,
  source_row integer,
  source_note text,
  primary key (study_id, seq),
  unique (study_id, id)
);

create table wage_adjustment (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  employee_id text not null,
  amount bigint not null,
  reason text not null,
  primary key (study_id, seq),
  foreign key (study_id, employee_id) references employee (study_id, id) on delete cascade
);

create table business_component (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  name text not null,
  type text not null,
  software_class text,
  parent_id text,
  member_id text,
  information_sought text,
  start_date date,
  end_date date,
  commercial_production_date date,
  qualification text not null check (qualification in ('qualifies', 'does_not_qualify', 'needs_information')),
  qualification_reason text,
  primary key (study_id, seq),
  unique (study_id, id)
);

create table time_record (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  employee_id text not null,
  component_id text,
  activity text not null check (activity in ('direct_research', 'direct_supervision', 'direct_support', 'non_qualified')),
  hours double precision not null check (hours >= 0),
  experimentation boolean,
  date date,
  loc_country text,
  loc_state text,
  basis text,
  source_file text,
  source_sha256 text,
  source_row integer,
  source_note text,
  primary key (study_id, seq)
);
create index time_record_grain on time_record (study_id, employee_id, component_id, activity, loc_state);

create table supply_cost (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  description text not null,
  amount bigint not null,
  component_id text,
  kind text not null,
  loc_country text,
  loc_state text,
  date date,
  gl_account text,
  source_file text,
  source_sha256 text,
  source_row integer,
  source_note text,
  primary key (study_id, seq)
);

create table computer_cost (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  vendor text not null,
  description text not null,
  amount bigint not null,
  component_id text,
  use text not null check (use in ('research', 'production', 'mixed')),
  research_share text,
  loc_country text,
  loc_state text,
  date date,
  source_file text,
  source_sha256 text,
  source_row integer,
  source_note text,
  primary key (study_id, seq)
);

create table contract_research (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  payee text not null,
  payee_type text not null,
  energy_research boolean,
  amount bigint not null,
  component_id text,
  loc_country text,
  loc_state text,
  taxpayer_bears_risk boolean,
  taxpayer_has_rights boolean,
  prepaid_for_later_years bigint,
  paid_date date,
  related_party boolean,
  source_file text,
  source_sha256 text,
  source_row integer,
  source_note text,
  primary key (study_id, seq)
);

create table basic_research_payment (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  organization text not null,
  amount bigint not null,
  cash boolean not null,
  written_agreement boolean not null,
  loc_country text,
  loc_state text,
  component_id text,
  primary key (study_id, seq)
);

create table energy_consortium_payment (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  consortium text not null,
  amount bigint not null,
  primary key (study_id, seq)
);

create table section174_pool (
  study_id text not null references study (id) on delete cascade,
  seq integer not null,
  id text not null,
  description text not null,
  amount bigint not null,
  foreign_research boolean not null,
  category text not null,
  primary key (study_id, seq)
);
