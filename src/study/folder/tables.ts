/**
 * The CSV files of a study folder as data: for each file, its columns in canonical order, the
 * model field each fills (a dotted path), its codec and whether it is required. The reader and
 * the writer are both driven by these specs, so the two cannot drift apart.
 */
import type { Study } from '../model.js';
import { bool, date, hours, idList, integer, location, money, oneOf, sha256, share, stateAmounts, text, type Codec } from './values.js';

export interface ColumnSpec {
  /** Header in the file (snake_case). */
  name: string;
  /** Dotted path of the field in the record. */
  path: string;
  codec: Codec<any>;
  required?: boolean;
  /** One-line description for docs and templates. */
  doc: string;
}

export interface TableSpec {
  file: string;
  /** The Study array this file fills. */
  key: keyof Pick<Study, 'employees' | 'time' | 'components' | 'supplies' | 'computers' | 'contracts' | 'basicResearch' | 'energyConsortia' | 'section174Pools' | 'evidence'> | 'wageAdjustments';
  /**
   * The Study field is optional: the file is written only when the study has the field (even
   * empty), and an absent file reads back as an absent field.
   */
  optional?: boolean;
  /** Column holding the row's id, unique within the file (none for time and adjustments). */
  idColumn?: string;
  columns: ColumnSpec[];
  /** Fields that are always set even when no column fills them (defaults of the model). */
  doc: string;
}

const SOURCE: ColumnSpec[] = [
  { name: 'source_file', path: 'source.file', codec: text, doc: 'name of the imported file the row came from' },
  { name: 'source_sha256', path: 'source.sha256', codec: text, doc: 'SHA-256 of that file (its address in the evidence ledger)' },
  { name: 'source_row', path: 'source.row', codec: integer, doc: 'row number in that file' },
  { name: 'source_note', path: 'source.note', codec: text, doc: 'free note on provenance' },
];

export const ROLES = ['researcher', 'engineer', 'scientist', 'technician', 'manager', 'executive', 'support', 'other'] as const;
export const ACTIVITIES = ['direct_research', 'direct_supervision', 'direct_support', 'non_qualified'] as const;
export const COMPONENT_TYPES = ['product', 'process', 'software', 'technique', 'formula', 'invention'] as const;
export const SOFTWARE_CLASSES = ['non_ius', 'ius', 'dual_function', 'excepted'] as const;
export const QUALIFICATIONS = ['qualifies', 'does_not_qualify', 'needs_information'] as const;
export const SUPPLY_KINDS = ['supply', 'extraordinary_utility', 'utility', 'depreciable_property', 'land_or_improvement', 'general_administrative'] as const;
export const COMPUTER_USES = ['research', 'production', 'mixed'] as const;
export const PAYEE_TYPES = ['general', 'qualified_research_consortium', 'eligible_small_business', 'university', 'federal_laboratory'] as const;
export const POOL_CATEGORIES = ['wages', 'supplies', 'contract', 'computer', 'depreciation', 'facilities', 'other'] as const;
export const TIME_BASES = ['time_entries', 'survey', 'estimate'] as const;
export const EVIDENCE_KINDS = [
  'adr',
  'design_doc',
  'experiment_run',
  'training_run',
  'benchmark',
  'commit',
  'pull_request',
  'ticket',
  'time_record',
  'contract',
  'interview_note',
  'survey_answer',
  'meeting_notes',
  'lab_notebook',
  'other',
] as const;
export const EVIDENCE_OUTCOMES = ['success', 'failure', 'inconclusive'] as const;

export const TABLES: TableSpec[] = [
  {
    file: 'employees.csv',
    key: 'employees',
    idColumn: 'id',
    doc: 'One row per employee of the taxpayer (or of a controlled-group member) in the credit year.',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'employee id, unique in the study (payroll id)' },
      { name: 'name', path: 'name', codec: text, required: true, doc: 'full name' },
      { name: 'title', path: 'title', codec: text, doc: 'job title' },
      { name: 'role', path: 'role', codec: oneOf(ROLES), doc: `role: ${ROLES.join(', ')}` },
      { name: 'officer', path: 'officer', codec: bool, required: true, doc: 'true if a corporate officer' },
      { name: 'wages_box1', path: 'wagesBox1', codec: money, doc: 'W-2 box 1 wages, dollars and cents; empty = not known' },
      { name: 'wotc_wages', path: 'wotcWages', codec: money, doc: 'wages taken into account for the work opportunity credit (§51)' },
      { name: 'state_wages', path: 'stateWages', codec: stateAmounts, doc: 'W-2 box 15/16 state wages as ID=85000.00; OR=1200.00, or none' },
      { name: 'home_location', path: 'homeLocation', codec: location, doc: 'usual work location (ID, US-ID, US, country:IN)' },
      { name: 'member_id', path: 'memberId', codec: text, doc: 'controlled-group member employing the person (empty = the taxpayer)' },
      ...SOURCE,
    ],
  },
  {
    file: 'wage-adjustments.csv',
    key: 'wageAdjustments',
    doc: 'Adjustments from W-2 box 1 to §3401(a) wages, one row per adjustment (optional file).',
    columns: [
      { name: 'employee_id', path: 'employeeId', codec: text, required: true, doc: 'employee id from employees.csv' },
      { name: 'amount', path: 'amount', codec: money, required: true, doc: 'adjustment, positive or negative (use - or parentheses)' },
      { name: 'reason', path: 'reason', codec: text, required: true, doc: 'why box 1 differs from §3401(a) wages' },
    ],
  },
  {
    file: 'time.csv',
    key: 'time',
    doc: 'Time at the grain employee × business component × activity × location (× date).',
    columns: [
      { name: 'employee_id', path: 'employeeId', codec: text, required: true, doc: 'employee id from employees.csv' },
      { name: 'component_id', path: 'componentId', codec: text, doc: 'business component id from components.csv; empty = time on no component' },
      { name: 'activity', path: 'activity', codec: oneOf(ACTIVITIES), required: true, doc: `activity: ${ACTIVITIES.join(', ')}` },
      { name: 'hours', path: 'hours', codec: hours, required: true, doc: 'hours, a decimal number ≥ 0' },
      { name: 'experimentation', path: 'experimentation', codec: bool, doc: 'part of a process of experimentation (true/false); empty = not known' },
      { name: 'date', path: 'date', codec: date, doc: 'date of the entry or first day of the allocation period' },
      { name: 'location', path: 'location', codec: location, doc: 'where the work was done; empty = not known (the home location is not assumed)' },
      { name: 'basis', path: 'basis', codec: oneOf(TIME_BASES), doc: `basis: ${TIME_BASES.join(', ')}` },
      ...SOURCE,
    ],
  },
  {
    file: 'components.csv',
    key: 'components',
    idColumn: 'id',
    doc: 'Business components (§41(d)(2)(B)) and their qualification.',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'component id, unique in the study' },
      { name: 'name', path: 'name', codec: text, required: true, doc: 'name' },
      { name: 'type', path: 'type', codec: oneOf(COMPONENT_TYPES), required: true, doc: `type: ${COMPONENT_TYPES.join(', ')}` },
      { name: 'software_class', path: 'softwareClass', codec: oneOf(SOFTWARE_CLASSES), doc: `software class: ${SOFTWARE_CLASSES.join(', ')}` },
      { name: 'parent_id', path: 'parentId', codec: text, doc: 'parent component id (shrink-back)' },
      { name: 'member_id', path: 'memberId', codec: text, doc: 'controlled-group member conducting the research' },
      { name: 'information_sought', path: 'informationSought', codec: text, doc: 'Form 6765 line 49(f): the information sought to be discovered' },
      { name: 'start_date', path: 'startDate', codec: date, doc: 'date the research on the component began' },
      { name: 'end_date', path: 'endDate', codec: date, doc: 'date it ended' },
      { name: 'commercial_production_date', path: 'commercialProductionDate', codec: date, doc: 'date commercial production began (§41(d)(4)(A))' },
      { name: 'qualification', path: 'qualification', codec: oneOf(QUALIFICATIONS), required: true, doc: `qualification: ${QUALIFICATIONS.join(', ')}` },
      { name: 'qualification_reason', path: 'qualificationReason', codec: text, doc: 'why, with the evidence relied on' },
    ],
  },
  {
    file: 'supplies.csv',
    key: 'supplies',
    idColumn: 'id',
    doc: 'Supplies and other tangible property costs (§41(b)(2)(C)).',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'line id, unique in the file' },
      { name: 'description', path: 'description', codec: text, required: true, doc: 'what was bought' },
      { name: 'amount', path: 'amount', codec: money, required: true, doc: 'amount, dollars and cents' },
      { name: 'component_id', path: 'componentId', codec: text, doc: 'business component id' },
      { name: 'kind', path: 'kind', codec: oneOf(SUPPLY_KINDS), required: true, doc: `kind: ${SUPPLY_KINDS.join(', ')}` },
      { name: 'location', path: 'location', codec: location, doc: 'where it was used' },
      { name: 'date', path: 'date', codec: date, doc: 'date paid or incurred' },
      { name: 'gl_account', path: 'glAccount', codec: text, doc: 'general-ledger account' },
      ...SOURCE,
    ],
  },
  {
    file: 'computers.csv',
    key: 'computers',
    idColumn: 'id',
    doc: 'Amounts paid for the right to use computers (cloud compute) (§41(b)(2)(A)(iii)).',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'line id' },
      { name: 'vendor', path: 'vendor', codec: text, required: true, doc: 'cloud or hosting vendor' },
      { name: 'description', path: 'description', codec: text, required: true, doc: 'service, account or project' },
      { name: 'amount', path: 'amount', codec: money, required: true, doc: 'amount, dollars and cents' },
      { name: 'component_id', path: 'componentId', codec: text, doc: 'business component id' },
      { name: 'use', path: 'use', codec: oneOf(COMPUTER_USES), required: true, doc: 'research (development, test, training), production (hosting: not a QRE) or mixed' },
      { name: 'research_share', path: 'researchShare', codec: share, doc: 'for mixed use: research share (0.4, 40%, 2/5); empty = not known' },
      { name: 'location', path: 'location', codec: location, doc: 'where the computers are' },
      { name: 'date', path: 'date', codec: date, doc: 'usage period start or invoice date' },
      ...SOURCE,
    ],
  },
  {
    file: 'contracts.csv',
    key: 'contracts',
    idColumn: 'id',
    doc: 'Contract research (§41(b)(3)) paid to others.',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'line id' },
      { name: 'payee', path: 'payee', codec: text, required: true, doc: 'who was paid' },
      { name: 'payee_type', path: 'payeeType', codec: oneOf(PAYEE_TYPES), required: true, doc: `payee type: ${PAYEE_TYPES.join(', ')}` },
      { name: 'energy_research', path: 'energyResearch', codec: bool, doc: 'energy research (§41(a)(3))' },
      { name: 'amount', path: 'amount', codec: money, required: true, doc: 'amount paid, dollars and cents (100%; the rules apply 65%/75%)' },
      { name: 'component_id', path: 'componentId', codec: text, doc: 'business component id' },
      { name: 'location', path: 'location', codec: location, doc: 'where the research was performed' },
      { name: 'taxpayer_bears_risk', path: 'taxpayerBearsRisk', codec: bool, doc: 'payment due even if the research fails (Reg. §1.41-2(e)(2)); empty = not known' },
      { name: 'taxpayer_has_rights', path: 'taxpayerHasRights', codec: bool, doc: 'taxpayer has substantial rights to the results (Reg. §1.41-2(e)(3)); empty = not known' },
      { name: 'prepaid_for_later_years', path: 'prepaidForLaterYears', codec: money, doc: 'part paid for research in later years (§41(b)(3)(B))' },
      { name: 'paid_date', path: 'paidDate', codec: date, doc: 'date paid' },
      { name: 'related_party', path: 'relatedParty', codec: bool, doc: 'payee is in the controlled group' },
      ...SOURCE,
    ],
  },
  {
    file: 'basic-research.csv',
    key: 'basicResearch',
    idColumn: 'id',
    doc: 'Basic research payments to qualified organizations (§41(e)); C corporations only.',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'line id' },
      { name: 'organization', path: 'organization', codec: text, required: true, doc: 'university or scientific research organization' },
      { name: 'amount', path: 'amount', codec: money, required: true, doc: 'amount paid' },
      { name: 'cash', path: 'cash', codec: bool, required: true, doc: 'paid in cash' },
      { name: 'written_agreement', path: 'writtenAgreement', codec: bool, required: true, doc: 'under a written agreement' },
      { name: 'location', path: 'location', codec: location, doc: 'where the research is performed' },
      { name: 'component_id', path: 'componentId', codec: text, doc: 'business component id' },
    ],
  },
  {
    file: 'energy-consortia.csv',
    key: 'energyConsortia',
    idColumn: 'id',
    doc: 'Payments to energy research consortia (§41(f)(6)).',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'line id' },
      { name: 'consortium', path: 'consortium', codec: text, required: true, doc: 'consortium' },
      { name: 'amount', path: 'amount', codec: money, required: true, doc: 'amount paid' },
    ],
  },
  {
    file: 'section174-pools.csv',
    key: 'section174Pools',
    idColumn: 'id',
    doc: '§174/§174A cost pools beyond QREs (overhead, rent, depreciation used in research).',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'pool id' },
      { name: 'description', path: 'description', codec: text, required: true, doc: 'what the pool holds' },
      { name: 'amount', path: 'amount', codec: money, required: true, doc: 'amount' },
      { name: 'foreign', path: 'foreign', codec: bool, required: true, doc: 'foreign research (15-year amortisation)' },
      { name: 'category', path: 'category', codec: oneOf(POOL_CATEGORIES), required: true, doc: `category: ${POOL_CATEGORIES.join(', ')}` },
    ],
  },
  {
    file: 'evidence.csv',
    key: 'evidence',
    idColumn: 'id',
    optional: true,
    doc: 'Evidence items (ledger-backed) linked to business components and people.',
    columns: [
      { name: 'id', path: 'id', codec: text, required: true, doc: 'evidence id, unique in the study (importers use mlflow:<run id>, git:<commit>)' },
      { name: 'kind', path: 'kind', codec: oneOf(EVIDENCE_KINDS), required: true, doc: `kind: ${EVIDENCE_KINDS.join(', ')}` },
      { name: 'title', path: 'title', codec: text, required: true, doc: 'title (run name, commit subject, document title)' },
      { name: 'sha256', path: 'sha256', codec: sha256, doc: 'SHA-256 (64 lowercase hex) of the content as kept in the evidence ledger; empty = described only, not captured' },
      { name: 'claimed_date', path: 'claimedDate', codec: date, doc: 'date the item claims for itself (commit date, run start, document date)' },
      { name: 'captured_at', path: 'capturedAt', codec: text, doc: 'when rdcredit captured it (ISO 8601 timestamp with offset)' },
      { name: 'component_ids', path: 'componentIds', codec: idList, doc: 'business component ids from components.csv, separated by ; (empty = none)' },
      { name: 'employee_ids', path: 'employeeIds', codec: idList, doc: 'employee ids from employees.csv, separated by ; (empty = none)' },
      { name: 'uri', path: 'uri', codec: text, doc: 'path inside the study folder (evidence/…) or an external URI (commit URL, MLflow run)' },
      { name: 'outcome', path: 'outcome', codec: oneOf(EVIDENCE_OUTCOMES), doc: `for runs and experiments: ${EVIDENCE_OUTCOMES.join(', ')}` },
      { name: 'summary', path: 'summary', codec: text, doc: 'short summary (status, metrics, what it shows)' },
      ...SOURCE,
    ],
  },
];

export function getPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const k of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function setPath(obj: Record<string, any>, path: string, value: unknown): void {
  const ks = path.split('.');
  let cur = obj;
  for (const k of ks.slice(0, -1)) cur = cur[k] ??= {};
  cur[ks[ks.length - 1]!] = value;
}
