import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../test/support/cases.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { cents, dollars, type Cents } from '../../money/index.js';
import { given, type Known, type Val } from '../../explain/index.js';
import { allocateGroupCredit, allocatePayrollElection, largestRemainder, type AllocationMember } from './irc41f-allocate.js';
import { aggregateGroup, type GroupMemberFacts } from './irc41f-group.js';
import { adjustHistoryForTransfers, type BusinessTransfer } from './irc41f-acquisitions.js';

const law = loadLaw();
const amountVal = (c: Cents): Known<Cents> => ({ kind: 'known', value: c, why: given('group credit', c, 'test') });

type M = { id: string; qre: number | string; brp: number; energy: number; consolidated?: Record<string, number> };
const toMembers = (ms: M[]): AllocationMember[] =>
  ms.map((m) => ({
    id: m.id,
    qre: usd(m.qre),
    basicResearchPayments: usd(m.brp),
    energyConsortiumAmounts: usd(m.energy),
    ...(m.consolidated ? { consolidatedMembers: Object.entries(m.consolidated).map(([id, q]) => ({ id, qre: usd(q) })) } : {}),
  }));

describe('§41(f)(1) allocation of the group credit', () => {
  const { cases } = loadCases(new URL('./irc41f-allocate.cases.yaml', import.meta.url));
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as { amount: number | string; members: M[] };
      const r = allocateGroupCredit(law.for(c.taxPeriod), amountVal(usd(i.amount)), toMembers(i.members));
      if (c.expected === 'na') {
        expect(r.kind).toBe('na');
        return;
      }
      expect(r.kind).toBe('known');
      if (r.kind !== 'known') return;
      const got: Record<string, Cents> = {};
      for (const m of r.value.members) {
        got[m.id] = m.amount;
        for (const s of m.consolidated ?? []) got[s.id] = s.amount;
      }
      const want = Object.fromEntries(Object.entries(c.expected as Record<string, number | string>).map(([k, v]) => [k, usd(v)]));
      expect(got).toEqual(want);
      expect(r.why.params.map((p) => p.id)).toContain('us.federal.irc41f.allocation_basis');
    });
  }

  it('payroll election amount is allocated on the same basis and cites §41(h)(5)(B)', () => {
    const ms = toMembers([
      { id: 'A', qre: 750000, brp: 0, energy: 0 },
      { id: 'B', qre: 250000, brp: 0, energy: 0 },
    ]);
    const r = allocatePayrollElection(law.for(calendarYear(2025)), amountVal(dollars(500000)), ms);
    expect(r.kind).toBe('known');
    if (r.kind !== 'known') return;
    expect(r.value.members.map((m) => m.amount)).toEqual([dollars(375000), dollars(125000)]);
    expect(r.why.citation.map((x) => x.pinpoint)).toContain('(h)(5)(B)');
  });

  it('an unknown member QRE makes the allocation unknown', () => {
    const ms: AllocationMember[] = [{ id: 'A', qre: undefined, basicResearchPayments: cents(0), energyConsortiumAmounts: cents(0) }];
    const r = allocateGroupCredit(law.for(calendarYear(2025)), amountVal(dollars(1)), ms);
    expect(r.kind).toBe('unknown');
    if (r.kind === 'unknown') expect(r.missing).toEqual(['members.A.qre']);
  });

  it('an unknown group credit stays unknown', () => {
    const credit: Val<Cents> = { kind: 'unknown', missing: ['x'], why: given('x', undefined, 'test') };
    const r = allocateGroupCredit(law.for(calendarYear(2025)), credit, toMembers([{ id: 'A', qre: 1, brp: 0, energy: 0 }]));
    expect(r.kind).toBe('unknown');
  });

  it('property: allocations sum exactly to the credit, are non-negative, within one cent of the exact share, and zero for zero weight', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000_000_00 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000_000_00 }), fc.integer({ min: 0, max: 1_000_000_00 }), fc.integer({ min: 0, max: 1_000_000 })), { minLength: 1, maxLength: 12 }),
        (credit, ws) => {
          const ms: AllocationMember[] = ws.map(([q, b, e], k) => ({ id: `m${String(k).padStart(2, '0')}`, qre: cents(q), basicResearchPayments: cents(b), energyConsortiumAmounts: cents(e) }));
          const r = allocateGroupCredit(law.for(calendarYear(2025)), amountVal(cents(credit)), ms);
          if (r.kind !== 'known') return false;
          const total = ws.reduce((t, [q, b, e]) => t + BigInt(q + b + e), 0n);
          let s = 0;
          for (const [k, m] of r.value.members.entries()) {
            const [q, b, e] = ws[k]!;
            const w = BigInt(q + b + e);
            if (m.amount < 0) return false;
            s += m.amount;
            if (total === 0n) {
              if (m.amount !== 0) return false;
              continue;
            }
            if (w === 0n && m.amount !== 0) return false;
            // |amount × total − credit × w| < total  ⇔  within one cent of the exact share
            const diff = BigInt(m.amount) * total - BigInt(credit) * w;
            if ((diff < 0n ? -diff : diff) >= total) return false;
          }
          return total === 0n ? s === 0 : s === credit;
        },
      ),
    );
  });

  it('largestRemainder refuses negative inputs (programmer error)', () => {
    expect(() => largestRemainder(cents(-1), [['a', 1n]])).toThrow(RangeError);
    expect(() => largestRemainder(cents(1), [['a', -1n]])).toThrow(RangeError);
  });
});

describe('§41(f)(1) aggregation of the group', () => {
  const { cases } = loadCases(new URL('./irc41f-group.cases.yaml', import.meta.url));
  for (const c of cases) {
    it(c.name, () => {
      type In = { id: string; qre: number; brp: number; energy: number; icr?: number; gr?: Record<string, number>; igr?: Record<string, number> };
      const i = c.input as { members: In[] };
      const members: GroupMemberFacts[] = i.members.map((m) => ({
        id: m.id,
        qre: usd(m.qre),
        basicResearchPayments: usd(m.brp),
        energyConsortiumAmounts: usd(m.energy),
        ...(m.icr !== undefined ? { intraGroupContractResearch: usd(m.icr) } : {}),
        ...(m.gr ? { grossReceiptsByYear: Object.fromEntries(Object.entries(m.gr).map(([k, v]) => [k, usd(v)])) } : {}),
        ...(m.igr ? { intraGroupReceiptsByYear: Object.fromEntries(Object.entries(m.igr).map(([k, v]) => [k, usd(v)])) } : {}),
      }));
      const r = aggregateGroup(law.for(c.taxPeriod, c.options ?? {}), members);
      const e = c.expected as { qre: number; brp: number; energy: number; gr: Record<string, number | 'unknown'>; memberQre: Record<string, number> };
      expect(r.current.kind).toBe('known');
      if (r.current.kind !== 'known') return;
      expect(r.current.value.qre).toBe(usd(e.qre));
      expect(r.current.value.basicResearchPayments).toBe(usd(e.brp));
      expect(r.current.value.energyConsortiumAmounts).toBe(usd(e.energy));
      expect(Object.fromEntries(r.current.value.members.map((m) => [m.id, m.qre]))).toEqual(Object.fromEntries(Object.entries(e.memberQre).map(([k, v]) => [k, usd(v)])));
      for (const [y, v] of Object.entries(e.gr)) {
        const g = r.grossReceiptsByYear[y]!;
        if (v === 'unknown') {
          expect(g.kind).toBe('unknown');
          if (g.kind === 'unknown') expect(g.missing.join()).toMatch(/members\.B\.grossReceiptsByYear/);
        } else {
          expect(g.kind).toBe('known');
          if (g.kind === 'known') expect(g.value).toBe(usd(v));
        }
      }
      expect(r.current.why.flags.map((f) => f.option)).toContain('us.federal.irc41f.intra_group_transactions');
    });
  }

  it('each elimination is explained', () => {
    const r = aggregateGroup(law.for(calendarYear(2025)), [
      { id: 'A', qre: dollars(100), basicResearchPayments: cents(0), energyConsortiumAmounts: cents(0), intraGroupContractResearch: dollars(65) },
    ]);
    expect(r.current.why.notes.join('\n')).toMatch(/A: \$65\.00 of contract research QREs .* disregarded/);
  });

  it('an elimination larger than the amount is flagged as bad data, not clamped', () => {
    const r = aggregateGroup(law.for(calendarYear(2025)), [
      { id: 'A', qre: dollars(10), basicResearchPayments: cents(0), energyConsortiumAmounts: cents(0), intraGroupContractResearch: dollars(65) },
    ]);
    expect(r.current.kind).toBe('unknown');
  });

  it('prior-year QREs: contract research paid to members is eliminated by year', () => {
    const r = aggregateGroup(law.for(calendarYear(2025)), [
      { id: 'A', qre: cents(0), basicResearchPayments: cents(0), energyConsortiumAmounts: cents(0), qreByYear: { '2024': dollars(1000) }, intraGroupContractResearchByYear: { '2024': dollars(65) } },
      { id: 'B', qre: cents(0), basicResearchPayments: cents(0), energyConsortiumAmounts: cents(0), qreByYear: { '2024': dollars(500) } },
    ]);
    expect(r.qreByYear['2024']).toMatchObject({ kind: 'known', value: dollars(1435) });
  });

  it('an unknown member QRE is unknown for the group', () => {
    const r = aggregateGroup(law.for(calendarYear(2025)), [{ id: 'A', qre: undefined, basicResearchPayments: cents(0), energyConsortiumAmounts: cents(0) }]);
    expect(r.current.kind).toBe('unknown');
  });
});

describe('§41(f)(3) acquisitions and dispositions', () => {
  const { cases } = loadCases(new URL('./irc41f-acquisitions.cases.yaml', import.meta.url));
  type Y = { start: string; end: string; qre: number; gr: number; fbp?: boolean };
  type X = { id: string; kind: 'acquisition' | 'disposition'; date: string; informationFurnished?: boolean; reimbursement?: number; years: Y[] };
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as { history: Y[]; transfers: X[] };
      const transfers: BusinessTransfer[] = i.transfers.map((x) => ({
        id: x.id,
        kind: x.kind,
        date: x.date,
        counterparty: 'counterparty',
        ...(x.informationFurnished !== undefined ? { informationFurnished: x.informationFurnished } : {}),
        ...(x.reimbursement !== undefined ? { reimbursementInCreditYear: usd(x.reimbursement) } : {}),
        businessYears: x.years.map((y) => ({ period: { start: y.start, end: y.end }, qre: usd(y.qre), grossReceipts: usd(y.gr) })),
      }));
      const out = adjustHistoryForTransfers(law.for(c.taxPeriod), {
        creditPeriod: c.taxPeriod,
        history: i.history.map((h) => ({ period: { start: h.start, end: h.end }, qre: usd(h.qre), grossReceipts: usd(h.gr), fixedBaseYear: h.fbp ?? false })),
        transfers,
      });
      const exp = c.expected as { start: string; add: number; qre: number; qreFbp?: number; gr: number }[];
      expect(out.map((y) => y.period.start)).toEqual(exp.map((e) => e.start));
      for (const [k, e] of exp.entries()) {
        const y = out[k]!;
        const add = y.adjustments.reduce((t, a) => t + a.qre, 0);
        expect(add).toBe(usd(e.add));
        expect(y.qre).toMatchObject({ kind: 'known', value: usd(e.qre) });
        expect(y.grossReceipts).toMatchObject({ kind: 'known', value: usd(e.gr) });
        expect(y.qreForFixedBase).toMatchObject({ kind: 'known', value: usd(e.qreFbp ?? e.qre) });
      }
    });
  }

  it('TC-12 explanation names the day fraction', () => {
    const out = adjustHistoryForTransfers(law.for(calendarYear(2025)), {
      creditPeriod: calendarYear(2025),
      history: [{ period: { start: '2024-01-01', end: '2024-12-31' }, qre: cents(0), grossReceipts: cents(0) }],
      transfers: [{ id: 'T', kind: 'acquisition', date: '2025-10-02', counterparty: 'P', businessYears: [{ period: { start: '2024-01-01', end: '2024-12-31' }, qre: dollars(730000), grossReceipts: cents(0) }] }],
    });
    expect(out[0]!.qre.why.notes.join()).toMatch(/91\/365/);
  });

  it('disposition without the information-furnished fact is unknown', () => {
    const out = adjustHistoryForTransfers(law.for(calendarYear(2025)), {
      creditPeriod: calendarYear(2025),
      history: [{ period: { start: '2024-01-01', end: '2024-12-31' }, qre: dollars(5), grossReceipts: dollars(5) }],
      transfers: [{ id: 'D', kind: 'disposition', date: '2025-03-01', counterparty: 'Q', businessYears: [{ period: { start: '2024-01-01', end: '2024-12-31' }, qre: dollars(1), grossReceipts: dollars(1) }] }],
    });
    expect(out[0]!.qre.kind).toBe('unknown');
    if (out[0]!.qre.kind === 'unknown') expect(out[0]!.qre.missing).toEqual(['transfers.D.informationFurnished']);
  });

  it('unknown predecessor amounts make only the years they touch unknown', () => {
    const out = adjustHistoryForTransfers(law.for(calendarYear(2025)), {
      creditPeriod: calendarYear(2025),
      history: [
        { period: { start: '2023-01-01', end: '2023-12-31' }, qre: dollars(5), grossReceipts: dollars(5) },
        { period: { start: '2024-01-01', end: '2024-12-31' }, qre: dollars(5), grossReceipts: dollars(5) },
      ],
      transfers: [{ id: 'T', kind: 'acquisition', date: '2025-01-01', counterparty: 'P', businessYears: [{ period: { start: '2024-01-01', end: '2024-12-31' }, qre: undefined, grossReceipts: dollars(1) }] }],
    });
    expect(out[0]!.qre.kind).toBe('known');
    expect(out[1]!.qre.kind).toBe('unknown');
    expect(out[1]!.grossReceipts).toMatchObject({ kind: 'known', value: dollars(6) });
  });

  it('a history year overlapping the credit year is a programmer error', () => {
    expect(() =>
      adjustHistoryForTransfers(law.for(calendarYear(2025)), { creditPeriod: calendarYear(2025), history: [{ period: { start: '2025-01-01', end: '2025-12-31' }, qre: cents(0), grossReceipts: cents(0) }], transfers: [] }),
    ).toThrow(RangeError);
  });

  it('property: acquirer addition equals disposer reduction, and never exceeds the business amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_00 }), fc.integer({ min: 0, max: 364 }), (amt, dayIdx) => {
        const date = new Date(Date.UTC(2025, 0, 1 + dayIdx)).toISOString().slice(0, 10);
        const run = (kind: 'acquisition' | 'disposition') =>
          adjustHistoryForTransfers(law.for(calendarYear(2025)), {
            creditPeriod: calendarYear(2025),
            history: [{ period: { start: '2024-01-01', end: '2024-12-31' }, qre: cents(amt), grossReceipts: cents(amt) }],
            transfers: [{ id: 'T', kind, date, counterparty: 'P', informationFurnished: true, businessYears: [{ period: { start: '2024-01-01', end: '2024-12-31' }, qre: cents(amt), grossReceipts: cents(0) }] }],
          })[0]!;
        const a = run('acquisition');
        const d = run('disposition');
        const add = a.adjustments[0]?.qre ?? 0;
        const less = d.adjustments[0]?.qre ?? 0;
        return add === -less && add >= 0 && add <= amt;
      }),
    );
  });
});
