import { describe, expect, it } from 'vitest';
import { cv } from '../../../../test/support/val.js';
import { loadLaw } from '../../../law/index.js';
import { collectFlags } from '../../../explain/index.js';
import { calendarYear, type TaxPeriod } from '../../../periods/index.js';
import { dollars, type Cents } from '../../../money/index.js';
import { idahoStartupComparison, type IdahoComparisonYear } from './startup-comparison.js';
import { idahoControlledGroup } from './controlled-group.js';
import { computeIdahoCredit, type IdahoCreditInput } from './credit.js';
import { computeIdaho } from '../index.js';

const law = loadLaw();
const k = (v: { kind: string }) => (v.kind === "known" ? (v as unknown as { value: Cents }).value : v.kind);

// A taxpayer with 1984–1988 Idaho records giving the 16% cap, Idaho QREs from 2021, Idaho receipts 5,000,000 a year.
// Without the election: base 16% × 5,000,000 = 800,000; line 12 = 200,000 < line 13 = 500,000 → 5% × 200,000 = 10,000.
// With it (Part B, start-up years 2–4 → 3%): base 150,000; line 14 = 500,000 → 25,000. Difference 15,000 a year.
function year(y: number, elected?: boolean): IdahoComparisonYear {
  const history = [];
  for (let h = 2018; h < y; h++) history.push({ yearBegun: h, qre: dollars(h >= 2021 ? 1000000 : 0), grossReceipts: dollars(5000000) });
  const input: Omit<IdahoCreditInput, 'startupElectionYear'> = {
    period: calendarYear(y),
    entityType: 'c_corporation',
    qres: { wages: cv(dollars(1000000)), supplies: cv(dollars(0)), computers: cv(dollars(0)), contract: cv(dollars(0)) },
    federalStartUp: false,
    basePeriod: [{ yearBegun: 1984, qre: dollars(1600000), grossReceipts: dollars(10000000) }],
    firstIdahoQreYear: 2021,
    idahoBusinessSince: 2010,
    history,
  };
  return { input, ...(elected !== undefined ? { elected } : {}) };
}

describe('Idaho start-up election over years (IDAPA 35.01.01.721(01); states.md §A4.3)', () => {
  it('with and without the election for each year, the difference and the total (what-if from the first year)', () => {
    const r = idahoStartupComparison(law, [year(2024), year(2022), year(2023)]);
    expect(r.electionYear).toBe(2022);
    expect(r.rows.map((x) => x.year)).toEqual([2022, 2023, 2024]);
    expect(r.rows.map((x) => [k(x.without), k(x.withElection), k(x.difference)])).toEqual([
      [dollars(10000), dollars(25000), dollars(15000)],
      [dollars(10000), dollars(25000), dollars(15000)],
      [dollars(10000), dollars(25000), dollars(15000)],
    ]);
    expect(k(r.totals.difference)).toBe(dollars(45000));
    expect(r.problems).toEqual([]);
  });

  it('once elected the election binds every later year; a later "not elected" is a problem, computed as elected', () => {
    const r = idahoStartupComparison(law, [year(2022, false), year(2023, true), year(2024, false)]);
    expect(r.actualElectionYear).toBe(2023);
    expect(r.electionYear).toBe(2023);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.year).toBe(2024);
    expect(r.problems[0]!.message).toMatch(/irrevocable/);
    expect(r.rows.map((x) => k(x.actual))).toEqual([dollars(10000), dollars(25000), dollars(25000)]);
    expect(r.rows.map((x) => k(x.difference))).toEqual([0, dollars(15000), dollars(15000)]);
    expect(k(r.totals.actual)).toBe(dollars(60000));
    expect(r.rows[2]!.actual.why.notes.join()).toMatch(/not accepted/);
  });

  it('from 2025 every year carries the HB 559 review flag, whichever reading is chosen', () => {
    const y = year(2025);
    y.input = { ...y.input, options: { 'us.id.research.hb559_mode': 'none' } };
    const r = idahoStartupComparison(law, [y]);
    expect(r.flags.map((f) => f.option)).toContain('us.id.research.hb559_mode');
    expect(k(r.rows[0]!.without)).toBe(dollars(10000));
  });
});

describe('HB 559 review flag in every output (states.md §A6)', () => {
  const base = (p: TaxPeriod, options: Record<string, string>) => ({
    period: p,
    entityType: 'c_corporation' as const,
    qres: { wages: cv(dollars(1200000)), supplies: cv(dollars(0)), computers: cv(dollars(0)), contract: cv(dollars(0)) },
    federalStartUp: false,
    basePeriod: [{ yearBegun: 1984, qre: dollars(500000), grossReceipts: dollars(10000000) }],
    idahoBusinessSince: 2000,
    history: [2021, 2022, 2023, 2024].map((y) => ({ yearBegun: y, grossReceipts: dollars(15000000) })),
    options,
    tax: dollars(100000),
    creditsAhead: {},
  });
  for (const mode of ['per_dollar_exclusion', 'transition_only', 'none']) {
    it(`2025, reading ${mode}: lines 16 and 27 carry the flag`, () => {
      const r = computeIdaho(law, { ...base(calendarYear(2025), { 'us.id.research.hb559_mode': mode }), section174Deducted: { wages: dollars(0) } });
      for (const line of ['16', '22', '27']) expect(collectFlags(r.lines[line]!.why).map((f) => f.option), `line ${line}`).toContain('us.id.research.hb559_mode');
    });
  }
  it('per-dollar reading takes the deducted QREs out; a category without QREs needs no figure', () => {
    const r = computeIdaho(law, { ...base(calendarYear(2025), {}), section174Deducted: { wages: dollars(200000) } });
    expect(k(r.lines['4']!)).toBe(dollars(1000000));
    expect(k(r.lines['16']!)).toBe(dollars(12500));
  });
  it('2024: HB 559 not in force, no flag', () => {
    const r = computeIdaho(law, base(calendarYear(2024), {}));
    expect(collectFlags(r.lines['27']!.why).map((f) => f.option)).not.toContain('us.id.research.hb559_mode');
  });
});

describe('Idaho controlled group (option us.id.research.group_method; states.md §A4.2)', () => {
  const member = (qre: number, gr: number): IdahoCreditInput => ({
    period: calendarYear(2024),
    entityType: 'c_corporation',
    qres: { wages: cv(dollars(qre)), supplies: cv(dollars(0)), computers: cv(dollars(0)), contract: cv(dollars(0)) },
    startupElectionYear: 2024,
    firstIdahoQreYear: 2024,
    idahoBusinessSince: 2020,
    history: [2020, 2021, 2022, 2023].map((y) => ({ yearBegun: y, qre: dollars(0), grossReceipts: dollars(gr) })),
  });
  const members = [
    { id: 'A', input: member(600000, 3000000) },
    { id: 'B', input: member(400000, 20000000) },
  ];
  it('aggregate then allocate (default): group 1,000,000 QREs, base 3% × 23,000,000 = 690,000 → 15,500, all to A (B has no stand-alone credit)', () => {
    const r = idahoControlledGroup(law, calendarYear(2024), members);
    expect(r.method).toBe('aggregate_then_allocate');
    expect(k(r.group!.lines['11']!)).toBe(dollars(690000));
    expect(k(r.group!.earned)).toBe(dollars(15500));
    expect(r.members.map((m) => [m.id, k(m.standAlone.earned), k(m.credit)])).toEqual([
      ['A', dollars(15000), dollars(15500)],
      ['B', 0, 0],
    ]);
    for (const m of r.members) expect(m.credit.why.flags.map((f) => f.option)).toContain('us.id.research.group_method');
  });
  it('separate members: A 15,000 (3% × 3,000,000 = 90,000 base; 50% floor), B 0', () => {
    const r = idahoControlledGroup(law, calendarYear(2024), members, { 'us.id.research.group_method': 'separate_member' });
    expect(r.members.map((m) => k(m.credit))).toEqual([dollars(15000), 0]);
    expect(r.flag.isDefault).toBe(false);
  });
  it('allocation adds up to the group credit (two members with credits)', () => {
    const two = [
      { id: 'A', input: member(600000, 3000000) },
      { id: 'B', input: member(400000, 2000000) },
    ];
    const r = idahoControlledGroup(law, calendarYear(2024), two);
    const total = r.members.reduce((a, m) => a + (k(m.credit) as number), 0);
    expect(total).toBe(k(r.group!.earned));
    expect(r.members.map((m) => k(m.credit))).toEqual([dollars(15000), dollars(10000)]);
  });
  it('a member with unknown QREs makes the group unknown, never zero', () => {
    const bad = [{ id: 'A', input: { ...member(600000, 3000000), qres: { ...member(600000, 3000000).qres, supplies: cv(undefined, 'supplies.s9.location') } } }, members[1]!];
    const r = idahoControlledGroup(law, calendarYear(2024), bad);
    expect(r.members.every((m) => m.credit.kind === 'unknown')).toBe(true);
    expect(computeIdahoCredit(law, bad[0]!.input).earned.kind).toBe('unknown');
  });
});

describe('Form 67 line map, versioned by tax year (states.md §A10)', () => {
  it('lines 1–27 (24h) and page 2 Parts A–C exist for every supported tax year, and computeIdaho fills lines 1–27', () => {
    const want = [...Array.from({ length: 23 }, (_, i) => String(i + 1)), '24h', '25', '26', '27', 'A', 'B', 'C', 'S1', 'S2'];
    for (let y = 2018; y <= 2026; y++) {
      const f = law.form('id-67', calendarYear(y));
      expect(Object.keys(f.lines).sort()).toEqual(want.sort());
    }
    const r = computeIdaho(law, { period: calendarYear(2024), entityType: 'c_corporation', qres: { wages: cv(dollars(1)), supplies: cv(dollars(0)), computers: cv(dollars(0)), contract: cv(dollars(0)) }, startupElectionYear: 2024, firstIdahoQreYear: 2024, idahoBusinessSince: 2024, history: [], tax: dollars(0), creditsAhead: {} });
    for (const l of want.filter((x) => /^\d|24h/.test(x))) expect(r.lines[l], `line ${l}`).toBeDefined();
  });
});
