/**
 * Saving and loading a Study in the relational schema (migration 0001). Each child table is
 * described once (column, model path, type) and both directions are driven by that description.
 * Money columns are bigint and come back as text; they become `Cents` here and nowhere else.
 */
import { cents, type Cents } from '../money/cents.js';
import type { Study } from '../study/model.js';
import type { Db, Queryable } from './db.js';

/** `jsonv`: a JSON value that may itself be a string (never re-parsed on the way out). */
type ColType = 'text' | 'cents' | 'bool' | 'float' | 'int' | 'date' | 'json' | 'jsonv';
type Col = [column: string, path: string, type: ColType];

interface ChildTable {
  table: string;
  /** Which records of the study the table holds. */
  records(s: Study): Record<string, unknown>[];
  cols: Col[];
}

const LOC = (p: string): Col[] => [
  ['loc_country', `${p}.country`, 'text'],
  ['loc_state', `${p}.state`, 'text'],
];
const SRC: Col[] = [
  ['source_file', 'source.file', 'text'],
  ['source_sha256', 'source.sha256', 'text'],
  ['source_row', 'source.row', 'int'],
  ['source_note', 'source.note', 'text'],
];

const CHILDREN: ChildTable[] = [
  {
    table: 'prior_year',
    records: (s) => s.history as never,
    cols: [
      ['period_start', 'period.start', 'date'],
      ['period_end', 'period.end', 'date'],
      ['qre', 'qre', 'cents'],
      ['qre_by_state', 'qreByState', 'json'],
      ['gross_receipts', 'grossReceipts', 'cents'],
      ['gross_receipts_by_state', 'grossReceiptsByState', 'json'],
      ['basic_research_payments', 'basicResearchPayments', 'cents'],
      ['credit_claimed', 'creditClaimed', 'cents'],
      ['method', 'method', 'text'],
      ['section280c_elected', 'section280cElected', 'bool'],
      ['payroll_election_amount', 'payrollElection.amount', 'cents'],
      ['payroll_election_return_filed', 'payrollElection.returnFiled', 'date'],
      ['payroll_election_used_to_date', 'payrollElection.usedToDate', 'cents'],
      ['section174_capitalized', 'section174Capitalized', 'json'],
    ],
  },
  {
    table: 'employee',
    records: (s) => s.employees as never,
    cols: [
      ['id', 'id', 'text'],
      ['name', 'name', 'text'],
      ['title', 'title', 'text'],
      ['role', 'role', 'text'],
      ['officer', 'officer', 'bool'],
      ['wages_box1', 'wagesBox1', 'cents'],
      ['wotc_wages', 'wotcWages', 'cents'],
      ['state_wages', 'stateWages', 'json'],
      ['home_country', 'homeLocation.country', 'text'],
      ['home_state', 'homeLocation.state', 'text'],
      ['member_id', 'memberId', 'text'],
      ...SRC,
    ],
  },
  {
    table: 'wage_adjustment',
    records: (s) => s.employees.flatMap((e) => (e.wageAdjustments ?? []).map((a) => ({ employeeId: e.id, ...a }))),
    cols: [
      ['employee_id', 'employeeId', 'text'],
      ['amount', 'amount', 'cents'],
      ['reason', 'reason', 'text'],
    ],
  },
  {
    table: 'business_component',
    records: (s) => s.components as never,
    cols: [
      ['id', 'id', 'text'],
      ['name', 'name', 'text'],
      ['type', 'type', 'text'],
      ['software_class', 'softwareClass', 'text'],
      ['parent_id', 'parentId', 'text'],
      ['member_id', 'memberId', 'text'],
      ['information_sought', 'informationSought', 'text'],
      ['start_date', 'startDate', 'date'],
      ['end_date', 'endDate', 'date'],
      ['commercial_production_date', 'commercialProductionDate', 'date'],
      ['qualification', 'qualification', 'text'],
      ['qualification_reason', 'qualificationReason', 'text'],
    ],
  },
  {
    table: 'time_record',
    records: (s) => s.time as never,
    cols: [
      ['employee_id', 'employeeId', 'text'],
      ['component_id', 'componentId', 'text'],
      ['activity', 'activity', 'text'],
      ['hours', 'hours', 'float'],
      ['experimentation', 'experimentation', 'bool'],
      ['date', 'date', 'date'],
      ...LOC('location'),
      ['basis', 'basis', 'text'],
      ...SRC,
    ],
  },
  {
    table: 'supply_cost',
    records: (s) => s.supplies as never,
    cols: [
      ['id', 'id', 'text'],
      ['description', 'description', 'text'],
      ['amount', 'amount', 'cents'],
      ['component_id', 'componentId', 'text'],
      ['kind', 'kind', 'text'],
      ...LOC('location'),
      ['date', 'date', 'date'],
      ['gl_account', 'glAccount', 'text'],
      ...SRC,
    ],
  },
  {
    table: 'computer_cost',
    records: (s) => s.computers as never,
    cols: [
      ['id', 'id', 'text'],
      ['vendor', 'vendor', 'text'],
      ['description', 'description', 'text'],
      ['amount', 'amount', 'cents'],
      ['component_id', 'componentId', 'text'],
      ['use', 'use', 'text'],
      ['research_share', 'researchShare', 'text'],
      ...LOC('location'),
      ['date', 'date', 'date'],
      ...SRC,
    ],
  },
  {
    table: 'contract_research',
    records: (s) => s.contracts as never,
    cols: [
      ['id', 'id', 'text'],
      ['payee', 'payee', 'text'],
      ['payee_type', 'payeeType', 'text'],
      ['energy_research', 'energyResearch', 'bool'],
      ['amount', 'amount', 'cents'],
      ['component_id', 'componentId', 'text'],
      ...LOC('location'),
      ['taxpayer_bears_risk', 'taxpayerBearsRisk', 'bool'],
      ['taxpayer_has_rights', 'taxpayerHasRights', 'bool'],
      ['prepaid_for_later_years', 'prepaidForLaterYears', 'cents'],
      ['paid_date', 'paidDate', 'date'],
      ['related_party', 'relatedParty', 'bool'],
      ...SRC,
    ],
  },
  {
    table: 'basic_research_payment',
    records: (s) => s.basicResearch as never,
    cols: [
      ['id', 'id', 'text'],
      ['organization', 'organization', 'text'],
      ['amount', 'amount', 'cents'],
      ['cash', 'cash', 'bool'],
      ['written_agreement', 'writtenAgreement', 'bool'],
      ...LOC('location'),
      ['component_id', 'componentId', 'text'],
    ],
  },
  {
    table: 'energy_consortium_payment',
    records: (s) => s.energyConsortia as never,
    cols: [
      ['id', 'id', 'text'],
      ['consortium', 'consortium', 'text'],
      ['amount', 'amount', 'cents'],
    ],
  },
  {
    table: 'section174_pool',
    records: (s) => s.section174Pools as never,
    cols: [
      ['id', 'id', 'text'],
      ['description', 'description', 'text'],
      ['amount', 'amount', 'cents'],
      ['foreign_research', 'foreign', 'bool'],
      ['category', 'category', 'text'],
    ],
  },
  {
    table: 'evidence_item',
    records: (s) => (s.evidence ?? []) as never,
    cols: [
      ['id', 'id', 'text'],
      ['kind', 'kind', 'text'],
      ['title', 'title', 'text'],
      ['sha256', 'sha256', 'text'],
      ['claimed_date', 'claimedDate', 'date'],
      ['captured_at', 'capturedAt', 'text'],
      ['component_ids', 'componentIds', 'json'],
      ['employee_ids', 'employeeIds', 'json'],
      ['uri', 'uri', 'text'],
      ['outcome', 'outcome', 'text'],
      ['summary', 'summary', 'text'],
      ...SRC,
    ],
  },
  {
    table: 'interview',
    records: (s) => (s.interviews ?? []) as never,
    cols: [['component_id', 'componentId', 'text']],
  },
];

const ANSWER_COLS: Col[] = [
  ['question', 'question', 'text'],
  ['value', 'value', 'jsonv'],
  ['note', 'note', 'text'],
  ['evidence_ids', 'evidenceIds', 'json'],
  ['answered_by', 'answeredBy', 'text'],
  ['answered_at', 'answeredAt', 'text'],
];

const DECISION_COLS: Col[] = [
  ['component_id', 'componentId', 'text'],
  ['result', 'result', 'text'],
  ['previous', 'previous', 'text'],
  ['decided_by', 'by', 'text'],
  ['decided_at', 'at', 'text'],
  ['why', 'why', 'text'],
];

/** Thrown when a save would change or remove a recorded qualification decision. */
export class AppendOnlyError extends Error {
  override name = 'AppendOnlyError';
}

function getPath(o: unknown, path: string): unknown {
  let cur: any = o;
  for (const k of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(o: Record<string, any>, path: string, v: unknown): void {
  const ks = path.split('.');
  let cur = o;
  for (const k of ks.slice(0, -1)) cur = cur[k] ??= {};
  cur[ks[ks.length - 1]!] = v;
}

/** A bigint column value (text from pg, number or bigint from PGlite) as Cents. */
export function centsFromDb(v: unknown): Cents {
  if (typeof v === 'string') {
    if (!/^-?\d+$/.test(v)) throw new Error(`store: not a bigint cents value: ${v}`);
    return cents(BigInt(v));
  }
  if (typeof v === 'number' || typeof v === 'bigint') return cents(v);
  throw new Error(`store: not a cents value: ${String(v)}`);
}

function toParam(v: unknown, t: ColType): unknown {
  if (v === undefined) return null;
  switch (t) {
    case 'cents':
      return String(v); // exact; the server casts text to bigint
    case 'json':
    case 'jsonv':
      return JSON.stringify(v);
    default:
      return v;
  }
}

const castOut = (c: string, t: ColType) => (t === 'cents' || t === 'date' ? `${c}::text as ${c}` : c);

function fromRow(row: Record<string, unknown>, cols: Col[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [c, path, t] of cols) {
    const v = row[c];
    if (v === null || v === undefined) continue;
    let x: unknown = v;
    if (t === 'cents') x = centsFromDb(v);
    else if (t === 'int') x = Number(v);
    else if (t === 'float') x = Number(v);
    else if (t === 'json') x = jsonValue(v);
    setPath(out, path, x);
  }
  return out;
}

/** jsonb arrives parsed from both drivers; a string is parsed here defensively. */
function jsonValue(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

/** Largest number of bound parameters per INSERT (PostgreSQL allows 65,535). */
const MAX_PARAMS = 30_000;

async function insertRows(tx: Queryable, table: string, cols: Col[], studyId: string, recs: Record<string, unknown>[]): Promise<void> {
  const names = ['study_id', 'seq', ...cols.map((c) => c[0])];
  const per = names.length;
  const batch = Math.max(1, Math.floor(MAX_PARAMS / per));
  for (let i = 0; i < recs.length; i += batch) {
    const chunk = recs.slice(i, i + batch);
    const params: unknown[] = [];
    const tuples = chunk.map((r, j) => {
      params.push(studyId, i + j + 1, ...cols.map(([, path, t]) => toParam(getPath(r, path), t)));
      const base = j * per;
      return `(${names.map((_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    await tx.query(`insert into ${table} (${names.join(', ')}) values ${tuples.join(', ')}`, params);
  }
}

const STUDY_COLS: Col[] = [
  ['format_version', 'formatVersion', 'int'],
  ['title', 'title', 'text'],
  ['tp_name', 'taxpayer.name', 'text'],
  ['tp_ein', 'taxpayer.ein', 'text'],
  ['tp_entity_type', 'taxpayer.entityType', 'text'],
  ['tp_activity_code', 'taxpayer.activityCode', 'text'],
  ['tp_publicly_traded', 'taxpayer.publiclyTraded', 'bool'],
  ['period_start', 'taxpayer.period.start', 'date'],
  ['period_end', 'taxpayer.period.end', 'date'],
  ['states', 'taxpayer.states', 'json'],
  ['group_members', 'taxpayer.groupMembers', 'json'],
  ['owners', 'taxpayer.owners', 'json'],
  ['gross_receipts', 'grossReceipts', 'cents'],
  ['gross_receipts_by_state', 'grossReceiptsByState', 'json'],
  ['tax_facts', 'taxFacts', 'json'],
  ['elections', 'elections', 'json'],
  ['base_facts', 'baseFacts', 'json'],
  ['evidence_present', 'evidencePresent', 'bool'],
  ['interviews_present', 'interviewsPresent', 'bool'],
  ['qualification_log_present', 'qualificationLogPresent', 'bool'],
  ['state_facts_present', 'stateFactsPresent', 'bool'],
];

const sameDecision = (a: Record<string, unknown>, b: Record<string, unknown>) => DECISION_COLS.every(([, p]) => a[p] === b[p]);

/** Summary row of `listStudies`. */
export interface StudySummary {
  id: string;
  title: string;
  firmId?: string;
  clientId?: string;
  taxpayerId: string;
  taxpayerName: string;
  period: { start: string; end: string };
  savedAt: string;
}

/** Saves `study`, replacing every row it had, in one transaction. */
export async function saveStudy(db: Db, s: Study): Promise<void> {
  const firmId = s.firm?.id ?? '';
  const clientId = s.client?.id ?? '';
  if (s.firm?.id === '' || s.client?.id === '') throw new Error('store: firm and client ids must not be empty');
  await db.transaction(async (tx) => {
    await tx.query('insert into firm (id, name) values ($1, $2) on conflict (id) do update set name = coalesce(excluded.name, firm.name)', [firmId, s.firm?.name ?? null]);
    await tx.query('insert into client (firm_id, id, name) values ($1, $2, $3) on conflict (firm_id, id) do update set name = coalesce(excluded.name, client.name)', [firmId, clientId, s.client?.name ?? null]);
    await tx.query(
      'insert into taxpayer (firm_id, client_id, id, name, ein, entity_type) values ($1, $2, $3, $4, $5, $6) on conflict (firm_id, client_id, id) do update set name = excluded.name, ein = excluded.ein, entity_type = excluded.entity_type',
      [firmId, clientId, s.taxpayer.id, s.taxpayer.name, s.taxpayer.ein ?? null, s.taxpayer.entityType],
    );
    const prev = await tx.query<{ firm_id: string }>('select firm_id from study where id = $1', [s.id]);
    if (prev[0] && prev[0].firm_id !== firmId) throw new Error(`store: study ${s.id} belongs to another firm`);
    await tx.query('delete from study where id = $1', [s.id]); // cascades to every child table
    const head = {
      ...s,
      evidencePresent: s.evidence !== undefined,
      interviewsPresent: s.interviews !== undefined,
      qualificationLogPresent: s.qualificationLog !== undefined,
      stateFactsPresent: s.stateFacts !== undefined,
    };
    const names = ['id', 'firm_id', 'client_id', 'taxpayer_id', ...STUDY_COLS.map((c) => c[0])];
    const params = [s.id, firmId, clientId, s.taxpayer.id, ...STUDY_COLS.map(([, path, t]) => toParam(getPath(head, path), t))];
    await tx.query(`insert into study (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')})`, params);
    for (const c of CHILDREN) await insertRows(tx, c.table, c.cols, s.id, c.records(s));
    // Interview answers: keyed by the interview's seq.
    const answers = (s.interviews ?? []).flatMap((iv, i) => iv.answers.map((a, j) => ({ interviewSeq: i + 1, seq: j + 1, a })));
    for (const { interviewSeq, seq, a } of answers)
      await tx.query(`insert into interview_answer (study_id, interview_seq, seq, ${ANSWER_COLS.map((c) => c[0]).join(', ')}) values ($1, $2, $3, ${ANSWER_COLS.map((_, k) => `$${k + 4}`).join(', ')})`, [
        s.id,
        interviewSeq,
        seq,
        ...ANSWER_COLS.map(([, path, t]) => toParam(getPath(a, path), t)),
      ]);
    const facts = Object.entries(s.stateFacts ?? {}).flatMap(([st, f]) => Object.entries(f).map(([k, v]) => [st, k, v]));
    for (const [st, k, v] of facts) await tx.query('insert into state_facts (study_id, state, fact, value) values ($1, $2, $3, $4)', [s.id, st, k, v]);
    // The qualification log is append-only: the stored log must be a prefix of the study's.
    const stored = (await tx.query<Record<string, unknown>>(`select ${DECISION_COLS.map((c) => c[0]).join(', ')} from qualification_decision where study_id = $1 order by qualification_decision.seq`, [s.id])).map((r) => fromRow(r, DECISION_COLS));
    const log = (s.qualificationLog ?? []) as unknown as Record<string, unknown>[];
    const bad = stored.findIndex((d, i) => !log[i] || !sameDecision(d, log[i]!));
    if (bad >= 0) throw new AppendOnlyError(`store: the qualification log of study ${s.id} is append-only; decision ${bad + 1} (${String(stored[bad]!.componentId)} → ${String(stored[bad]!.result)}) was changed or removed`);
    for (let i = stored.length; i < log.length; i++)
      await tx.query(`insert into qualification_decision (study_id, seq, ${DECISION_COLS.map((c) => c[0]).join(', ')}) values ($1, $2, ${DECISION_COLS.map((_, k) => `$${k + 3}`).join(', ')})`, [
        s.id,
        i + 1,
        ...DECISION_COLS.map(([, path, t]) => toParam(getPath(log[i], path), t)),
      ]);
  });
}

/** Loads a study by id; undefined when there is none. */
export async function loadStudy(db: Queryable, id: string): Promise<Study | undefined> {
  const rows = await db.query<Record<string, unknown>>(
    `select s.id, s.firm_id, s.client_id, s.taxpayer_id, f.name as firm_name, c.name as client_name, ${STUDY_COLS.map(([c, , t]) => castOut(`s.${c}`, t).replace(/ as s\./, ' as ')).join(', ')}
     from study s join firm f on f.id = s.firm_id join client c on c.firm_id = s.firm_id and c.id = s.client_id where s.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return undefined;
  const head = fromRow(
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/^s\./, ''), v])),
    STUDY_COLS,
  ) as any;
  const children: Record<string, Record<string, unknown>[]> = {};
  for (const c of CHILDREN) {
    const got = await db.query<Record<string, unknown>>(`select ${c.cols.map(([col, , t]) => castOut(col, t)).join(', ')} from ${c.table} where study_id = $1 order by ${c.table}.seq`, [id]);
    children[c.table] = got.map((g) => fromRow(g, c.cols));
  }
  const answerRows = await db.query<Record<string, unknown>>(`select interview_seq, ${ANSWER_COLS.map((c) => c[0]).join(', ')} from interview_answer where study_id = $1 order by interview_seq, seq`, [id]);
  const interviews = children.interview!.map((iv) => ({ componentId: iv.componentId as string, answers: [] as Record<string, unknown>[] }));
  for (const a of answerRows) interviews[Number(a.interview_seq) - 1]!.answers.push(fromRow(a, ANSWER_COLS));
  const decisions = (await db.query<Record<string, unknown>>(`select ${DECISION_COLS.map((c) => c[0]).join(', ')} from qualification_decision where study_id = $1 order by qualification_decision.seq`, [id])).map((r) => fromRow(r, DECISION_COLS));
  const factRows = await db.query<{ state: string; fact: string; value: string }>('select state, fact, value from state_facts where study_id = $1 order by state, fact', [id]);
  const stateFacts: Record<string, Record<string, string>> = {};
  for (const f of factRows) (stateFacts[f.state] ??= {})[f.fact] = f.value;
  const adj = new Map<string, { amount: Cents; reason: string }[]>();
  for (const a of children.wage_adjustment!) {
    const l = adj.get(a.employeeId as string) ?? [];
    l.push({ amount: a.amount as Cents, reason: a.reason as string });
    adj.set(a.employeeId as string, l);
  }
  const employees = children.employee!.map((e) => {
    const list = adj.get(e.id as string);
    if (!list) return e;
    const { id: eid, name, title, role, officer, wagesBox1, ...rest } = e;
    return Object.fromEntries(Object.entries({ id: eid, name, title, role, officer, wagesBox1, wageAdjustments: list, ...rest }).filter(([, v]) => v !== undefined));
  });
  const tp = head.taxpayer;
  const study = {
    formatVersion: head.formatVersion,
    id: r.id as string,
    title: head.title,
    ...(r.firm_id !== '' ? { firm: { id: r.firm_id as string, name: r.firm_name as string } } : {}),
    ...(r.client_id !== '' ? { client: { id: r.client_id as string, name: r.client_name as string } } : {}),
    taxpayer: {
      id: r.taxpayer_id as string,
      name: tp.name,
      ...(tp.ein !== undefined ? { ein: tp.ein } : {}),
      entityType: tp.entityType,
      ...(tp.activityCode !== undefined ? { activityCode: tp.activityCode } : {}),
      ...(tp.publiclyTraded !== undefined ? { publiclyTraded: tp.publiclyTraded } : {}),
      period: tp.period,
      states: tp.states,
      ...(tp.groupMembers !== undefined ? { groupMembers: tp.groupMembers } : {}),
      ...(tp.owners !== undefined ? { owners: tp.owners } : {}),
    },
    ...(head.grossReceipts !== undefined ? { grossReceipts: head.grossReceipts } : {}),
    ...(head.grossReceiptsByState !== undefined ? { grossReceiptsByState: head.grossReceiptsByState } : {}),
    history: children.prior_year,
    employees,
    time: children.time_record,
    components: children.business_component,
    supplies: children.supply_cost,
    computers: children.computer_cost,
    contracts: children.contract_research,
    basicResearch: children.basic_research_payment,
    energyConsortia: children.energy_consortium_payment,
    section174Pools: children.section174_pool,
    taxFacts: head.taxFacts,
    elections: head.elections,
    ...(head.baseFacts !== undefined && head.baseFacts !== null ? { baseFacts: head.baseFacts } : {}),
    ...(head.stateFactsPresent ? { stateFacts } : {}),
    ...(head.evidencePresent ? { evidence: children.evidence_item } : {}),
    ...(head.interviewsPresent ? { interviews } : {}),
    ...(head.qualificationLogPresent ? { qualificationLog: decisions } : {}),
  };
  return study as unknown as Study;
}

/** Lists the studies in the store, optionally of one firm, ordered by taxpayer and period. */
export async function listStudies(db: Queryable, filter: { firmId?: string } = {}): Promise<StudySummary[]> {
  const rows = await db.query<Record<string, string>>(
    `select id, title, firm_id, client_id, taxpayer_id, tp_name, period_start::text as period_start, period_end::text as period_end, saved_at::text as saved_at
     from study ${filter.firmId !== undefined ? 'where firm_id = $1' : ''} order by firm_id, client_id, taxpayer_id, period_start, id`,
    filter.firmId !== undefined ? [filter.firmId] : [],
  );
  return rows.map((r) => ({
    id: r.id!,
    title: r.title!,
    ...(r.firm_id ? { firmId: r.firm_id } : {}),
    ...(r.client_id ? { clientId: r.client_id } : {}),
    taxpayerId: r.taxpayer_id!,
    taxpayerName: r.tp_name!,
    period: { start: r.period_start!, end: r.period_end! },
    savedAt: r.saved_at!,
  }));
}
