/**
 * Idaho functions over several studies (src/study/multiyear): the irrevocable start-up election
 * over three tax years, and a two-member unitary group with sharing. The studies are derived from
 * examples/sawtooth-ml (structuredClone; period, history, base facts and Idaho facts changed) as an
 * older Idaho company: 1984–1988 Idaho QREs 400,000 on Idaho receipts 5,000,000 (Part A 8.00%),
 * research in Idaho again from 2022 (start-up year 1 under the election), Idaho receipts 20,000,000
 * a year. Every year's Idaho QREs are the example's 2,650,351 (Form 67 line 8).
 *
 * Hand computation (Form 67, states.md §A4; whole dollars):
 *   without the election: base 8% × 20,000,000 = 1,600,000; line 12 = 1,050,351; line 13 =
 *     50% × 2,650,351 = 1,325,175.50 → 1,325,176; line 14 = 1,050,351; line 16 = 5% → 52,517.55 → 52,518.
 *   with it (start-up years 1–3, 3%): base 600,000; line 12 = 2,050,351; line 14 = 1,325,176;
 *     line 16 = 66,258.80 → 66,259. Difference 13,741 a year.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLaw } from '../../src/law/index.js';
import { dollars, type Cents } from '../../src/money/index.js';
import { isoDate } from '../../src/periods/index.js';
import type { Val } from '../../src/explain/index.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import type { Study } from '../../src/study/model.js';
import { idahoStartupComparisonForStudies, idahoUnitaryGroup, idahoYearFromStudy } from '../../src/study/multiyear/index.js';

const law = loadLaw();
const base = readStudyFolder(resolve(__dirname, '..', '..', 'examples', 'sawtooth-ml')).study!;
const v = (x: Val<Cents>): number | string => (x.kind === 'known' ? x.value / 100 : x.kind);

/** The sawtooth-ml records as the study of `year` of an older Idaho company. */
function yearStudy(year: number, idaho: Record<string, string> = {}, elections: { elected?: boolean; year?: number } = {}): Study {
  const s = structuredClone(base);
  s.id = `sawtooth-ml-${year}`;
  s.taxpayer.period = { start: isoDate(`${year}-01-01`), end: isoDate(`${year}-12-31`) };
  s.history = [1, 2, 3, 4].map((k) => {
    const y = year - k;
    return {
      period: { start: isoDate(`${y}-01-01`), end: isoDate(`${y}-12-31`) },
      qreByState: { ID: y >= 2022 ? dollars(2000000) : dollars(0) },
      grossReceipts: dollars(30000000),
      grossReceiptsByState: { ID: dollars(20000000) },
    };
  });
  s.baseFacts = {
    firstTaxYearStart: isoDate('1984-01-01'),
    federalStartUp: false,
    idahoBusinessSince: 1984,
    basePeriod: [1984, 1985, 1986, 1987, 1988].map((y) => ({ year: y, idahoQre: dollars(80000), idahoGrossReceipts: dollars(1000000) })),
  };
  s.stateFacts = { ...s.stateFacts, ID: { income_tax: '0', credits_ahead: '0', first_qre_year: '2022', ...idaho } };
  delete s.elections.idahoStartupElection;
  delete s.elections.idahoStartupElectionYear;
  if (elections.elected !== undefined) s.elections.idahoStartupElection = elections.elected;
  if (elections.year !== undefined) s.elections.idahoStartupElectionYear = elections.year;
  return s;
}

describe('idahoYearFromStudy', () => {
  it('builds the year from the study: Idaho QREs from the sourced records, Part A base facts, Idaho facts', () => {
    const y = idahoYearFromStudy(law, yearStudy(2023));
    expect(y.year).toBe(2023);
    expect(y.input.federalStartUp).toBe(false);
    expect(y.input.firstIdahoQreYear).toBe(2022);
    expect(y.input.tax).toBe(dollars(0));
  });
});

describe('idahoStartupComparisonForStudies: three yearly studies', () => {
  it('no election made: each year 52,518 without, 66,259 with, difference 13,741; totals over the three years', () => {
    const r = idahoStartupComparisonForStudies(law, [yearStudy(2024), yearStudy(2022), yearStudy(2023)]);
    expect(r.problems).toEqual([]);
    expect(r.electionYear).toBeUndefined();
    expect(r.comparison.rows.map((x) => [x.year, v(x.without), v(x.withElection), v(x.difference), v(x.actual)])).toEqual([
      [2022, 52518, 66259, 13741, 52518],
      [2023, 52518, 66259, 13741, 52518],
      [2024, 52518, 66259, 13741, 52518],
    ]);
    expect([v(r.comparison.totals.without), v(r.comparison.totals.withElection), v(r.comparison.totals.difference), v(r.comparison.totals.actual)]).toEqual([157554, 198777, 41223, 157554]);
    expect(r.schedule.id).toBe('id.startup');
    expect(r.schedule.rows.map((x) => x.cells.study)).toEqual(['sawtooth-ml-2022', 'sawtooth-ml-2023', 'sawtooth-ml-2024']);
    expect(r.schedule.totals!.difference).toBe(dollars(41223));
  });

  it('the election made in year 1 binds year 3: "not elected" in the 2024 study is reported and computed as elected', () => {
    const r = idahoStartupComparisonForStudies(law, [yearStudy(2022, {}, { elected: true }), yearStudy(2023), yearStudy(2024, {}, { elected: false })]);
    expect(r.electionYear).toBe(2022);
    expect(r.comparison.rows.map((x) => [x.year, v(x.actual), x.electionInForce.actual])).toEqual([
      [2022, 66259, true],
      [2023, 66259, true],
      [2024, 66259, true],
    ]);
    expect(r.problems.map((p) => p.year)).toEqual([2024]);
    expect(r.problems[0]!.message).toMatch(/irrevocable/);
    expect(v(r.comparison.totals.actual)).toBe(198777);
  });

  it('an election first stated in the 2024 study as made for 2022 binds 2022–2024; the 2022 study saying "not elected" is a problem', () => {
    const r = idahoStartupComparisonForStudies(law, [yearStudy(2022, {}, { elected: false }), yearStudy(2023), yearStudy(2024, {}, { elected: true, year: 2022 })]);
    expect(r.electionYear).toBe(2022);
    expect(r.comparison.rows.map((x) => v(x.actual))).toEqual([66259, 66259, 66259]);
    expect(r.problems.map((p) => [p.year, p.studyId])).toEqual([[2022, 'sawtooth-ml-2022']]);
  });

  it('an election from 2023 only: 2022 stays without it', () => {
    const r = idahoStartupComparisonForStudies(law, [yearStudy(2022, {}, { elected: false }), yearStudy(2023, {}, { elected: true }), yearStudy(2024)]);
    expect(r.comparison.rows.map((x) => v(x.actual))).toEqual([52518, 66259, 66259]);
    expect(v(r.comparison.totals.actual)).toBe(52518 + 2 * 66259);
    expect(r.problems).toEqual([]);
  });

  it('another taxpayer or a second study of the same year is left out and reported', () => {
    const other = yearStudy(2023);
    other.taxpayer.id = 'someone-else';
    other.id = 'other-2023';
    const dup = yearStudy(2022);
    dup.id = 'dup-2022';
    const r = idahoStartupComparisonForStudies(law, [yearStudy(2022), dup, other]);
    expect(r.studies).toEqual([{ year: 2022, studyId: 'sawtooth-ml-2022' }]);
    expect(r.problems.map((p) => p.studyId).sort()).toEqual(['dup-2022', 'other-2023']);
  });
});

describe('idahoUnitaryGroup: two members of one unitary group, 2024', () => {
  // A earns 52,518 (no election), has a 2020 vintage of 5,000 and Idaho tax 10,000; B has no
  // research and Idaho tax of its own.
  const memberA = (): Study => {
    const s = yearStudy(2024, { income_tax: '10000', credits_ahead: '0', carryforward_2020: '5000' });
    s.taxpayer.id = 'sawtooth-a';
    s.id = 'a-2024';
    return s;
  };
  const memberB = (tax: string): Study => {
    const s = yearStudy(2024, { income_tax: tax, credits_ahead: '0' });
    s.taxpayer.id = 'sawtooth-b';
    s.id = 'b-2024';
    Object.assign(s, { employees: [], time: [], supplies: [], computers: [], contracts: [], basicResearch: [] });
    return s;
  };
  const cells = (r: ReturnType<typeof idahoUnitaryGroup>) =>
    r.schedule.rows.map((x) => [x.cells.member, x.cells.earned, x.cells.usedOwn, x.cells.sharedOut, x.cells.received, x.cells.allowed, x.cells.carried].map((c) => (typeof c === 'number' ? c / 100 : c)));

  it('A uses 10,000 (2020 vintage first), shares its unused 47,518 with B, which uses it against its own tax', () => {
    const r = idahoUnitaryGroup(law, [memberA(), memberB('100000')], { 'sawtooth-a': true });
    expect(r.problems).toEqual([]);
    expect(cells(r)).toEqual([
      ['sawtooth-a', 52518, 10000, 47518, 0, 10000, 0],
      ['sawtooth-b', 0, 0, 0, 47518, 47518, 0],
    ]);
    const a = r.result.members['sawtooth-a']!;
    expect(v(a.lines['21']!)).toBe(47518);
    expect(v(a.lines['22']!)).toBe(10000); // 52,518 + 5,000 − 47,518
    expect(a.used.map((x) => [x.year, x.amount / 100])).toEqual([[2020, 5000], [2024, 5000]]);
    expect(v(r.result.members['sawtooth-b']!.lines['18']!)).toBe(47518);
    expect(r.schedule.id).toBe('id.unitary');
  });

  it('without the sharing election A carries 47,518 (vintage 2024) and B gets nothing', () => {
    const r = idahoUnitaryGroup(law, [memberA(), memberB('100000')], {});
    expect(cells(r)).toEqual([
      ['sawtooth-a', 52518, 10000, 0, 0, 10000, 47518],
      ['sawtooth-b', 0, 0, 0, 0, 0, 0],
    ]);
    expect(r.result.members['sawtooth-a']!.carryforward.map((x) => [x.year, x.amount / 100])).toEqual([[2024, 47518]]);
  });

  it('B can take only up to its own tax (30,000); A keeps 17,518', () => {
    const r = idahoUnitaryGroup(law, [memberA(), memberB('30000')], { 'sawtooth-a': true });
    expect(cells(r)).toEqual([
      ['sawtooth-a', 52518, 10000, 30000, 0, 10000, 17518],
      ['sawtooth-b', 0, 0, 0, 30000, 30000, 0],
    ]);
  });

  it('a member’s Idaho tax not given: the schedule is unknown and names it', () => {
    const b = memberB('100000');
    delete b.stateFacts!.ID!.income_tax;
    const r = idahoUnitaryGroup(law, [memberA(), b], { 'sawtooth-a': true });
    expect(r.result.schedule.kind).toBe('unknown');
    expect(r.schedule.notes!.join()).toMatch(/idaho\.tax/);
    expect(r.schedule.rows.every((x) => x.cells.allowed === null)).toBe(true);
  });

  it('a member with another tax year is left out and reported', () => {
    const b = memberB('100000');
    b.taxpayer.period = { start: isoDate('2023-01-01'), end: isoDate('2023-12-31') };
    const r = idahoUnitaryGroup(law, [memberA(), b], { 'sawtooth-a': true });
    expect(r.members.map((m) => m.memberId)).toEqual(['sawtooth-a']);
    expect(r.problems[0]!.message).toMatch(/not the group's tax year/);
  });
});
