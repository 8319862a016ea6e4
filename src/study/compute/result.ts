/**
 * The result of computing a study: what every surface (CLI, report, API, web) renders.
 * Form lines are `Val`s, so each keeps its explanation and an unknown line stays unknown.
 */
import type { Citation, Explanation, ReviewFlag, Val } from '../../explain/types.js';
import type { Cents } from '../../money/cents.js';
import type { Rate } from '../../money/rate.js';
import type { QualificationReport } from '../qualify/types.js';

export type LineValue = Cents | Rate | boolean | string;

export interface FormResult {
  /** "f6765", "f8974", "id67". */
  id: string;
  title: string;
  revision: string;
  /** Line number (as printed on the form) → value with its explanation. */
  lines: Record<string, Val<LineValue>>;
  /** Line number → the form's caption for it. */
  labels: Record<string, string>;
  /** Line kinds for output: money lines print as whole dollars. */
  kinds: Record<string, 'money' | 'rate' | 'flag' | 'text'>;
}

/**
 * A schedule: a table every surface renders the same way (report, PDF, XLSX, CSV, web).
 * Money cells are integer cents; null is "unknown" (never a silent zero).
 */
export type CellValue = string | number | boolean | null;

export interface ScheduleColumn {
  key: string;
  label: string;
  kind: 'money' | 'rate' | 'text' | 'count' | 'hours' | 'date' | 'flag';
}

export interface ScheduleRow {
  cells: Record<string, CellValue>;
  /** Where the row's figures come from (file and row, rule id, ledger item). */
  source?: string;
}

export interface Schedule {
  id: string;
  title: string;
  citation: Citation[];
  columns: ScheduleColumn[];
  rows: ScheduleRow[];
  /** Column key → total (money totals in cents); absent when a total makes no sense. */
  totals?: Record<string, CellValue>;
  notes?: string[];
}

/** One employee's wage QRE with its basis (the "People and time" view). */
export interface EmployeeResult {
  id: string;
  name: string;
  title?: string;
  role?: string;
  officer: boolean;
  /** §3401(a) wages in cents, null when unknown. */
  wages: number | null;
  /** Qualified-services share as a decimal string ("0.85"), or "1" under the 80% rule. */
  qualifiedShare: string | null;
  /** Qualified wages in cents, null when unknown. */
  qualifiedWages: number | null;
  /** Hours by activity. */
  hours: Record<string, number>;
  /** Hours by work state (USPS) or "unknown". */
  hoursByState: Record<string, number>;
  /** How the share was measured: "time entries", "survey", "estimate", "80% rule", … */
  basis: string;
}

export interface StateResult {
  name: string;
  credit: Val<Cents>;
  /** The state's QREs from the same sourced data as every other state. */
  qre?: Val<Cents>;
  note?: string;
  /** What the state needs that the study does not have (then the credit is unknown). */
  missing?: string[];
  refundable?: boolean;
  carryforwardYears?: number | null;
}

export interface Alternative {
  method: 'regular' | 'asc';
  section280c: boolean;
  credit: Val<Cents>;
}

export interface StudyResult {
  study: { id: string; title: string; taxpayer: string; ein?: string; entityType: string; period: { start: string; end: string } };
  qre: {
    wages: Val<Cents>;
    supplies: Val<Cents>;
    computers: Val<Cents>;
    contract: Val<Cents>;
    basicResearch: Val<Cents>;
    total: Val<Cents>;
    byComponent: { componentId: string; name: string; wages: Cents; supplies: Cents; computers: Cents; contract: Cents; total: Cents }[];
    /** QREs sourced to each state (USPS → category totals, known amounts in cents). */
    byState?: Record<string, { wages: Cents; supplies: Cents; computers: Cents; contract: Cents; total: Cents }>;
  };
  employees?: EmployeeResult[];
  /** The engine's qualification assessment per component (the QREs follow the study's recorded qualification). */
  qualification?: QualificationReport;
  federal: {
    credit: Val<Cents>;
    /** The method and §280C choice; meaningful only when `decided` (an unknown can keep the choice open). */
    chosen: { method: 'regular' | 'asc'; section280c: boolean };
    /** False when a missing fact keeps the method or the §280C choice from being decided. */
    decided?: boolean;
    alternatives: Alternative[];
    comparison: string;
  };
  states: Record<string, StateResult>;
  forms: Record<string, FormResult>;
  /**
   * Explanation trees of results that are not form lines, by name: "s174", "irc38.room",
   * "irc39.ledger", "f8974", "sectionG", "group.allocation" (rdcredit compute --explain <name>).
   */
  explanations?: Record<string, Explanation>;
  /** Schedules by id: "s174", "carryforward.federal", "carryforward.id", "sectionG", "owners", "multistate", … */
  schedules?: Record<string, Schedule>;
  flags: ReviewFlag[];
  missing: string[];
  notes: string[];
}

export function explanationOf(v: Val<unknown>): Explanation {
  return v.why;
}
