/**
 * Worker thread of the parallel time import (./parallel.ts): reads one byte range of a time-entry
 * CSV (starting at a record start), aggregates it with a TimeAggregator and posts the aggregate,
 * its row errors and warnings (with line numbers local to the range) and its line count.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportContext, type FieldProblem } from './context.js';
import { EncodingRestart, readCsv, type Row } from './csv.js';
import type { Profile } from './profiles.js';
import { TimeAggregator } from './time.js';
import type { TimeRuleT } from './mapping.js';
import { PeopleResolver, type Person } from './people.js';

export interface TimeWorkerInput {
  path: string;
  start: number;
  end: number;
  profile: Profile;
  columns: Record<string, number>;
  headers: string[];
  rules: TimeRuleT[];
  delimiter: ',' | ';' | '\t';
  /** People resolution (./people.ts): the map entries and the study's employees. */
  people?: { map: Record<string, string>; employees?: Person[] };
}

export type TimeWorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'fallback'; reason: string }
  | {
      type: 'done';
      state: ReturnType<TimeAggregator['exportState']>;
      rowsRead: number;
      rowsUsed: number;
      errors: { line: number; problems: FieldProblem[] }[];
      warnings: { line: number; p: FieldProblem }[];
      notes: { severity: 'error' | 'warning' | 'info'; message: string }[];
      lines: number;
      /** The range ended inside a quoted field: the split was not at a record boundary. */
      endsInQuote: boolean;
      /** People resolved to another employee id in this range (value → id). */
      people: [string, string][];
    };

/** Records row problems instead of judging them: the main thread replays them with global line numbers. */
class RecordingContext extends ImportContext {
  readonly errors: { line: number; problems: FieldProblem[] }[] = [];
  readonly warnings: { line: number; p: FieldProblem }[] = [];
  readonly notes: { severity: 'error' | 'warning' | 'info'; message: string }[] = [];
  override rowErrors(row: number, problems: FieldProblem[]): void {
    this.errors.push({ line: row, problems });
  }
  override rowWarning(row: number, p: FieldProblem): void {
    this.warnings.push({ line: row, p });
  }
  override note(severity: 'error' | 'warning' | 'info', message: string): void {
    this.notes.push({ severity, message });
  }
}

async function run(input: TimeWorkerInput): Promise<TimeWorkerMessage> {
  const t0 = performance.now();
  const profile = input.profile;
  const ctx = new RecordingContext('', []);
  const people = input.people ? new PeopleResolver(input.people.map, input.people.employees) : undefined;
  const agg = new TimeAggregator(ctx, profile, input.columns, input.headers, input.rules, people);
  let endsInQuote = false;
  let last = 0;
  try {
    const info = await readCsv(
      input.path,
      {
        start: input.start,
        end: input.end,
        delimiter: input.delimiter,
        onProgress: (b) => {
          if (b - last >= 8 << 20) {
            parentPort!.postMessage({ type: 'progress', bytes: b - last } satisfies TimeWorkerMessage);
            last = b;
          }
        },
      },
      () => {
        if (ctx.rowsRead > 0) throw new EncodingRestart(0);
        return (r: Row) => {
          endsInQuote = r.error === 'unterminated quoted field';
          agg.row(r);
        };
      },
    );
    if (info.encoding !== 'utf-8') return { type: 'fallback', reason: `not UTF-8 (${info.encoding})` };
    parentPort!.postMessage({ type: 'progress', bytes: info.bytes - last } satisfies TimeWorkerMessage);
    if (process.env.RDCREDIT_PROFILE) console.error(`[worker ${input.start}] parsed in ${(performance.now() - t0).toFixed(0)} ms`);
    return { type: 'done', state: agg.exportState(), rowsRead: ctx.rowsRead, rowsUsed: ctx.rowsUsed, errors: ctx.errors, warnings: ctx.warnings, notes: ctx.notes, lines: info.lines, endsInQuote, people: [...(people?.resolved ?? [])] };
  } catch (e) {
    if (e instanceof EncodingRestart) return { type: 'fallback', reason: 'bytes are not valid UTF-8' };
    throw e;
  }
}

if (parentPort && workerData?.rdcreditTimeWorker) {
  const msg = await run(workerData.input as TimeWorkerInput);
  const transfer = msg.type === 'done' ? [msg.state.keys.buffer, msg.state.sums.buffer, msg.state.counts.buffer] : [];
  parentPort.postMessage(msg, transfer as ArrayBuffer[]);
}
