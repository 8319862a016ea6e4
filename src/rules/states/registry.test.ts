import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseStateCreditRegistry } from './registry.js';

describe('state credit registry', () => {
  const doc = parse(readFileSync(new URL('../../../law/states/registry.yaml', import.meta.url), 'utf8'));
  it('validates and covers the 21 states of states.md Part B table B1', () => {
    const reg = parseStateCreditRegistry(doc);
    const want = ['ID', 'CA', 'AZ', 'MA', 'TX', 'GA', 'CT', 'IL', 'MN', 'NJ', 'PA', 'WI', 'UT', 'IA', 'NE', 'NY', 'LA', 'CO', 'OR', 'VA', 'MD', 'MI'];
    expect(reg.map((r) => r.state).sort()).toEqual(want.sort());
    expect(reg.find((r) => r.state === 'ID')!.carryforward).toBe('14');
  });
  it('rejects a duplicate state', () => {
    const bad = { ...doc, credits: [...doc.credits, doc.credits[0]] };
    expect(() => parseStateCreditRegistry(bad)).toThrow(/one entry per state/);
  });
});
