/**
 * One byte range of a time-entry CSV read into a TimeAggregator, shared by the main thread and the
 * worker threads of the parallel time import (./parallel.ts, ./time-worker.ts). Row problems are
 * recorded with line numbers local to the range (the range's first line is 1) instead of being
 * judged, so the main thread can replay them with global line numbers in file order.
 */
import { ImportContext, type FieldProblem } from './context.js';
import { EncodingRestart, readCsv, type Row } from './csv.js';
import type { TimeAggregator } from './time.js';

export type Severity = 'error' | 'warning' | 'info';

/** Records row problems instead of judging them: the main thread replays them with global line numbers. */
export class RecordingContext extends ImportContext {
  readonly errors: { line: number; problems: FieldProblem[] }[] = [];
  readonly warnings: { line: number; p: FieldProblem }[] = [];
  readonly notes: { severity: Severity; message: string }[] = [];
  constructor() {
    super('', []);
  }
  override rowErrors(row: number, problems: FieldProblem[]): void {
    this.errors.push({ line: row, problems });
  }
  override rowWarning(row: number, p: FieldProblem): void {
    this.warnings.push({ line: row, p });
  }
  override note(severity: Severity, message: string): void {
    this.notes.push({ severity, message });
  }
}

/** What one range produced besides the aggregate. */
export interface RangeOutcome {
  /** The bytes were not valid UTF-8: the whole file must be read sequentially. */
  fallback?: string;
  rowsRead: number;
  rowsUsed: number;
  errors: { line: number; problems: FieldProblem[] }[];
  warnings: { line: number; p: FieldProblem }[];
  notes: { severity: Severity; message: string }[];
  /** Physical lines in the range. */
  lines: number;
  /** The range ended inside a quoted field: the split was not at a record boundary. */
  endsInQuote: boolean;
}

/** Reads bytes [start, end) of `path` (start is a record start) into `agg`, whose context is `ctx`. */
export async function readTimeRange(
  agg: TimeAggregator,
  ctx: RecordingContext,
  input: { path: string; start: number; end: number; delimiter: ',' | ';' | '\t' },
  onProgress?: (bytesRead: number) => void,
): Promise<RangeOutcome> {
  let endsInQuote = false;
  const base = { rowsRead: 0, rowsUsed: 0, errors: [], warnings: [], notes: [], lines: 0, endsInQuote: false };
  try {
    const info = await readCsv(input.path, { start: input.start, end: input.end, delimiter: input.delimiter, ...(onProgress ? { onProgress } : {}) }, () => {
      if (ctx.rowsRead > 0) throw new EncodingRestart(0);
      return (r: Row) => {
        endsInQuote = r.error === 'unterminated quoted field';
        agg.row(r);
      };
    });
    if (info.encoding !== 'utf-8') return { ...base, fallback: `not UTF-8 (${info.encoding})` };
    return { rowsRead: ctx.rowsRead, rowsUsed: ctx.rowsUsed, errors: ctx.errors, warnings: ctx.warnings, notes: ctx.notes, lines: info.lines, endsInQuote };
  } catch (e) {
    if (e instanceof EncodingRestart) return { ...base, fallback: 'bytes are not valid UTF-8' };
    throw e;
  }
}
