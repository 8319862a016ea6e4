/**
 * The study domain model: everything the engine needs about one taxpayer's tax year, in the
 * shape the rules need it. This file is the contract between the study folder, the store, the
 * importers, the compute pipeline and the web app. Amounts are `Cents`; "not known" is
 * `undefined` (or an absent row), never 0.
 *
 * Grain: costs and time are kept as lines with their business component, activity role and
 * work location, so the same data yields federal QREs, each state's QREs, Form 6765 Section G
 * and the §174 pools.
 */
import type { Cents } from '../money/cents.js';
import type { IsoDate } from '../periods/date.js';

export type EntityType = 'c_corporation' | 's_corporation' | 'partnership' | 'sole_proprietorship' | 'estate_or_trust' | 'tax_exempt';

/** Where work was done or a cost was used: a U.S. state (USPS code, "DC", "PR") or a foreign country. */
export interface Location {
  /** ISO 3166-1 alpha-2; "US" for the United States (and its possessions, with `state`). */
  country: string;
  /** USPS code when country is US. */
  state?: string;
}

/** Provenance of a row: which imported file (by SHA-256) and which row it came from. */
export interface SourceRef {
  file?: string;
  sha256?: string;
  row?: number;
  note?: string;
}

export interface GroupMember {
  id: string;
  name: string;
  ein?: string;
  /** Principal business activity code (Form 6765 line 49(b)). */
  activityCode?: string;
  entityType?: EntityType;
  /** Member of the same §41(f)(1) controlled group, included in the aggregate computation. */
  inControlledGroup: boolean;
  /** Member of the same state unitary group (Idaho Rule 723). */
  unitary?: boolean;
}

export interface Taxpayer {
  id: string;
  name: string;
  ein?: string;
  entityType: EntityType;
  /** Principal business activity code. */
  activityCode?: string;
  publiclyTraded?: boolean;
  /** Tax period of the credit year. */
  period: { start: IsoDate; end: IsoDate };
  /** States where the taxpayer files or has research activity (USPS codes). */
  states: string[];
  /** Other members of a §41(f) controlled group or unitary group, if any; the taxpayer itself is not listed. */
  groupMembers?: GroupMember[];
  /** For pass-through entities: owners and their shares (issue 8 builds on this). */
  owners?: Owner[];
}

export interface Owner {
  id: string;
  name: string;
  entityType: EntityType | 'individual';
  /** Ownership share as a decimal string ("0.6") or fraction ("3/5"). */
  share: string;
  tin?: string;
  /**
   * A special allocation of the research credit that differs from `share` (partnerships,
   * §704(b)), with its basis recorded (e.g. "partnership agreement §4.2").
   */
  specialAllocation?: { share: string; basis: string };
  /** For an owner that is itself a pass-through: its own owners (tiered ownership). */
  owners?: Owner[];
  /**
   * The owner's own facts for the §41(g) limitation and the §38 limit: the tax attributable to its
   * share of this business's taxable income, and its carryforward of pass-through research credit.
   * Undefined = not known (the limitation is then reported as unknown, not assumed).
   */
  facts?: {
    /** Tax attributable to the owner's share of the business's taxable income (§41(g)). */
    taxAttributable?: Cents;
    regularTax?: Cents;
    tentativeMinimumTax?: Cents;
    /** Unused §41(g) amounts from earlier years by vintage. */
    carryforwards?: { vintage: string; amount: Cents }[];
    /** For owners with their own §38(c) limit (C corporations, fiduciaries): credits before the GBC. */
    priorCredits?: Cents;
    /** Other general business credits used ahead of the research credit. */
    otherCreditsAhead?: Cents;
    /** The owner is an eligible small business (§38(c)(5)): the research credit is a specified credit. */
    eligibleSmallBusiness?: boolean;
    /** The owner's share of the $25,000 §38(c) threshold in a controlled group. */
    apportionedThreshold?: Cents;
    /** Room the owner's preceding tax year had left, for the one-year carryback. */
    priorYearRoom?: Cents;
  };
}

/** One prior tax year's history, used by bases (ASC 3 years, regular 4-year gross receipts, start-up FBP). */
export interface PriorYear {
  period: { start: IsoDate; end: IsoDate };
  /** Federal QREs computed consistently with the credit year (§41(c)(5)); undefined = not known. */
  qre?: Cents;
  /** QREs by state (USPS → amount) for state credits. */
  qreByState?: Record<string, Cents>;
  grossReceipts?: Cents;
  grossReceiptsByState?: Record<string, Cents>;
  basicResearchPayments?: Cents;
  /** Credit claimed and how, for carryforward ledgers and method consistency. */
  creditClaimed?: Cents;
  method?: 'regular' | 'asc';
  section280cElected?: boolean;
  /** Payroll-tax election made for this year (amount elected, date the return was filed). */
  payrollElection?: { amount: Cents; returnFiled?: IsoDate; usedToDate?: Cents };
  /** Domestic / foreign §174 amounts capitalised in this year (2022–2024 vintages). */
  section174Capitalized?: { domestic?: Cents; foreign?: Cents };
}

export type EmployeeRole = 'researcher' | 'engineer' | 'scientist' | 'technician' | 'manager' | 'executive' | 'support' | 'other';

export interface Employee {
  id: string;
  name: string;
  title?: string;
  role?: EmployeeRole;
  officer: boolean;
  /** W-2 box 1, the proxy for §3401(a) wages. */
  wagesBox1?: Cents;
  /** Adjustments from box 1 to §3401(a) wages (positive or negative), with the reason. */
  wageAdjustments?: { amount: Cents; reason: string }[];
  /** Wages taken into account for the work opportunity credit (§51). */
  wotcWages?: Cents;
  /** State wages from W-2 boxes 15–16 (USPS → amount). */
  stateWages?: Record<string, Cents>;
  /** Usual work location; time entries may override it for the hours in question. */
  homeLocation?: Location;
  /** Controlled-group member that employs this person (default: the taxpayer). */
  memberId?: string;
  source?: SourceRef;
}

/** The four roles of time: the three kinds of qualified services and everything else. */
export type Activity = 'direct_research' | 'direct_supervision' | 'direct_support' | 'non_qualified';

/**
 * Time, aggregated to the grain the rules need: employee × business component × activity ×
 * work location (× optional date). Importers aggregate raw entries to this grain.
 */
export interface TimeRecord {
  employeeId: string;
  /** Business component the time was spent on; undefined for time on no component. */
  componentId?: string;
  activity: Activity;
  hours: number;
  /** Whether the activity was part of a process of experimentation (for the substantially-all measure). */
  experimentation?: boolean;
  /** Date of the entry, or the first day of an allocation period. */
  date?: IsoDate;
  /** Where the work was done; undefined = unknown (then the employee's home location is not assumed). */
  location?: Location;
  /** Basis: contemporaneous time entries, an allocation survey, or an estimate. */
  basis?: 'time_entries' | 'survey' | 'estimate';
  source?: SourceRef;
}

export type ComponentType = 'product' | 'process' | 'software' | 'technique' | 'formula' | 'invention';
export type SoftwareClass = 'non_ius' | 'ius' | 'dual_function' | 'excepted';

export interface BusinessComponent {
  id: string;
  name: string;
  type: ComponentType;
  softwareClass?: SoftwareClass;
  /** Parent component for shrink-back (a sub-component lists its parent). */
  parentId?: string;
  /** Controlled-group member conducting the research (default: the taxpayer). */
  memberId?: string;
  /** Form 6765 line 49(f): the information sought to be discovered. */
  informationSought?: string;
  startDate?: IsoDate;
  endDate?: IsoDate;
  /** Date commercial production began (§41(d)(4)(A)); research after it is excluded. */
  commercialProductionDate?: IsoDate;
  /**
   * Qualification as decided by the qualification module or entered by the preparer.
   * `needs_information` makes the component's costs unknown for QRE purposes, not zero.
   */
  qualification: 'qualifies' | 'does_not_qualify' | 'needs_information';
  qualificationReason?: string;
}

/** Supplies: tangible property used in qualified research (§41(b)(2)(C)). */
export interface SupplyCost {
  id: string;
  description: string;
  amount: Cents;
  componentId?: string;
  /** supply = ordinary research supply; the others are excluded unless extraordinary utilities. */
  kind: 'supply' | 'extraordinary_utility' | 'utility' | 'depreciable_property' | 'land_or_improvement' | 'general_administrative';
  location?: Location;
  date?: IsoDate;
  glAccount?: string;
  source?: SourceRef;
  /** Whether the cost was part of a process of experimentation (the cost basis of the substantially-all measure); undefined = not flagged. */
  experimentation?: boolean;
}

/** Amounts paid for the right to use computers in qualified research (cloud compute) (§41(b)(2)(A)(iii)). */
export interface ComputerCost {
  id: string;
  vendor: string;
  description: string;
  amount: Cents;
  componentId?: string;
  /** research = development/test/training for qualified research; production hosting does not qualify. */
  use: 'research' | 'production' | 'mixed';
  /** For mixed use: the research share as a decimal string; undefined = unknown. */
  researchShare?: string;
  location?: Location;
  date?: IsoDate;
  source?: SourceRef;
  /** Whether the cost was part of a process of experimentation (the cost basis of the substantially-all measure); undefined = not flagged. */
  experimentation?: boolean;
}

export type PayeeType = 'general' | 'qualified_research_consortium' | 'eligible_small_business' | 'university' | 'federal_laboratory';

/** Contract research (§41(b)(3)). */
export interface ContractResearch {
  id: string;
  payee: string;
  payeeType: PayeeType;
  energyResearch?: boolean;
  amount: Cents;
  componentId?: string;
  /** Where the research was performed. */
  location?: Location;
  /** The taxpayer bears the expense even if the research fails (Reg. §1.41-2(e)(2)). */
  taxpayerBearsRisk?: boolean;
  /** The taxpayer has a right to the results (Reg. §1.41-2(e)(3)). */
  taxpayerHasRights?: boolean;
  /** Part of the amount attributable to research conducted after the tax year (prepaid, §41(b)(3)(B)). */
  prepaidForLaterYears?: Cents;
  paidDate?: IsoDate;
  /** Payee is a member of the taxpayer's controlled group (then not contract research of the group). */
  relatedParty?: boolean;
  source?: SourceRef;
  /** Whether the cost was part of a process of experimentation (the cost basis of the substantially-all measure); undefined = not flagged. */
  experimentation?: boolean;
}

/** Basic research payments to qualified organizations (§41(e)); C corporations only. */
export interface BasicResearchPayment {
  id: string;
  organization: string;
  amount: Cents;
  cash: boolean;
  writtenAgreement: boolean;
  location?: Location;
  componentId?: string;
}

export interface EnergyConsortiumPayment {
  id: string;
  consortium: string;
  amount: Cents;
}

/** Facts from the return for the §38 limitation, carryforwards and the payroll election. */
export interface TaxFacts {
  regularTax?: Cents;
  tentativeMinimumTax?: Cents;
  /** Credits allowed before the general business credit (subparts A and B). */
  priorCredits?: Cents;
  /** Other general business credits ranked ahead of the research credit this year. */
  otherGeneralBusinessCredits?: Cents;
  /**
   * Research credit the preceding tax year could still absorb under §38(c) after its own credits
   * (for the one-year carryback of this year's unused credit, §39(a)(1)); undefined = not known.
   */
  priorYearRoom?: Cents;
  /**
   * In a controlled group: the share of the §38(c) $25,000 amount apportioned to this taxpayer
   * (§38(c)(6)(B)); undefined = not known (the §38(c) limit is then unknown for a group member).
   */
  section38ThresholdShare?: Cents;
  /** Form 6765 Section E questions (lines 39–41); undefined = not answered (the line is unknown). */
  sectionE?: { acquisitionOrDisposition?: boolean; newCategoriesOfExpenses?: boolean; asc730Directive?: boolean };
  /** EIN under which the payroll tax credit is reported, when it differs from the taxpayer's (line 33b). */
  payrollCreditOtherEin?: string;
  /** Research credits received from partnerships, S corporations, estates and trusts (Form 6765 line 29), by source. */
  passThroughCreditsReceived?: { from: string; amount: Cents }[];
  /** Research credit carryforwards by vintage (tax year that generated them). */
  carryforwards?: { vintage: string; amount: Cents }[];
  /** Employer share of social security and Medicare tax by calendar quarter, for Form 8974. */
  payrollTaxes?: { quarter: string; socialSecurity: Cents; medicare: Cents }[];
  /** Date the income tax return was (or will be) filed. */
  returnFiledDate?: IsoDate;
  originalReturn?: boolean;
  marriedFilingSeparately?: boolean;
}

/** §174/§174A cost pools beyond QREs (e.g. overhead, rent, depreciation used in research). */
export interface Section174Pool {
  id: string;
  description: string;
  amount: Cents;
  foreign: boolean;
  category: 'wages' | 'supplies' | 'contract' | 'computer' | 'depreciation' | 'facilities' | 'other';
}

export interface Elections {
  /** Method for the credit: regular, ASC, or let the engine pick the larger. */
  method: 'regular' | 'asc' | 'best';
  /** §280C(c) reduced-credit election: true, false, or let the engine show both and pick. */
  section280c: boolean | 'best';
  /** §41(h) payroll election: amount to elect (capped by the rules), or none. */
  payrollElection?: { elect: boolean; amount?: Cents };
  /** §174A(c) election to capitalise domestic R&E over this many months (≥ 60). */
  section174aCapitalizeMonths?: number;
  /** OBBBA §70302(f)(2) treatment of unamortized 2022–2024 domestic amounts. */
  section174Transition?: 'deduct_2025' | 'ratable_2025_2026' | 'continue';
  /** Idaho start-up fixed-base election (irrevocable once made). */
  idahoStartupElection?: boolean;
  /** The tax year (calendar year begun) in which the Idaho start-up election was made; default: this year. */
  idahoStartupElectionYear?: number;
  /** Answers to open legal questions (option id → choice). */
  options?: Record<string, string>;
}

/**
 * Facts for bases that are not in the yearly history: when the taxpayer began, its 1984–1988
 * base-period records, a fixed-base percentage already determined, and Idaho facts.
 */
export interface BaseFacts {
  /** First day of the taxpayer's first tax year; years before it count as years with no QREs or receipts. */
  firstTaxYearStart?: IsoDate;
  /** A federal fixed-base percentage already determined (decimal string, e.g. "0.05"), with its source. */
  federalFixedBase?: { percentage: string; source: string };
  /** Whether the taxpayer is a start-up company under §41(c)(3)(B) (undefined = decide from the history). */
  federalStartUp?: boolean;
  /** Base-period (1984–1988) records, federal and Idaho. */
  basePeriod?: { year: number; qre?: Cents; grossReceipts?: Cents; idahoQre?: Cents; idahoGrossReceipts?: Cents }[];
  /** First calendar year the taxpayer did business in Idaho (Form 67 averaging). */
  idahoBusinessSince?: number;
}

/** Kinds of evidence the ledger holds (defensible-study.md). */
export type EvidenceKind =
  | 'adr'
  | 'design_doc'
  | 'experiment_run'
  | 'training_run'
  | 'benchmark'
  | 'commit'
  | 'pull_request'
  | 'ticket'
  | 'time_record'
  | 'contract'
  | 'interview_note'
  | 'survey_answer'
  | 'meeting_notes'
  | 'lab_notebook'
  | 'other';

/**
 * One item of evidence: content-addressed (SHA-256 of its bytes, stored in the ledger), with the
 * date it claims for itself and the time rdcredit captured it, linked to components and people.
 */
export interface EvidenceItem {
  id: string;
  kind: EvidenceKind;
  title: string;
  /** SHA-256 (hex) of the content as stored in the ledger; undefined = only described, not captured. */
  sha256?: string;
  /** Date the item claims (commit date, run start, document date). */
  claimedDate?: IsoDate;
  /** When rdcredit captured it (ISO 8601 timestamp with offset). */
  capturedAt?: string;
  componentIds: string[];
  employeeIds: string[];
  /** Path inside the study folder (evidence/…) or an external URI (commit URL, ticket URL, MLflow run). */
  uri?: string;
  /** For runs and experiments: how it ended (failed runs are evidence of experimentation too). */
  outcome?: 'success' | 'failure' | 'inconclusive';
  summary?: string;
  source?: SourceRef;
}

/** One answer in a component's four-part-test interview; `question` is an id from the interview definition. */
export interface InterviewAnswer {
  question: string;
  value: string | number | boolean | string[];
  note?: string;
  /** Evidence items the answer relies on. */
  evidenceIds?: string[];
  answeredBy?: string;
  /** ISO 8601 timestamp. */
  answeredAt?: string;
}

export interface ComponentInterview {
  componentId: string;
  answers: InterviewAnswer[];
}

/** A recorded change to a component's qualification result: who, when, why, from what. */
export interface QualificationDecision {
  componentId: string;
  result: BusinessComponent['qualification'];
  previous?: BusinessComponent['qualification'];
  by: string;
  /** ISO 8601 timestamp. */
  at: string;
  why: string;
}

export interface Study {
  formatVersion: 1;
  id: string;
  title: string;
  firm?: { id: string; name: string };
  client?: { id: string; name: string };
  taxpayer: Taxpayer;
  grossReceipts?: Cents;
  grossReceiptsByState?: Record<string, Cents>;
  history: PriorYear[];
  employees: Employee[];
  time: TimeRecord[];
  components: BusinessComponent[];
  supplies: SupplyCost[];
  computers: ComputerCost[];
  contracts: ContractResearch[];
  basicResearch: BasicResearchPayment[];
  energyConsortia: EnergyConsortiumPayment[];
  section174Pools: Section174Pool[];
  taxFacts: TaxFacts;
  elections: Elections;
  baseFacts?: BaseFacts;
  /**
   * Facts a state's credit needs that the records do not give (USPS → fact id → value as text,
   * e.g. { CA: { "apportionment_factor": "0.42" }, AZ: { "refundable_election": "true" } }).
   * Each state's law file lists the facts it reads and their format.
   */
  stateFacts?: Record<string, Record<string, string>>;
  /** Evidence items (ledger-backed) linked to components and people. */
  evidence?: EvidenceItem[];
  /** Four-part-test interviews, one per component that has been interviewed. */
  interviews?: ComponentInterview[];
  /** The history of qualification results (append-only in the store). */
  qualificationLog?: QualificationDecision[];
}
