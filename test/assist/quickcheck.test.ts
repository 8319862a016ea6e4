import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { loadLaw } from '../../src/law/index.js';
import { dollars, type Cents } from '../../src/money/index.js';
import type { Val } from '../../src/explain/index.js';
import { loadQuickCheckData, parseAnswers, quickCheck, quickCheckJson, renderQuickCheck, type Range } from '../../src/assist/index.js';

const law = loadLaw();
const data = loadQuickCheckData();
const dir = new URL('./fixtures/quickcheck/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ file: f, doc: parse(readFileSync(new URL(f, dir), 'utf8')) as any }));

function v(x: Val<Cents>): number | 'unknown' | 'na' {
  return x.kind === 'known' ? x.value / 100 : x.kind === 'unknown' ? 'unknown' : 'na';
}
const pair = (r: Range | undefined) => (r ? [v(r.low), v(r.high)] : undefined);

describe('quick check fixtures (hand-derived ranges)', () => {
  it('has the four fixed profiles', () => {
    expect(fixtures.map((f) => f.file).sort()).toEqual(['ai-native-product.yaml', 'foundation-model-startup.yaml', 'gem-state-fabrication.yaml', 'marketing-agency.yaml']);
  });
  for (const { file, doc } of fixtures) {
    it(`${file}: ${doc.name}`, () => {
      expect(doc.source).toBeTruthy();
      const { answers, problems } = parseAnswers(doc.answers);
      expect(problems).toEqual([]);
      const r = quickCheck(law, data, answers!);
      const e = doc.expected;
      expect(r.verdict).toBe(e.verdict);
      if (e.qre === null) expect(r.qre).toBeUndefined();
      else for (const k of ['wages', 'cloud', 'supplies', 'contractors', 'total'] as const) expect(pair(r.qre![k]), k).toEqual(e.qre[k]);
      for (const k of ['asc', 'regular', 'best', 'reducedCredit'] as const) {
        if (e.federal[k] === 'none') {
          expect(r.federal[k].applies).toBe('no');
          expect(r.federal[k].range).toBeUndefined();
        } else expect(pair(r.federal[k].range), k).toEqual(e.federal[k]);
      }
      expect(r.payrollOffset.applies).toBe(e.payrollOffset.applies);
      if (e.payrollOffset.range) expect(pair(r.payrollOffset.range)).toEqual(e.payrollOffset.range);
      for (const [st, exp] of Object.entries(e.states as Record<string, { applies: string; range?: unknown[] }>)) {
        const s = r.states.find((x) => x.state === st)!;
        expect(s.applies, st).toBe(exp.applies);
        if (exp.range) expect(pair(s.range), st).toEqual(exp.range);
        else expect(s.range).toBeUndefined();
      }
      expect(r.records.map((x) => x.id)).toEqual(e.records);
      // every output is renderable and serialisable
      expect(renderQuickCheck(r)).toContain('Records to start keeping');
      expect(() => JSON.stringify(quickCheckJson(r))).not.toThrow();
    });
  }
});

describe('quick check details', () => {
  const base = fixtures.find((f) => f.file === 'foundation-model-startup.yaml')!.doc.answers;
  const run = (over: Record<string, unknown>) => {
    const p = parseAnswers({ ...base, ...over });
    expect(p.problems).toEqual([]);
    return quickCheck(law, data, p.answers!);
  };

  it('reads the rates from the law files and shows them in the explanation', () => {
    const r = run({});
    const asc = r.federal.asc.range!.low;
    expect(asc.why.params.map((p) => p.id)).toContain('us.federal.irc41.asc.no_prior_qre_rate');
    const reg = r.federal.regular.range!.high;
    expect(reg.why.params.map((p) => p.id)).toEqual(expect.arrayContaining(['us.federal.irc41.startup.initial_fbp', 'us.federal.irc41.regular.rate', 'us.federal.irc41.regular.minimum_base_fraction']));
    expect(r.assumptions.find((a) => a.id === 'contract_rate')!.value).toBe('65%');
    expect(r.assumptions.find((a) => a.id === 'share.wages')!.value).toBe('60%–85%');
  });

  it('the payroll election limit follows the law by year ($250,000 before 2023)', () => {
    // 2022: three prior years 2019–2021 had no research (research since 2021) → QSB, limit $250,000
    const r = run({ taxYear: 2022, researchSince: 2021, grossReceipts: { '2021': 0, '2022': 0 }, stateDetails: undefined, states: [] });
    expect(r.payrollOffset.applies).toBe('yes');
    expect(v(r.payrollOffset.range!.high)).toBe(250000);
    const r25 = run({});
    expect(v(r25.payrollOffset.range!.high)).toBe(446550); // under the $500,000 limit
  });

  it('QSB edge: receipts one dollar below the ceiling qualify, at the ceiling do not', () => {
    expect(run({ grossReceipts: { '2023': 0, '2024': 0, '2025': 4999999 } }).payrollOffset.applies).toBe('yes');
    expect(run({ grossReceipts: { '2023': 0, '2024': 0, '2025': 5000000 } }).payrollOffset.applies).toBe('no');
  });

  it('QSB edge: first receipts at the start of the 5-year window qualify, one year earlier do not', () => {
    expect(run({ firstReceiptsYear: 2021, grossReceipts: { '2021': 1, '2022': 1, '2023': 1, '2024': 1, '2025': 1 } }).payrollOffset.applies).toBe('yes');
    expect(run({ firstReceiptsYear: 2020, grossReceipts: { '2020': 1, '2021': 1, '2022': 1, '2023': 1, '2024': 1, '2025': 1 } }).payrollOffset.applies).toBe('no');
  });

  it('QSB: five earlier elections end the offset; an unanswered first-receipts year leaves it "maybe" with the range unknown', () => {
    expect(run({ priorPayrollElections: 5 }).payrollOffset.applies).toBe('no');
    expect(run({ priorPayrollElections: 4 }).payrollOffset.applies).toBe('yes');
    const { firstReceiptsYear: _, ...noFirst } = base;
    const p = parseAnswers(noFirst);
    const r = quickCheck(law, data, p.answers!);
    expect(r.payrollOffset.applies).toBe('maybe');
    expect(r.payrollOffset.range!.low.kind).toBe('unknown');
    expect((r.payrollOffset.range!.low as { missing: string[] }).missing).toContain('firstReceiptsYear');
  });

  it('start-up edge: the 5th year with QREs uses the start-up FBP, the 6th needs the history', () => {
    expect(run({ researchSince: 2021 }).federal.regular.applies).toBe('yes');
    const r6 = run({ researchSince: 2020 });
    expect(r6.federal.regular.applies).toBe('maybe');
    expect(r6.federal.regular.range!.low.kind).toBe('unknown');
    // a given fixed-base percentage makes it computable again
    expect(run({ researchSince: 2020, federalFixedBasePercentage: '0.03' }).federal.regular.range!.low.kind).toBe('known');
  });

  it('ASC edge: research three full years before uses 14% over the base; one year short uses 6%', () => {
    const three = run({ researchSince: 2022, priorQre: { '2022': 3039500, '2023': 3039500, '2024': 3039500 } });
    // 14% × (3,039,500 − 50% × 3,039,500) = 212,765
    expect(v(three.federal.asc.range!.low)).toBe(212765);
    expect(v(run({ researchSince: 2023 }).federal.asc.range!.low)).toBe(182370);
  });

  it('business-risk-only uncertainty is unlikely, with the reason', () => {
    const r = run({ uncertainty: ['market'] });
    expect(r.verdict).toBe('unlikely');
    expect(r.reasons.join(' ')).toMatch(/business risk/);
    expect(r.qre).toBeUndefined();
  });

  it('no tracking at all or mostly foreign work lowers the verdict to "possibly"', () => {
    expect(run({ tracking: ['none'] }).verdict).toBe('possibly');
    expect(run({ foreignShare: '0.5' }).verdict).toBe('possibly');
    expect(run({ foreignShare: '0.49' }).verdict).toBe('likely');
  });

  it('rejects bad answers with the field named', () => {
    expect(parseAnswers({ ...base, foreignShare: '1.5' }).problems.join()).toMatch(/foreignShare/);
    expect(parseAnswers({ ...base, engineeringHeadcount: 40 }).problems.join()).toMatch(/engineeringHeadcount/);
    expect(parseAnswers({ ...base, technicalPayroll: 'lots' }).problems.join()).toMatch(/technicalPayroll/);
    expect(() => quickCheck(law, data, parseAnswers({ ...base, subSector: 'manufacturing' }).answers!)).toThrow(/industry/);
  });

  it('refuses a tax year the law files do not cover', () => {
    expect(() => run({ taxYear: 2030, researchSince: 2023 })).toThrow();
  });

  it('property: low ≤ high for every category and credit, and every known amount is whole dollars', () => {
    fc.assert(
      fc.property(
        fc.record({
          technicalPayroll: fc.integer({ min: 0, max: 50_000_000 }),
          cloudSpend: fc.integer({ min: 0, max: 20_000_000 }),
          contractorSpend: fc.integer({ min: 0, max: 5_000_000 }),
          suppliesSpend: fc.integer({ min: 0, max: 5_000_000 }),
          researchSince: fc.integer({ min: 2015, max: 2025 }),
          foreignPct: fc.integer({ min: 0, max: 100 }),
          subSector: fc.constantFrom(...data.profiles.filter((p) => p.industry === 'ai_ml').map((p) => p.id)),
        }),
        (x) => {
          const r = run({ ...x, foreignShare: `${x.foreignPct}%` });
          const ranges: Range[] = [];
          if (r.qre) ranges.push(...Object.values(r.qre));
          for (const c of [r.federal.asc, r.federal.regular, r.federal.best, r.federal.reducedCredit, r.payrollOffset, ...r.states]) if (c.range) ranges.push(c.range);
          for (const g of ranges) {
            if (g.low.kind === 'known') expect(g.low.value % 100).toBe(0);
            if (g.low.kind === 'known' && g.high.kind === 'known') expect(g.low.value).toBeLessThanOrEqual(g.high.value);
          }
          // the credit never exceeds the QREs, and the reduced credit never exceeds the credit
          const best = r.federal.best.range!.high;
          if (best.kind === 'known' && r.qre!.total.high.kind === 'known') expect(best.value).toBeLessThanOrEqual(r.qre!.total.high.value);
          const red = r.federal.reducedCredit.range!.high;
          if (red.kind === 'known' && best.kind === 'known') expect(red.value).toBeLessThanOrEqual(best.value);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the profiles are complete and sane: every industry of the questionnaire has one, shares within 0–1, low ≤ high', () => {
    const industries = data.questions.find((q) => q.id === 'industry')!.choices!;
    for (const ind of Object.keys(industries)) expect(data.profiles.some((p) => p.industry === ind), ind).toBe(true);
    for (const id of ['ai_foundation_model', 'ai_applied_ml', 'ai_computer_vision', 'ai_ml_infrastructure', 'ai_native_product', 'software_saas', 'manufacturing'])
      expect(data.profiles.some((p) => p.id === id), id).toBe(true);
    expect(dollars(1)).toBe(100);
  });
});
