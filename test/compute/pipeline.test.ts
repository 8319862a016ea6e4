/**
 * The compute pipeline's breakdowns and post-line-28 figures, on both example studies:
 * breakdowns add up to the form totals; Section G reconciles with Section F; Section D and
 * Form 8974 follow the payroll election; the §174 schedule carries the credit year's vintage.
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLaw } from '../../src/law/index.js';
import type { Law } from '../../src/law/law.js';
import type { Cents } from '../../src/money/cents.js';
import { computeStudy } from '../../src/study/compute/index.js';
import { computeEmployeeWages } from '../../src/study/compute/wages.js';
import { findRule } from '../../src/explain/index.js';
import { applyRate } from '../../src/money/rate.js';
import { formatCents } from '../../src/money/cents.js';
import { taxPeriod } from '../../src/periods/index.js';
import type { StudyResult } from '../../src/study/compute/result.js';
import { readStudyFolder } from '../../src/study/folder/index.js';
import type { Study } from '../../src/study/model.js';

const root = resolve(__dirname, '..', '..');
let law: Law;
const studies: Record<string, Study> = {};
const results: Record<string, StudyResult> = {};

beforeAll(() => {
  law = loadLaw();
  for (const name of ['gem-state-fabrication', 'sawtooth-ml']) {
    const r = readStudyFolder(resolve(root, 'examples', name));
    if (!r.study) throw new Error(`${name}: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
    studies[name] = r.study;
    results[name] = computeStudy(law, r.study);
  }
});

const known = (v: { kind: string; value?: unknown }): Cents => {
  expect(v.kind).toBe('known');
  return v.value as Cents;
};

describe.each(['gem-state-fabrication', 'sawtooth-ml'])('%s breakdowns', (name) => {
  it('QREs by component add up to each category total', () => {
    const r = results[name]!;
    for (const k of ['wages', 'supplies', 'computers', 'contract'] as const) {
      const sum = r.qre.byComponent.reduce((s, c) => s + c[k], 0);
      expect(sum, k).toBe(known(r.qre[k]));
    }
    for (const c of r.qre.byComponent) expect(c.total).toBe(c.wages + c.supplies + c.computers + c.contract);
  });

  it('employees’ qualified wages add up to the wage QREs, and each share is in [0, 1]', () => {
    const r = results[name]!;
    const sum = r.employees!.reduce((s, e) => s + (e.qualifiedWages ?? 0), 0);
    expect(sum).toBe(known(r.qre.wages));
    for (const e of r.employees!) {
      const share = Number(e.qualifiedShare);
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
  });

  it('no state’s QREs exceed the federal QREs of the same records; states never double count', () => {
    const r = results[name]!;
    const fed = known(r.qre.wages) + known(r.qre.supplies) + known(r.qre.computers) + known(r.qre.contract);
    let all = 0;
    for (const [state, s] of Object.entries(r.qre.byState!)) {
      expect(s.total, state).toBeLessThanOrEqual(fed);
      all += s.total;
    }
    expect(all).toBeLessThanOrEqual(fed);
  });
});

describe('Sawtooth ML: after line 28', () => {
  it('Section D: a qualified small business electing; line 34 capped at $500,000; line 36 the smallest of 28, 34, 35', () => {
    const l = results['sawtooth-ml']!.forms.f6765!.lines;
    expect(l['33a']!.kind === 'known' && l['33a']!.value).toBe(true);
    const l28 = known(l['28'] as never);
    const l34 = known(l['34'] as never);
    const l35 = known(l['35'] as never);
    expect(l34).toBe(500_000_00);
    // A loss year with no tax: the whole line 28 credit is carried forward from the current year (line 35)
    expect(l35).toBe(l28);
    expect(known(l['36'] as never)).toBe(Math.min(l28, l34, l35));
  });

  it('Form 8974: this year’s election is usable from the quarter after the return is filed (2026-04-15 → 2026-Q3); the earlier election is used first', () => {
    const r = results['sawtooth-ml']!;
    const f = r.forms.f8974!;
    // The form shows the first quarter with a credit: 2026-Q2, from the 2024 election alone
    expect(f.lines.quarter!.kind === 'known' && f.lines.quarter!.value).toBe('2026-Q2');
    const sched = r.schedules!.f8974!;
    const q2 = sched.rows.find((x) => x.cells.quarter === '2026-Q2')!;
    const q3 = sched.rows.find((x) => x.cells.quarter === '2026-Q3')!;
    // The 2024 election (filed 2025-04-15) still has $94,400 left and is usable in 2026-Q2
    expect(q2.cells.available).toBe(236_000_00 - 141_600_00);
    // What Q2 leaves of the 2024 election, plus the 2025 election ($500,000, line 36), is available in 2026-Q3
    expect(q2.cells.carried).toBe(236_000_00 - 141_600_00 - (q2.cells.total as number) + 500_000_00);
    expect(q3.cells.available).toBe(q2.cells.carried);
    for (const row of sched.rows) expect(row.cells.total as number).toBeLessThanOrEqual(row.cells.available as number);
    // Part 1 of the 2026-Q2 form: the 2024 election with what was taken before, then this year's
    const l = f.lines as Record<string, { kind: string; value?: unknown }>;
    expect([l['1e']!.value, l['1f']!.value, l['1g']!.value]).toEqual([236_000_00, 141_600_00, 94_400_00]);
    expect(l['2e']!.value).toBe(500_000_00);
    expect(l['6']!.value).toBe(594_400_00);
    expect(l['12']!.value).toBe(Math.min(l['7']!.value as number, l['11']!.value as number));
  });

  it('Section G: listed by descending QREs until 80% is covered; column totals reconcile with Section F', () => {
    const r = results['sawtooth-ml']!;
    const g = r.schedules!.sectionG!;
    const listed = g.rows.filter((x) => x.cells.rank !== null);
    for (let i = 1; i < listed.length; i++) expect(listed[i - 1]!.cells.total as number).toBeGreaterThanOrEqual(listed[i]!.cells.total as number);
    expect(g.totals!.line53).toBe(known(r.qre.wages));
    expect(g.totals!.line55).toBe(known(r.qre.computers));
    expect(g.notes).toContain('Column totals agree with Section F.');
  });

  it('§174: the 2025 domestic vintage is deducted under §174A(a); the 2022–2024 vintages keep amortising', () => {
    const s = results['sawtooth-ml']!.schedules!.s174!;
    const y2025 = s.rows.filter((x) => x.cells.vintage === 'TY2025');
    expect(y2025.length).toBe(1);
    expect(y2025[0]!.cells.expensed as number).toBeGreaterThan(0);
    const v2022 = s.rows.filter((x) => x.cells.vintage === 'TY2022' && x.cells.kind === 'domestic');
    // 5-year amortisation with the midpoint convention: 10% in the first year
    expect(v2022[0]!.cells.amortised).toBe(115_000_00);
  });
});

describe('controlled group', () => {
  it('the group credit is allocated by QRE share, exactly, and item B says so', () => {
    const base = structuredClone(studies['sawtooth-ml']!);
    base.taxpayer.groupMembers = [{ id: 'labs', name: 'Sawtooth Labs LLC', ein: '88-7654321', inControlledGroup: true }];
    base.components = base.components.map((c) => (c.id === 'PAR' ? { ...c, memberId: 'labs' } : c));
    base.employees = base.employees.map((e, i) => (i % 3 === 0 ? { ...e, memberId: 'labs' } : e));
    const r = computeStudy(law, base);
    const s = r.schedules!['group.allocation']!;
    expect(s.rows.length).toBe(2);
    const credit = known(r.federal.credit as never);
    expect(s.rows.reduce((t, x) => t + (x.cells.credit as number), 0)).toBe(credit);
    expect(s.rows.reduce((t, x) => t + (x.cells.qre as number), 0)).toBe(r.qre.byComponent.reduce((t, c) => t + c.total, 0));
    const b = r.forms.f6765!.lines.B!;
    expect(b.kind === 'known' && b.value).toBe(true);
    expect(results['sawtooth-ml']!.forms.f6765!.lines.B!.kind === 'known' && results['sawtooth-ml']!.forms.f6765!.lines.B!.value).toBe(false);
  });
});

describe('basic research payments (§41(e))', () => {
  it('a company founded after 1983 has no base period: QOBPA is the 50% floor, and the excess enters the credit (lines 15–19)', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.basicResearch = [{ id: 'BR-1', organization: 'Boise State University', amount: 100_000_00 as Cents, cash: true, writtenAgreement: true, location: { country: 'US', state: 'ID' } }];
    const r = computeStudy(law, s);
    const l = r.forms.f6765!.lines;
    // federal.md §2.5: minimum basic research amount not less than 50% of current payments for a taxpayer not in existence in the base period
    expect(known(l['16'] as never)).toBe(50_000_00);
    expect(known(l['17'] as never)).toBe(50_000_00);
    expect(known(l['19'] as never)).toBe(10_000_00);
    const before = known(results['sawtooth-ml']!.federal.credit as never);
    expect(known(r.federal.credit as never)).toBeGreaterThan(before);
  });
});

describe('states in the pipeline', () => {
  it('every state of the study is reported, each from the same sourced records, none above the federal QREs', () => {
    const r = results['sawtooth-ml']!;
    const fed = known(r.qre.total as never);
    for (const st of studies['sawtooth-ml']!.taxpayer.states) {
      const s = r.states[st]!;
      expect(s, st).toBeDefined();
      if (s.qre?.kind === 'known') expect(s.qre.value).toBeLessThanOrEqual(fed);
    }
    // A state without a research credit is n/a with its reason, never 0
    expect(r.states.WA!.credit.kind).toBe('na');
    const ms = r.schedules!.multistate!;
    expect(ms.rows[0]!.cells.credit).toBe(fed === 0 ? 0 : known(r.federal.credit as never));
  });

  it('Idaho 2025 under the default HB 559 reading: the credit is $0, flagged for review, and the other reading is shown', () => {
    const r = results['sawtooth-ml']!;
    expect(known(r.states.ID!.credit as never)).toBe(0);
    expect(r.flags.map((f) => f.option)).toContain('us.id.research.hb559_mode');
    expect(r.states.ID!.note).toMatch(/other reading of HB 559/);
    const s = structuredClone(studies['sawtooth-ml']!);
    s.elections.options = { ...(s.elections.options ?? {}), 'us.id.research.hb559_mode': 'transition_only' };
    const alt = computeStudy(law, s);
    expect(known(alt.states.ID!.credit as never)).toBeGreaterThan(0);
    // Idaho credit earned is at most 2.5% of Idaho QREs (5% of at most half of them)
    expect(known(alt.states.ID!.credit as never)).toBeLessThanOrEqual(Math.floor(known(alt.states.ID!.qre as never) * 0.025) + 100);
  });

  it('a missing state fact makes that state unknown with the fact named, and leaves the others alone', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    delete s.stateFacts!.CA;
    const r = computeStudy(law, s);
    expect(r.states.CA!.credit.kind).toBe('unknown');
    expect(r.states.CA!.missing).toContain('stateFacts.CA.method');
    expect(r.states.UT!.credit.kind).toBe('known');
  });
});

describe('§38(c) and the §39 ledger', () => {
  it('a loss year carries forward what the payroll election leaves of line 28', () => {
    const r = results['sawtooth-ml']!;
    const l = r.forms.f6765!.lines;
    const cf = r.schedules!['carryforward.federal']!;
    // plus the 2022 vintage still unused
    expect(cf.totals!.remaining).toBe(known(l['28'] as never) - known(l['36'] as never) + 52_800_00);
  });

  it('with tax to absorb it, the oldest vintage is used first', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.elections.payrollElection = { elect: false };
    s.taxFacts = { ...s.taxFacts, regularTax: 100_000_00 as Cents, carryforwards: [{ vintage: '2023', amount: 40_000_00 as Cents }] };
    const r = computeStudy(law, s);
    const rows = r.schedules!['carryforward.federal']!.rows;
    const v2023 = rows.find((x) => x.cells.vintage === '2023')!;
    const v2025 = rows.find((x) => x.cells.vintage === '2025')!;
    expect(v2023.cells.used).toBe(40_000_00);
    // §38(c): room = net income tax − greater of TMT (0) and 25% of net regular tax above $25,000
    const room = 100_000_00 - Math.round((100_000_00 - 25_000_00) * 0.25);
    expect((v2023.cells.used as number) + (v2025.cells.used as number)).toBe(room);
  });
});

describe('pass-through entity in the pipeline (issue 8)', () => {
  it('an S corporation stops at line 30 and passes the credit to its two shareholders, exactly; §41(g) limits each', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.taxpayer.entityType = 's_corporation';
    s.elections.payrollElection = { elect: false };
    s.taxpayer.owners = [
      { id: 'ada', name: 'Ada Founder', entityType: 'individual', share: '2/3', facts: { taxAttributable: 1_000_000_00 as Cents } },
      { id: 'bo', name: 'Bo Founder', entityType: 'individual', share: '1/3', facts: { taxAttributable: 50_000_00 as Cents } },
    ];
    const r = computeStudy(law, s);
    const l = r.forms.f6765!.lines;
    const credit = known(r.federal.credit as never);
    expect(known(l['30'] as never)).toBe(credit);
    const owners = r.schedules!.owners!;
    const allocated = owners.rows.map((x) => x.cells.allocated as number);
    expect(allocated.reduce((a, b) => a + b, 0)).toBe(credit);
    const bo = owners.rows.find((x) => String(x.cells.owner ?? x.cells.path ?? '').includes('Bo'))!;
    // Bo's share (1/3 of the credit) is above the tax attributable to his share: §41(g) binds at $50,000
    expect(bo.cells.allowed).toBe(50_000_00);
    expect((bo.cells.allowed as number) + (bo.cells.carried as number)).toBe(bo.cells.allocated);
    // The entity has no §38(c) limit of its own: it is applied at the owners' level
    expect(r.schedules!['carryforward.federal']).toBeUndefined();
  });
});

describe('review fixes: the law where the pipeline meets the rules', () => {
  it('§41(d)(4)(F): a contract performed abroad and hours worked abroad leave the federal QREs', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.contracts = s.contracts.map((c) => ({ ...c, location: { country: 'IN' } }));
    const r = computeStudy(law, s);
    expect(known(r.qre.contract as never)).toBe(0);
    expect(r.notes.join(' ')).toMatch(/Foreign research excluded/);
    const t = structuredClone(studies['sawtooth-ml']!);
    const emp = t.time[0]!.employeeId;
    t.time = t.time.map((x) => (x.employeeId === emp ? { ...x, location: { country: 'CA' } } : x));
    const r2 = computeStudy(law, t);
    expect(r2.employees!.find((e) => e.id === emp)!.qualifiedWages).toBe(0);
  });

  it('§280C(c)(1): without the reduced-credit election the credit reduces the 2025 domestic R&E (full §174A reduction)', () => {
    const r = results['sawtooth-ml']!;
    const s174 = r.schedules!.s174!;
    const row = s174.rows.find((x) => x.cells.vintage === 'TY2025' && x.cells.kind === 'domestic')!;
    expect(r.federal.chosen.section280c).toBe(false);
    expect(s174.notes!.join(' ')).toMatch(/§280C\(c\)\(1\)/);
    // expensed = domestic R&E before the reduction − the full line 28 credit
    const before = Number(/from \$([\d,.]+)/.exec(s174.notes!.join(' '))![1]!.replace(/,/g, '')) * 100;
    expect(row.cells.expensed).toBe(Math.round(before) - known(r.forms.f6765!.lines['28'] as never));
  });

  it('line 35 counts the room taken by earlier carryforwards first', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.taxFacts = { ...s.taxFacts, regularTax: 200_000_00 as Cents, carryforwards: [{ vintage: '2022', amount: 52_800_00 as Cents }] };
    const r = computeStudy(law, s);
    const l = r.forms.f6765!.lines;
    const room = 200_000_00 - Math.round((200_000_00 - 25_000_00) * 0.25);
    expect(known(l['35'] as never)).toBe(known(l['28'] as never) - (room - 52_800_00));
  });

  it('credits received on a K-1 (line 29) reach the ledger', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.taxFacts = { ...s.taxFacts, passThroughCreditsReceived: [{ from: 'Lab JV LP', amount: 100_000_00 as Cents }] };
    const r = computeStudy(law, s);
    expect(known(r.forms.f6765!.lines['29'] as never)).toBe(100_000_00);
    expect(r.schedules!['carryforward.federal']!.totals!.remaining).toBe((results['sawtooth-ml']!.schedules!['carryforward.federal']!.totals!.remaining as number) + 100_000_00);
  });

  it('missing facts stay unknown: no carryforward list after credits were claimed; no filing date for Form 8974', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    delete s.taxFacts.carryforwards;
    const r = computeStudy(law, s);
    expect(r.schedules!['carryforward.federal']).toBeUndefined();
    expect(r.missing.join(' ')).toMatch(/taxFacts\.carryforwards/);
    const t = structuredClone(studies['sawtooth-ml']!);
    delete t.taxFacts.returnFiledDate;
    const r2 = computeStudy(law, t);
    expect(r2.missing).toContain('taxFacts.returnFiledDate');
    expect(r2.forms.f8974).toBeUndefined();
  });

  it('a malformed Idaho fact is reported, never read as 0', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.stateFacts = { ...s.stateFacts, ID: { ...s.stateFacts!.ID, credits_ahead_itcc: '20000' } };
    const r = computeStudy(law, s);
    expect(r.missing.join(' ')).toMatch(/credits_ahead_itcc/);
    expect(r.forms.id67!.lines['24h']!.kind).toBe('unknown');
  });
});

describe('§38(c)(6)(B) in a controlled group', () => {
  it('a group member needs its share of the $25,000 amount; with it, the room uses that share', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.elections.payrollElection = { elect: false };
    s.taxpayer.groupMembers = [{ id: 'labs', name: 'Sawtooth Labs LLC', inControlledGroup: true }];
    s.taxFacts = { ...s.taxFacts, regularTax: 100_000_00 as Cents, carryforwards: [] };
    const r = computeStudy(law, s);
    expect(r.missing.join(' ')).toMatch(/section38ThresholdShare/);
    s.taxFacts.section38ThresholdShare = 12_500_00 as Cents;
    const r2 = computeStudy(law, s);
    const used = r2.schedules!['carryforward.federal']!.totals!.used as number;
    expect(used).toBe(100_000_00 - Math.round((100_000_00 - 12_500_00) * 0.25));
  });
});

describe('§174 wages', () => {
  it('research expenditures take each person’s measured share: the 80% rule raises the credit’s wages, not the §174 amount', () => {
    const r = results['sawtooth-ml']!;
    const view = law.for(taxPeriod('2025-01-01', '2025-12-31'), {});
    let expected = 0;
    for (const e of computeEmployeeWages(view, studies['sawtooth-ml']!)) {
      if (e.result.kind !== 'known') continue;
      const v = e.result.value;
      expected += v.substantiallyAll ? applyRate(v.qualifiedWages, v.qualifiedShare) : v.qualifiedWages;
    }
    expect(expected).toBeLessThan(known(r.qre.wages as never));
    const node = findRule(r.explanations!.s174!, 'study.s174.wages')!;
    expect(node.value).toBe(formatCents(expected as Cents));
  });
});

describe('Form 6765 Section E and Form 67 page 2', () => {
  it('line 37 counts the components with QREs; line 38 is the officers’ qualified wages; 39–41 answer the study’s facts', () => {
    const r = results['sawtooth-ml']!;
    const l = r.forms.f6765!.lines;
    expect(known(l['37'] as never)).toBe(r.qre.byComponent.filter((c) => c.total > 0).length);
    const officers = studies['sawtooth-ml']!.employees.filter((e) => e.officer).map((e) => e.id);
    expect(officers.length).toBeGreaterThan(0);
    const expected = r.employees!.filter((e) => officers.includes(e.id)).reduce((t, e) => t + (e.qualifiedWages ?? 0), 0);
    expect(known(l['38'] as never)).toBe(Math.round(expected / 100) * 100);
    expect(l['39']!.kind === 'known' && l['39']!.value).toBe(false);
    // Gem State's article does not say: unknown, not "no"
    expect(results['gem-state-fabrication']!.forms.f6765!.lines['39']!.kind).toBe('unknown');
  });

  it('Form 67 page 2: Gem State’s 1984–88 history sets Part A (5%); Part C is the four-year average', () => {
    const l = results['gem-state-fabrication']!.forms.id67!.lines;
    expect(l.A!.kind).toBe('known');
    expect(l.B!.kind).toBe('na');
    expect(known(l.C as never)).toBe(15_000_000_00);
    expect(l.S2!.kind === 'known' && l.S2!.value).toBe(false);
  });

  it('the Idaho owner shares follow the federal split (an S corporation ignores a special allocation)', () => {
    const s = structuredClone(studies['gem-state-fabrication']!);
    s.taxpayer.entityType = 's_corporation';
    s.taxpayer.owners = [
      { id: 'a', name: 'A', entityType: 'individual', share: '0.5', specialAllocation: { share: '0.9', basis: 'side letter' } },
      { id: 'b', name: 'B', entityType: 'individual', share: '0.5' },
    ];
    const r = computeStudy(law, s);
    const id = r.schedules!['owners.id']!;
    const shares = id.rows.map((x) => x.cells.share as number);
    expect(shares[0]).toBe(shares[1]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(known(r.forms.id67!.lines['20'] as never));
  });
});

describe('controlled group basis (§41(f)(1)(A)(ii))', () => {
  it('basic research payments count in the allocation basis of the member that made them', () => {
    const s = structuredClone(studies['sawtooth-ml']!);
    s.taxpayer.groupMembers = [{ id: 'labs', name: 'Sawtooth Labs LLC', inControlledGroup: true }];
    s.basicResearch = [{ id: 'BR-1', organization: 'Boise State University', amount: 100_000_00 as Cents, cash: true, writtenAgreement: true }];
    const r = computeStudy(law, s);
    const rows = r.schedules!['group.allocation']!.rows;
    const self = rows.find((x) => x.cells.member === s.taxpayer.name)!;
    expect(self.cells.qre).toBe(r.qre.byComponent.reduce((t, c) => t + c.total, 0) + 100_000_00);
  });
});
