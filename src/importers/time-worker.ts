/**
 * Worker thread of the parallel time import (./parallel.ts): reads one byte range of a time-entry
 * CSV (starting at a record start), aggregates it with a TimeAggregator and posts the aggregate,
 * its row errors and warnings (with line numbers local to the range) and its line count.
 *
 * Under tsx or vitest this module is bundled to plain JavaScript once per process (./worker-code.ts)
 * so a worker starts without compiling TypeScript; it therefore has no top-level await.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Profile } from './profiles.js';
import { TimeAggregator } from './time.js';
import type { TimeRuleT } from './mapping.js';
import { PeopleResolver, type Person } from './people.js';
import { readTimeRange, RecordingContext, type RangeOutcome } from './time-range.js';

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
  | ({
      type: 'done';
      state: ReturnType<TimeAggregator['exportState']>;
      /** People resolved to another employee id in this range (value → id). */
      people: [string, string][];
    } & Omit<RangeOutcome, 'fallback'>);

async function run(input: TimeWorkerInput): Promise<TimeWorkerMessage> {
  const t0 = performance.now();
  const ctx = new RecordingContext();
  const people = input.people ? new PeopleResolver(input.people.map, input.people.employees) : undefined;
  const agg = new TimeAggregator(ctx, input.profile, input.columns, input.headers, input.rules, people);
  let last = 0;
  const out = await readTimeRange(agg, ctx, input, (b) => {
    if (b - last >= 8 << 20) {
      parentPort!.postMessage({ type: 'progress', bytes: b - last } satisfies TimeWorkerMessage);
      last = b;
    }
  });
  if (out.fallback !== undefined) return { type: 'fallback', reason: out.fallback };
  parentPort!.postMessage({ type: 'progress', bytes: input.end - input.start - last } satisfies TimeWorkerMessage);
  if (process.env.RDCREDIT_PROFILE) console.error(`[worker ${input.start}] parsed in ${(performance.now() - t0).toFixed(0)} ms`);
  return { type: 'done', state: agg.exportState(), ...out, people: [...(people?.resolved ?? [])] };
}

if (parentPort && workerData?.rdcreditTimeWorker) {
  run(workerData.input as TimeWorkerInput).then(
    (msg) => {
      const transfer = msg.type === 'done' ? [msg.state.keys.buffer, msg.state.sums.buffer, msg.state.counts.buffer] : [];
      parentPort!.postMessage(msg, transfer as ArrayBuffer[]);
    },
    (e: unknown) => parentPort!.postMessage({ type: 'crash', message: String((e as Error)?.stack ?? e) }),
  );
}
