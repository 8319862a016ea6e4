/**
 * The interactive quick check: asks the questionnaire on a terminal (node:readline) and returns
 * the answers in the same shape as an answers file. Lines are read through the interface's async
 * iterator, so piped input works as well as a terminal.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parse } from 'yaml';
import type { Profile, Question } from './schema.js';

export interface AskIo {
  input: Readable;
  output: Writable;
}

function parseYear(s: string): number | undefined {
  return /^\d{4}$/.test(s) ? Number(s) : undefined;
}

/** Asks every question; re-asks until an answer is valid for its type. Returns raw answers (AnswersInput shape). */
export async function askQuickCheck(questions: Question[], profiles: Profile[], io: AskIo): Promise<Record<string, unknown>> {
  const rl = createInterface({ input: io.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const say = (t: string) => io.output.write(t);
  const read = async (prompt: string): Promise<string> => {
    say(prompt);
    const n = await lines.next();
    if (n.done) throw new Error('the input ended before the questionnaire was complete');
    return String(n.value).trim();
  };
  const out: Record<string, unknown> = {};
  try {
    for (const q of questions) {
      let choices = q.choices;
      if (q.choicesFrom === 'profiles') choices = Object.fromEntries(profiles.filter((p) => p.industry === out.industry).map((p) => [p.id, p.label]));
      const keys = Object.keys(choices ?? {});
      let header = `\n${q.prompt}${q.help ? `\n  (${q.help})` : ''}${q.optional ? '\n  (optional: press Enter to skip)' : ''}\n`;
      if (keys.length) header += keys.map((k, i) => `  ${i + 1}. ${choices![k]}  [${k}]`).join('\n') + '\n';
      say(header);
      for (;;) {
        const raw = await read(q.type === 'multi' ? '> (numbers or ids, comma-separated) ' : '> ');
        if (!raw && q.optional) {
          if (q.id === 'firstReceiptsYear') out[q.id] = null;
          break;
        }
        const pickOne = (s: string) => (/^\d+$/.test(s) && keys[Number(s) - 1] ? keys[Number(s) - 1] : keys.includes(s) ? s : undefined);
        let v: unknown;
        switch (q.type) {
          case 'year':
            v = parseYear(raw);
            break;
          case 'integer':
            v = /^\d+$/.test(raw) ? Number(raw) : undefined;
            break;
          case 'money':
            v = /^\$?[0-9][0-9,]*(\.\d{1,2})?$/.test(raw) ? raw.replace(/^\$/, '') : undefined;
            break;
          case 'share':
            v = /^(0(\.\d+)?|1(\.0+)?|\d{1,3}(\.\d+)?%)$/.test(raw) ? raw : undefined;
            break;
          case 'choice':
            v = pickOne(raw);
            break;
          case 'multi': {
            const xs = raw.split(',').map((s) => pickOne(s.trim()));
            v = xs.length && xs.every(Boolean) ? xs : undefined;
            break;
          }
          case 'states': {
            const xs = raw ? raw.split(',').map((s) => s.trim().toUpperCase()) : [];
            v = xs.every((s) => /^[A-Z]{2}$/.test(s)) ? xs : undefined;
            break;
          }
          case 'money_by_year':
          case 'state_details':
            // A YAML/JSON flow map on one line, e.g. {2024: 1000000, 2025: 2500000}
            try {
              const m = parse(raw) as unknown;
              v = m && typeof m === 'object' && !Array.isArray(m) ? Object.fromEntries(Object.entries(m).map(([k, x]) => [String(k), x])) : undefined;
            } catch {
              v = undefined;
            }
            break;
        }
        if (v !== undefined) {
          out[q.id] = v;
          break;
        }
        say(`  not understood for a ${q.type.replace(/_/g, ' ')} answer; try again\n`);
      }
    }
  } finally {
    rl.close();
  }
  return out;
}
