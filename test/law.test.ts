import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLawDir, loadLaw, readLawDir } from '../src/law/index.js';
import { calendarYear, taxPeriod } from '../src/periods/index.js';
import { rateEq, rate } from '../src/money/index.js';

function lawDirWith(yaml: string): string {
  const d = mkdtempSync(join(tmpdir(), 'law-'));
  writeFileSync(join(d, 'x.yaml'), yaml);
  return d;
}

const good = (values: string, ref = `reference: [{ title: "26 U.S.C. § 41(a)" }]`) => `jurisdiction: US
title: t
parameters:
  - id: us.test.rate
    label: a test rate
    unit: rate
    keyed_on: tax_year_beginning
    status: P
    ${ref}
    values:
${values}
`;

describe('law parameters', () => {
  it('every law file in the repository is valid: cited, no gaps, no overlaps, 2018–2026 covered', () => {
    const r = readLawDir(defaultLawDir());
    expect(r.problems).toEqual([]);
    expect(r.params.length).toBeGreaterThan(10);
  });

  it('every parameter resolves for every tax year 2018–2026, calendar and fiscal', () => {
    const law = loadLaw();
    for (let y = 2018; y <= 2026; y++) {
      for (const p of [calendarYear(y), taxPeriod(`${y}-07-01`, `${y + 1}-06-30`)]) {
        if (p.start >= '2027-01-01') continue;
        for (const id of law.parameters.keys()) expect(() => law.get(id, p)).not.toThrow();
      }
    }
  });

  it('rejects a parameter without a citation', () => {
    const r = readLawDir(lawDirWith(good(`      - { from: 1990-01-01, value: "0.2" }`, 'reference: []')));
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/citation/);
  });

  it('rejects overlapping and out-of-order segments', () => {
    const r = readLawDir(lawDirWith(good(`      - { from: 1990-01-01, to: 2020-01-01, value: "0.2" }\n      - { from: 2019-01-01, value: "0.3" }`)));
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/overlap/);
    const r2 = readLawDir(lawDirWith(good(`      - { from: 2020-01-01, value: "0.2" }\n      - { from: 2019-01-01, value: "0.3" }`)));
    expect(r2.problems.map((p) => p.message).join('\n')).toMatch(/order/);
  });

  it('rejects a gap between segments and a gap inside the supported years', () => {
    const r = readLawDir(lawDirWith(good(`      - { from: 1990-01-01, to: 2019-01-01, value: "0.2" }\n      - { from: 2020-01-01, value: "0.3" }`)));
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/gap: nothing from 2019-01-01 until 2020-01-01/);
    const r2 = readLawDir(lawDirWith(good(`      - { from: 2019-01-01, value: "0.2" }`)));
    expect(r2.problems.map((p) => p.message).join('\n')).toMatch(/gap: no value before 2019-01-01/);
  });

  it('keys each parameter on its own event: the ASC rate keys on tax years ending', () => {
    const law = loadLaw();
    // A fiscal year beginning 2008-07-01 ends 2009-06-30: ending after 2008-12-31 → 14%.
    const v = law.get('us.federal.irc41.asc.rate', taxPeriod('2008-07-01', '2009-06-30'));
    expect(rateEq(v.value as never, rate('0.14'))).toBe(true);
    const w = law.get('us.federal.irc41.asc.rate', taxPeriod('2007-07-01', '2008-06-30'));
    expect(rateEq(w.value as never, rate('0.12'))).toBe(true);
  });

  it('options default, can be chosen, and flag themselves for review', () => {
    const law = loadLaw();
    const id = 'us.federal.irc41.basic_research_contract_share';
    expect(law.for(calendarYear(2025)).option(null, id)).toBe('apply_65');
    expect(law.for(calendarYear(2025), { [id]: 'full_amount' }).option(null, id)).toBe('full_amount');
    expect(() => law.for(calendarYear(2025), { [id]: 'nonsense' })).toThrow(/not one of/);
    const f = law.for(calendarYear(2025)).flagFor(id);
    expect(f.isDefault).toBe(true);
    expect(f.message).toMatch(/UNVERIFIED/);
  });
});

describe('form line maps', () => {
  it('each form has a revision for every supported year, and revisions do not overlap', () => {
    const law = loadLaw();
    for (let y = 2018; y <= 2026; y++) expect(law.form('f6765', calendarYear(y)).lines['48']).toBeDefined();
  });

  it('rejects a form map without a citation', () => {
    const r = readLawDir(lawDirWith(`form: fx\nrevision: "1"\ntitle: t\napplies: { from: 2018-01-01 }\nreference: []\nlines: { "1": { label: a } }\n`));
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/citation/);
  });
});
