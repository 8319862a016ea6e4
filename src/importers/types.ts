/**
 * Public types of the importers: diagnostics, results, evidence records.
 * Records themselves are the study model's (src/study/model.ts) plus `EvidenceRecord` below.
 */
import type { Cents } from '../money/cents.js';
import type { IsoDate } from '../periods/date.js';
import type { ComputerCost, ContractResearch, Employee, SourceRef, SupplyCost, TimeRecord } from '../study/model.js';

export type ImportKind = 'time' | 'payroll' | 'w2' | 'ledger' | 'contractors' | 'cloud' | 'mlflow' | 'git';

/**
 * One problem (or note) about the input: the same shape as the study folder's diagnostics, so the
 * CLI, the API and the web app render both alike. For imports, `row` is the 1-based line of the
 * record in the file (the header is row 1).
 */
import type { Diagnostic, Severity } from '../study/folder/read.js';
export type { Diagnostic, Severity };

/** Evidence of a process of experimentation or of who worked on what (MLflow runs, git commits). */
export interface EvidenceRecord {
  kind: 'experiment_run' | 'commit';
  /** Source id: MLflow run id, git commit SHA. */
  id: string;
  title: string;
  /** Date the evidence claims for itself (run start, author date), as the local date written in the source. */
  date?: IsoDate;
  /** Full timestamp as written (ISO 8601 with offset when the source has one). */
  timestamp?: string;
  componentId?: string;
  author?: string;
  /** failed | finished | killed | running | scheduled | abandoned (stale RUNNING) | committed | reverted | revert */
  status: string;
  /** Experiment name, parent run, commit parents, co-authors, metrics… (strings only, sorted keys). */
  details: Record<string, string>;
  source: SourceRef & { system: 'mlflow' | 'git' };
}

export interface ImportedRecords {
  employees: Employee[];
  time: TimeRecord[];
  supplies: SupplyCost[];
  contracts: ContractResearch[];
  computers: ComputerCost[];
  evidence: EvidenceRecord[];
}

export interface ImportStats {
  bytes: number;
  /** Data rows (or JSON items / runs / commits) read, excluding header and banner rows. */
  rowsRead: number;
  /** Rows that contributed to records. */
  rowsUsed: number;
  /** Rows with errors that the caller accepted to skip. */
  rowsSkipped: number;
  /** Rows deliberately left out (e.g. tax lines of a bill, totals of a ledger, unmapped GL accounts). */
  rowsExcluded: number;
  /** Rows with errors (whether accepted or not). */
  errorRows: number[];
  /** Records produced after aggregation. */
  recordsOut: number;
  /** Total of the money imported (sum of record amounts), when the kind has money. */
  amountTotal?: Cents;
  /** Total hours imported, when the kind has time. */
  hoursTotal?: number;
  millis: number;
}

export interface ImportResult {
  file: string;
  kind: ImportKind;
  /** The header profile that matched (or was forced), e.g. "toggl-detailed". */
  profile: string;
  /** SHA-256 of the file's bytes (hex), computed in the reading pass. */
  sha256: string;
  encoding?: string;
  delimiter?: string;
  /** false when errors on rows not listed in `acceptSkip` made the import reject everything. */
  accepted: boolean;
  records: ImportedRecords;
  diagnostics: Diagnostic[];
  stats: ImportStats;
  /**
   * Time files: each person written as a name, e-mail or account id and the employee id it was
   * resolved to (./people.ts), sorted by value; absent when every value was an id or nothing was resolved.
   */
  people?: Record<string, string>;
}

export function emptyRecords(): ImportedRecords {
  return { employees: [], time: [], supplies: [], contracts: [], computers: [], evidence: [] };
}
