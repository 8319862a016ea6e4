/** Reads a `*.cases.yaml` file: worked examples a tax expert can read, each citing its source. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { calendarYear, taxPeriod, type TaxPeriod } from '../../src/periods/index.js';
import { parseMoney, type Cents } from '../../src/money/index.js';

const CaseSchema = z.object({
  name: z.string(),
  source: z.string().min(3),
  period: z.union([z.number().int(), z.object({ start: z.string(), end: z.string() })]).optional(),
  input: z.record(z.string(), z.unknown()),
  expected: z.unknown(),
  options: z.record(z.string(), z.string()).optional(),
  notes: z.string().optional(),
});
const FileSchema = z.object({ rule: z.string(), cases: z.array(CaseSchema).min(1) });
export type Case = z.infer<typeof CaseSchema> & { taxPeriod: TaxPeriod };

export function loadCases(url: string | URL): { rule: string; cases: Case[] } {
  const doc = FileSchema.parse(parse(readFileSync(url, 'utf8')));
  return {
    rule: doc.rule,
    cases: doc.cases.map((c) => ({
      ...c,
      taxPeriod: c.period === undefined ? calendarYear(2025) : typeof c.period === 'number' ? calendarYear(c.period) : taxPeriod(c.period.start, c.period.end),
    })),
  };
}

/** Dollars in a case file (number or "1,234.56") to cents. */
export function usd(v: unknown): Cents {
  return parseMoney(String(v));
}
