import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd } from '../../../../test/support/cases.js';
import { loadLaw } from '../../../law/index.js';
import { calendarYear } from '../../../periods/index.js';
import { dollars, type Cents } from '../../../money/index.js';
import { cv } from '../../../../test/support/val.js';
import { idahoLimitation, idahoOwnerShares, idahoUnitaryGroup, splitExpired, type Vintage } from './limitation.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./limitation.cases.yaml', import.meta.url));
const vint = (o: Record<string, number>): Vintage[] => Object.entries(o).map(([y, a]) => ({ year: Number(y), amount: usd(a) }));

describe('Idaho Form 67 lines 17–27 (case file)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const i = c.input as { earned: number; carry: Record<string, number>; tax: number; ahead: Record<string, number> };
      const r = idahoLimitation(law, {
        period: c.taxPeriod,
        earned: cv(usd(i.earned)),
        carryforwards: vint(i.carry),
        passesThrough: false,
        tax: usd(i.tax),
        creditsAhead: Object.fromEntries(Object.entries(i.ahead).map(([k, v]) => [k, usd(v)])),
      });
      const e = c.expected as Record<string, unknown>;
      for (const [k, want] of Object.entries(e)) {
        if (k === 'used') expect(r.used).toEqual(vint(want as Record<string, number>));
        else if (k === 'carry') expect(r.carryforward).toEqual(vint(want as Record<string, number>));
        else if (k === 'expired') expect(r.expired).toEqual(vint(want as Record<string, number>));
        else {
          const v = r.lines[k]!;
          expect(v.kind, `line ${k}`).toBe('known');
          expect((v as { value: Cents }).value, `line ${k}`).toBe(usd(want));
          expect(v.why.label).toMatch(new RegExp(`^Form 67 line ${k}:`));
        }
      }
    });
  }

  it('unknown tax makes the allowed credit unknown', () => {
    const r = idahoLimitation(law, { period: calendarYear(2024), earned: cv(dollars(100)), carryforwards: [], passesThrough: false, creditsAhead: {} });
    expect(r.lines['27']!.kind).toBe('unknown');
  });

  it('carryforward never uses an expired vintage, and used + carried + expired = available', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ year: fc.integer({ min: 2000, max: 2023 }), amount: fc.integer({ min: 1, max: 1_000_000 }) }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        (carry, earned, tax) => {
          const cf = carry.map((c) => ({ year: c.year, amount: dollars(c.amount) }));
          const r = idahoLimitation(law, { period: calendarYear(2024), earned: cv(dollars(earned)), carryforwards: cf, passesThrough: false, tax: dollars(tax), creditsAhead: {} });
          const sumOf = (v: Vintage[]) => v.reduce((a, x) => a + x.amount, 0);
          if (r.used.some((u) => 2024 - u.year > 14)) return false;
          if (r.carryforward.some((u) => 2024 - u.year > 14)) return false;
          const usable = splitExpired(cf, 2024, 14).usable;
          return sumOf(r.used) + sumOf(r.carryforward) === sumOf(usable) + dollars(earned) && sumOf(r.used) <= dollars(tax);
        },
      ),
    );
  });
});

describe('Idaho pass-through and unitary sharing', () => {
  it('a partnership distributes its credit (line 20) and owners get their shares (line 17)', () => {
    const r = idahoLimitation(law, { period: calendarYear(2024), earned: cv(dollars(10001)), carryforwards: [], passesThrough: true, tax: dollars(0), creditsAhead: {} });
    expect(r.lines['20']!.kind === 'known' && r.lines['20']!.value).toBe(dollars(10001));
    expect(r.lines['22']!.kind === 'known' && r.lines['22']!.value).toBe(0);
    const shares = idahoOwnerShares(r.lines['20']!, [
      { id: 'A', share: '1/3' },
      { id: 'B', share: '1/3' },
      { id: 'C', share: '1/3' },
    ]);
    const vals = shares.map((s) => (s.share.kind === 'known' ? s.share.value : -1));
    // 10,001 / 3 = 3,333.67: each gets 3,333 and the 2 dollars left go, by the shared largest-remainder
    // rule (the same as the federal owner split), to the equal remainders in owner-id order: A and B
    expect(vals.reduce((a, b) => a + b, 0)).toBe(dollars(10001));
    expect(vals).toEqual([dollars(3334), dollars(3334), dollars(3333)]);
  });

  it('owner shares that do not add up to 1 are unknown', () => {
    const s = idahoOwnerShares(cv(dollars(100)), [{ id: 'A', share: '0.5' }]);
    expect(s[0]!.share.kind).toBe('unknown');
  });

  it('unitary member shares what it cannot use, up to the recipient’s own limitation (Rule 721(02))', () => {
    const period = calendarYear(2024);
    const r = idahoUnitaryGroup(law, period, [
      { id: 'earner', earned: cv(dollars(50000)), carryforwards: [{ year: 2020, amount: dollars(10000) }], tax: dollars(20000), creditsAhead: {}, electsToShare: true },
      { id: 'sibling', earned: cv(dollars(0)), carryforwards: [], tax: dollars(25000), creditsAhead: { investment_tax_credit: dollars(5000) }, electsToShare: false },
    ]);
    expect(r.schedule.kind).toBe('known');
    if (r.schedule.kind !== 'known') return;
    const [e, s] = r.schedule.value;
    // earner: 60,000 available, 20,000 own use (2020 vintage 10,000 + 10,000 of 2024); sibling room 20,000
    expect(e!.usedOwn).toBe(dollars(20000));
    expect(e!.sharedOut).toEqual([{ year: 2024, amount: dollars(20000) }]);
    expect(e!.carryforward).toEqual([{ year: 2024, amount: dollars(20000) }]);
    expect(s!.received).toEqual([{ from: 'earner', amount: dollars(20000) }]);
    const sib = r.members['sibling']!;
    expect(sib.lines['18']!.kind === 'known' && sib.lines['18']!.value).toBe(dollars(20000));
    expect(sib.lines['27']!.kind === 'known' && sib.lines['27']!.value).toBe(dollars(20000));
    const ear = r.members['earner']!;
    expect(ear.lines['21']!.kind === 'known' && ear.lines['21']!.value).toBe(dollars(20000));
    expect(ear.lines['27']!.kind === 'known' && ear.lines['27']!.value).toBe(dollars(20000));
  });

  it('sharing vintage order: oldest first (default) versus newest first', () => {
    const period = calendarYear(2024);
    const members = (share: boolean) => [
      { id: 'e', earned: cv(dollars(5000)), carryforwards: [{ year: 2018, amount: dollars(5000) }], tax: dollars(0), creditsAhead: {}, electsToShare: share },
      { id: 'r', earned: cv(dollars(0)), carryforwards: [], tax: dollars(5000), creditsAhead: {}, electsToShare: false },
    ];
    const a = idahoUnitaryGroup(law, period, members(true));
    const b = idahoUnitaryGroup(law, period, members(true), { 'us.id.research.share_vintage_order': 'newest_first' });
    if (a.schedule.kind !== 'known' || b.schedule.kind !== 'known') throw new Error('unknown');
    expect(a.schedule.value[0]!.sharedOut).toEqual([{ year: 2018, amount: dollars(5000) }]);
    expect(a.schedule.value[0]!.carryforward).toEqual([{ year: 2024, amount: dollars(5000) }]);
    expect(b.schedule.value[0]!.sharedOut).toEqual([{ year: 2024, amount: dollars(5000) }]);
    expect(b.schedule.value[0]!.carryforward).toEqual([{ year: 2018, amount: dollars(5000) }]);
  });
});
