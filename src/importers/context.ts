/** Shared bookkeeping of one import: diagnostics, error rows, accepted skips, counters. */
import type { Diagnostic, Severity } from './types.js';

export interface FieldProblem {
  column: string;
  value: string;
  expected: string;
  message?: string;
}

/** At most this many diagnostics are kept per import; the rest are counted in a final note. */
export const MAX_DIAGNOSTICS = 1000;
/** At most this many error row numbers are kept in stats.errorRows. */
export const MAX_ERROR_ROWS = 100_000;

export class ImportContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly errorRows: number[] = [];
  rowsRead = 0;
  rowsUsed = 0;
  rowsSkipped = 0;
  rowsExcluded = 0;
  /** Set when a row with an error was not in acceptSkip: the import yields no records. */
  rejected = false;
  private dropped = 0;
  private readonly accept: Set<number>;

  constructor(
    readonly file: string,
    acceptSkip: readonly number[] | undefined,
  ) {
    this.accept = new Set(acceptSkip ?? []);
  }

  push(d: Omit<Diagnostic, 'file'>): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      return;
    }
    this.diagnostics.push({ file: this.file, ...d });
  }

  note(severity: Severity, message: string, extra: Partial<Omit<Diagnostic, 'file' | 'severity' | 'message'>> = {}): void {
    this.push({ severity, message, ...extra });
    if (severity === 'error') this.rejected = true;
  }

  /** Errors in one row: the row contributes nothing; unless accepted, the whole import is rejected. */
  rowErrors(row: number, problems: FieldProblem[]): void {
    if (this.errorRows.length < MAX_ERROR_ROWS) this.errorRows.push(row);
    const accepted = this.accept.has(row);
    if (accepted) this.rowsSkipped++;
    else this.rejected = true;
    for (const p of problems)
      this.push({
        row,
        column: p.column,
        value: p.value,
        expected: p.expected,
        severity: accepted ? 'warning' : 'error',
        message: (p.message ?? `${p.column}: expected ${p.expected}, found "${p.value}"`) + (accepted ? ' (row skipped: accepted by the caller)' : ''),
      });
  }

  rowWarning(row: number, p: FieldProblem): void {
    this.push({ row, column: p.column, value: p.value, expected: p.expected, severity: 'warning', message: p.message ?? `${p.column}: ${p.expected}` });
  }

  finish(): void {
    if (this.dropped > 0) this.diagnostics.push({ file: this.file, severity: this.rejected ? 'error' : 'warning', message: `${this.dropped} further diagnostics not shown` });
  }
}

/** USPS codes of the states, DC and the territories. */
export const USPS = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP'.split(' '),
);

import type { Location } from '../study/model.js';

/**
 * A work location: a USPS code ("CA", "us-ca") for U.S. work, or "country:DE" for work abroad.
 * Blank → undefined (unknown).
 */
export function parseLocation(text: string): Location | undefined | { bad: true; expected: string } {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(?:US[-:])?([A-Za-z]{2})$/.exec(t);
  if (m && USPS.has(m[1]!.toUpperCase())) return { country: 'US', state: m[1]!.toUpperCase() };
  const c = /^country:([A-Za-z]{2})$/i.exec(t);
  if (c) return c[1]!.toUpperCase() === 'US' ? { country: 'US' } : { country: c[1]!.toUpperCase() };
  return { bad: true, expected: 'a USPS state code (e.g. CA) or country:XX for work abroad' };
}
