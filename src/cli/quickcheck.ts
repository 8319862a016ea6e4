/**
 * `rdcredit quickcheck [--answers file.yaml] [--json]` — the quick check. Without --answers it asks
 * the questionnaire on the terminal. Exit codes: 0 done, 2 invalid answers or input.
 */
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { parse } from 'yaml';
import { askQuickCheck, loadQuickCheckData, parseAnswers, quickCheck, quickCheckJson, renderQuickCheck } from '../assist/index.js';
import { loadLaw } from '../law/index.js';

export interface QuickCheckOptions {
  /** YAML (or JSON) file of answers keyed by question id (data/quickcheck/questionnaire.yaml). */
  answers?: string;
  json?: boolean;
  /** Streams for the interactive mode and the output (default: the process's). */
  input?: Readable;
  output?: Writable;
  error?: Writable;
}

export async function runQuickCheck(opts: QuickCheckOptions = {}): Promise<number> {
  const out = opts.output ?? process.stdout;
  const err = opts.error ?? process.stderr;
  const data = loadQuickCheckData();
  let raw: unknown;
  if (opts.answers) {
    try {
      raw = parse(readFileSync(opts.answers, 'utf8'));
      // A worked-example file (name, source, answers, expected) also serves as an answers file.
      if (raw && typeof raw === 'object' && 'answers' in raw && typeof (raw as { answers: unknown }).answers === 'object') raw = (raw as { answers: unknown }).answers;
    } catch (e) {
      err.write(`${opts.answers}: ${(e as Error).message}\n`);
      return 2;
    }
  } else {
    try {
      raw = await askQuickCheck(data.questions, data.profiles, { input: opts.input ?? process.stdin, output: opts.json ? err : out });
    } catch (e) {
      err.write(`${(e as Error).message}\n`);
      return 2;
    }
  }
  const { answers, problems } = parseAnswers(raw);
  if (!answers) {
    err.write(`The answers are not valid:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 2;
  }
  let result;
  try {
    result = quickCheck(loadLaw(), data, answers);
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return 2;
  }
  out.write(opts.json ? `${JSON.stringify(quickCheckJson(result), null, 2)}\n` : `${renderQuickCheck(result)}\n`);
  return 0;
}
