import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear, taxPeriod, yearBegun, fiscalYear, type TaxPeriod } from '../../periods/index.js';
import { isoDate } from '../../periods/date.js';
import { cents, dollars, sum, type Cents } from '../../money/index.js';
import {
  section174Amortization,
  section174aElectiveAmortization,
  section174History,
  smallBusinessRetroactiveElection,
  midpointMonth,
  type AmortizationSchedule,
} from './irc174-schedule.js';
import type { Val } from '../../explain/index.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./irc174-schedule.cases.yaml', import.meta.url));

const byYear = (s: AmortizationSchedule) => Object.fromEntries(s.lines.map((l) => [String(yearBegun(l.period)), l.amount]));
const years = [2022, 2023, 2024, 2025, 2026].map(calendarYear);
const vintages = (benefits?: string) => [
  { period: years[0]!, domestic: dollars(1_000_000), foreign: cents(0) },
  { period: years[1]!, domestic: dollars(1_000_000), foreign: cents(0) },
  { period: years[2]!, domestic: dollars(600_000), foreign: dollars(300_000) },
  { period: years[3]!, domestic: dollars(800_000), foreign: cents(0), ...(benefits ? { benefitsFirstRealized: isoDate(benefits) } : {}) },
];

function known<T>(v: Val<T>): T {
  expect(v.kind).toBe('known');
  if (v.kind !== 'known') throw new Error(JSON.stringify(v.why));
  return v.value;
}

describe('§174 / §174A schedules', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as Record<string, unknown>;
      const e = c.expected as Record<string, unknown>;
      const view = law.for(c.taxPeriod, c.options ?? {});
      if (i.fn === 'amortize' || i.fn === 'elective') {
        const r =
          i.fn === 'amortize'
            ? section174Amortization(view, { vintage: c.taxPeriod, kind: i.kind as 'domestic' | 'foreign', amount: usd(i.amount) })
            : section174aElectiveAmortization(view, { vintage: c.taxPeriod, amount: usd(i.amount), months: i.months as number, benefitsFirstRealized: isoDate(i.benefits as string) });
        if (e.na) {
          expect(r.kind).toBe('na');
          return;
        }
        const s = known(r);
        expect(sum(s.lines.map((l) => l.amount))).toBe(usd(i.amount));
        if (e.byYear) expect(byYear(s)).toEqual(Object.fromEntries(Object.entries(e.byYear as Record<string, unknown>).map(([k, v]) => [k, usd(v)])));
        if (e.firstTwo) for (const [k, v] of Object.entries(e.firstTwo as Record<string, unknown>)) expect(byYear(s)[k]).toBe(usd(v));
        if (e.middleEach !== undefined) {
          expect(s.lines[0]!.amount).toBe(usd(e.first));
          const mid = s.lines.slice(1, -1);
          expect(mid.length).toBe(e.middleYears);
          for (const l of mid) expect(l.amount).toBe(usd(e.middleEach));
          expect(s.lines[s.lines.length - 1]!.amount).toBe(usd(e.last));
          expect(yearBegun(s.lines[s.lines.length - 1]!.period)).toBe(e.lastYear);
        }
        if (c.name.includes('short year') && c.name.includes('7-month')) expect(r.why.flags.map((f) => f.option)).toContain('us.federal.irc174.short_year_odd_midpoint');
      } else {
        const r = section174History(law, {
          periods: years,
          vintages: vintages(i.capitalize174a ? '2025-04-15' : undefined),
          transition: i.transition as 'continue',
          ...(i.retroactive ? { retroactive: { method: 'deduct' as const } } : {}),
          ...(i.capitalize174a ? { section174aCapitalizeMonths: i.capitalize174a as number } : {}),
        });
        const h = known(r);
        const want = Object.fromEntries(Object.entries(e.deduction as Record<string, unknown>).map(([k, v]) => [k, usd(v)]));
        expect(h.deductionByPeriod).toEqual(want);
        expect(sum(h.unrecoveredAfter.map((u) => u.amount))).toBe(usd(e.unrecovered));
        // conservation: everything deducted plus everything unrecovered is everything paid
        const paid = dollars(1_000_000 + 1_000_000 + 600_000 + 300_000 + 800_000);
        expect(sum([...Object.values(h.deductionByPeriod), ...h.unrecoveredAfter.map((u) => u.amount)])).toBe(paid);
      }
    });
  }

  it('a 12-month year has its midpoint in month 7; a 52-week year too', () => {
    expect(midpointMonth(law.for(calendarYear(2023)), calendarYear(2023)).month).toBe(7);
    const p = taxPeriod('2023-01-01', '2023-12-30');
    expect(midpointMonth(law.for(p), p).monthsInFirstYear).toBe(6);
  });

  it('a fiscal year: FY beginning 2022-07-01 starts amortising in January 2023, all inside that fiscal year', () => {
    const p = fiscalYear(2022, 7);
    const s = known(section174Amortization(law.for(p), { vintage: p, kind: 'domestic', amount: dollars(120_000) }));
    expect(s.startsIn).toBe('2023-01');
    expect(s.lines[0]!.amount).toBe(dollars(12_000));
    expect(s.lines.length).toBe(6);
  });

  it('disposition does not accelerate recovery (§174(d))', () => {
    const p = calendarYear(2023);
    const a = known(section174Amortization(law.for(p), { vintage: p, kind: 'domestic', amount: dollars(500_000) }));
    const r = section174Amortization(law.for(p), { vintage: p, kind: 'domestic', amount: dollars(500_000), disposedOn: isoDate('2024-03-01') });
    expect(known(r)).toEqual(a);
    expect(r.why.notes.join(' ')).toMatch(/§174\(d\)/);
  });

  it('pre-2022 amounts are not capitalised; unknown amounts stay unknown', () => {
    expect(section174Amortization(law.for(calendarYear(2021)), { vintage: calendarYear(2021), kind: 'domestic', amount: dollars(1) }).kind).toBe('na');
    const u = section174Amortization(law.for(calendarYear(2023)), { vintage: calendarYear(2023), kind: 'foreign', amount: undefined });
    expect(u.kind).toBe('unknown');
    const h = section174History(law, { periods: years, vintages: [{ period: years[0]!, domestic: undefined, foreign: cents(0) }] });
    expect(h.kind).toBe('unknown');
  });

  it('property: every schedule sums exactly to the amount capitalised, with no negative year', () => {
    const periods: TaxPeriod[] = [calendarYear(2022), calendarYear(2024), fiscalYear(2023, 4), taxPeriod('2023-03-01', '2023-12-31'), taxPeriod('2024-06-01', '2024-12-31'), taxPeriod('2022-02-15', '2022-12-31')];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_000_000_000_00 }), fc.constantFrom(...periods), fc.constantFrom('domestic' as const, 'foreign' as const), fc.boolean(), (amt, p, kind, odd) => {
        const view = law.for(p, odd ? { 'us.federal.irc174.short_year_odd_midpoint': 'middle_month' } : {});
        const r = section174Amortization(view, { vintage: p, kind, amount: amt as Cents });
        if (r.kind !== 'known') return false;
        const total = kind === 'domestic' ? 60 : 180;
        return sum(r.value.lines.map((l) => l.amount)) === amt && r.value.lines.every((l) => l.amount >= 0) && r.value.lines.reduce((m, l) => m + l.months, 0) === total;
      }),
    );
  });

  it('property: §174A(c) schedules sum exactly for any period of at least 60 months', () => {
    const p = calendarYear(2025);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_00 }), fc.integer({ min: 60, max: 400 }), fc.integer({ min: 1, max: 12 }), (amt, months, m) => {
        const r = section174aElectiveAmortization(law.for(p), { vintage: p, amount: amt as Cents, months, benefitsFirstRealized: isoDate(`2025-${String(m).padStart(2, '0')}-01`) });
        return r.kind === 'known' && sum(r.value.lines.map((l) => l.amount)) === amt;
      }),
    );
  });

  it('property: history conserves every dollar under each transition choice', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000_000_00 }), { minLength: 8, maxLength: 8 }), fc.constantFrom('continue' as const, 'deduct_2025' as const, 'ratable_2025_2026' as const), (a, t) => {
        const vs = [0, 1, 2, 3].map((k) => ({ period: years[k]!, domestic: a[2 * k] as Cents, foreign: a[2 * k + 1] as Cents }));
        const r = section174History(law, { periods: years, vintages: vs, transition: t });
        if (r.kind !== 'known') return false;
        return sum([...Object.values(r.value.deductionByPeriod), ...r.value.unrecoveredAfter.map((u) => u.amount)]) === sum(a as Cents[]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('OBBBA small-business retroactive election', () => {
  const first = calendarYear(2025);
  const prior = [2024, 2023, 2022].map((y) => ({ period: calendarYear(y), grossReceipts: dollars(20_000_000) }));
  const run = (extra: Partial<Parameters<typeof smallBusinessRetroactiveElection>[1]>) =>
    known(smallBusinessRetroactiveElection(law, { firstSection174aYear: first, priorYears: prior, taxShelter: false, asOf: isoDate('2026-03-01'), ...extra }));

  it('eligible and open before July 6, 2026 (federal.md §10.4)', () => {
    expect(run({}).status).toBe('open');
    expect(run({ asOf: isoDate('2026-07-06') }).status).toBe('open');
  });
  it('closed after the deadline: display only', () => {
    const r = run({ asOf: isoDate('2026-11-23') });
    expect(r.status).toBe('closed');
    expect(r.applies).toBe(false);
  });
  it('made on time applies; filed a day late does not', () => {
    expect(run({ asOf: isoDate('2026-11-23'), filedOn: isoDate('2026-07-06') })).toMatchObject({ status: 'made', applies: true });
    expect(run({ asOf: isoDate('2026-11-23'), filedOn: isoDate('2026-07-07') })).toMatchObject({ status: 'late', applies: false });
  });
  it('an earlier §6511 limitation date shortens the window', () => {
    expect(run({ refundLimitationDate: isoDate('2026-04-15'), filedOn: isoDate('2026-05-01') }).status).toBe('late');
  });
  it('§448(c) average over $31M for 2025, or a tax shelter: not eligible', () => {
    const big = [2024, 2023, 2022].map((y) => ({ period: calendarYear(y), grossReceipts: dollars(31_000_001) }));
    expect(run({ priorYears: big }).status).toBe('ineligible');
    expect(run({ priorYears: [2024, 2023, 2022].map((y) => ({ period: calendarYear(y), grossReceipts: dollars(31_000_000) })) }).eligible).toBe(true);
    expect(run({ taxShelter: true }).status).toBe('ineligible');
  });
  it('unknown tax-shelter status is unknown', () => {
    expect(smallBusinessRetroactiveElection(law, { firstSection174aYear: first, priorYears: prior, taxShelter: undefined, asOf: isoDate('2026-03-01') }).kind).toBe('unknown');
  });
});
