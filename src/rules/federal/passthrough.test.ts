import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCases, usd, type Case } from '../../../test/support/cases.js';
import { cv } from '../../../test/support/val.js';
import { loadLaw } from '../../law/index.js';
import { calendarYear } from '../../periods/index.js';
import { cents, dollars, sum, type Cents } from '../../money/index.js';
import type { Val } from '../../explain/index.js';
import { sectionD } from './payroll.js';
import type { EntityType } from './gross-receipts-tests.js';
import { computePassThrough, ownerShares, allocateToOwners, passThroughEntity, type OwnerInput, type OwnerAllocation } from './passthrough.js';

const law = loadLaw();
const { cases } = loadCases(new URL('./passthrough.cases.yaml', import.meta.url));

type Raw = Record<string, unknown>;

function ownerFrom(o: Raw): OwnerInput {
  const f = (o.facts ?? undefined) as Raw | undefined;
  const money = (k: string) => (f && f[k] !== undefined ? { [k]: usd(f[k]) } : {});
  const out: OwnerInput = {
    id: String(o.id),
    name: String(o.name),
    entityType: o.type as OwnerInput['entityType'],
    share: String(o.share),
    ...(o.special ? { specialAllocation: o.special as { share: string; basis: string } } : {}),
    ...(o.owners ? { owners: (o.owners as Raw[]).map(ownerFrom) } : {}),
  };
  if (f)
    out.facts = {
      ...money('taxAttributable'),
      ...money('regularTax'),
      ...money('tentativeMinimumTax'),
      ...money('priorCredits'),
      ...money('priorYearRoom'),
      ...(f.carryforwards ? { carryforwards: (f.carryforwards as Raw[]).map((c) => ({ vintage: String(c.vintage), amount: usd(c.amount) })) } : {}),
    };
  return out;
}

function run(c: Case) {
  const i = c.input as Raw;
  const entity = i.entity as { name: string; type: EntityType };
  const view = law.for(c.taxPeriod, c.options ?? {});
  const line28 = cv(usd(i.line28), 'line28');
  const p = i.payroll as Raw | undefined;
  const sd = p
    ? sectionD(view, { entityType: entity.type, qsb: p.qsb as boolean, priorElectionYears: p.priorElectionYears as number, line28: usd(i.line28), requested: usd(p.requested) })
    : undefined;
  return computePassThrough(law, {
    period: c.taxPeriod,
    ...(c.options ? { options: c.options } : {}),
    name: entity.name,
    entityType: entity.type,
    line28,
    ...(i.section280c !== undefined ? { section280c: i.section280c as boolean } : {}),
    ...(i.received ? { creditsReceived: (i.received as Raw[]).map((r) => ({ from: String(r.from), amount: usd(r.amount) })) } : {}),
    ...(sd ? { sectionD: sd } : {}),
    owners: ((i.owners ?? []) as Raw[]).map(ownerFrom),
  });
}

function expectVal(v: Val<unknown>, want: unknown, what: string) {
  if (want === 'na') expect(v.kind, what).toBe('na');
  else if (want === 'unknown') expect(v.kind, what).toBe('unknown');
  else {
    expect(v.kind, `${what}: ${v.kind === 'unknown' ? v.missing.join(', ') : v.kind === 'na' ? v.reason : ''}`).toBe('known');
    if (v.kind === 'known') expect(v.value, what).toBe(usd(want));
  }
}

describe('pass-through entities and their owners (worked cases)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c);
      const e = c.expected as Raw;
      expect(r.entity.kind).toBe('known');
      if (r.entity.kind !== 'known') return;
      const ent = r.entity.value;
      for (const [n, want] of Object.entries((e.lines ?? {}) as Raw)) expectVal(ent.lines[n]!, want, `line ${n}`);
      if (e.toOwners !== undefined) expectVal(ent.toOwners, e.toOwners, 'to owners');
      if (e.retained !== undefined) expectVal(ent.retained, e.retained, 'retained');
      if (e.payrollElected !== undefined) expect(ent.payrollElected).toBe(e.payrollElected);
      if (e.k1 !== undefined) expect(ent.reporting.kind === 'known' && ent.reporting.value.text).toBe(e.k1);
      for (const [path, want] of Object.entries((e.rows ?? {}) as Record<string, Raw>)) {
        const row = r.owners!.rows.find((x) => x.pathText === path);
        expect(row, `row ${path}`).toBeDefined();
        for (const [k, w] of Object.entries(want)) {
          const what = `${path}: ${k}`;
          if (k === 'treatment' || k === 'basis' || k === 'received') expect(row![k], what).toBe(w);
          else if (k === 'carryforward') {
            expect(row!.carryforward.kind, what).toBe('known');
            if (row!.carryforward.kind === 'known') expect(row!.carryforward.value.map((v) => [v.vintage, v.amount])).toEqual((w as [string, unknown][]).map(([a, b]) => [a, usd(b)]));
          } else expectVal(row![k as keyof OwnerAllocation] as Val<unknown>, w, what);
        }
      }
      for (const [k, w] of Object.entries((e.totals ?? {}) as Raw)) expect(r.schedule!.totals![k], `total ${k}`).toBe(w === null ? null : usd(w));
      for (const m of (e.missing ?? []) as string[]) expect(r.missing).toContain(m);
      for (const f of (e.flags ?? []) as string[]) expect(r.flags.map((x) => x.option)).toContain(f);
    });
  }
});

const Y = calendarYear(2025);
const view = law.for(Y);

describe('pass-through rules', () => {
  it('a C corporation does not pass the credit through', () => {
    const r = passThroughEntity(view, { entityType: 'c_corporation', name: 'Acme', line28: cv(dollars(10)) });
    expect(r.kind).toBe('na');
  });

  it('an unknown line 28 makes the owners\' shares unknown, with what is missing', () => {
    const r = computePassThrough(law, { period: Y, name: 'X LP', entityType: 'partnership', line28: cv(undefined, 'taxFacts.line27'), owners: [{ id: 'a', name: 'A', entityType: 'individual', share: '1', facts: { taxAttributable: dollars(5) } }] });
    expect(r.entity.kind === 'known' && r.entity.value.toOwners.kind).toBe('unknown');
    expect(r.owners!.rows[0]!.allocated.kind).toBe('unknown');
    expect(r.missing).toContain('taxFacts.line27');
  });

  it('an intermediate pass-through without owners is flagged as missing, not dropped', () => {
    const r = computePassThrough(law, { period: Y, name: 'Fund LP', entityType: 'partnership', line28: cv(dollars(1000)), owners: [{ id: 's', name: 'S corp', entityType: 's_corporation', share: '1' }] });
    expect(r.missing).toContain('owners.s.owners');
    expect(r.owners!.rows[0]!.treatment).toBe('passes_through');
  });

  it('a C corporation owner without its subpart A/B credits: §38(c) room unknown', () => {
    const r = computePassThrough(law, { period: Y, name: 'Fund LP', entityType: 'partnership', line28: cv(dollars(1000)), owners: [{ id: 'acme', name: 'Acme', entityType: 'c_corporation', share: '1', facts: { regularTax: dollars(100), tentativeMinimumTax: dollars(0) } }] });
    const row = r.owners!.rows[0]!;
    expect(row.limit.kind).toBe('unknown');
    expect(r.missing).toContain('owners.acme.facts.priorCredits');
  });

  it('an estate that is itself a partner keeps the part it does not apportion; fiduciary option both ways', () => {
    const owners: OwnerInput[] = [
      {
        id: 'tr',
        name: 'Family Trust',
        entityType: 'estate_or_trust',
        share: '1',
        facts: { taxAttributable: dollars(100), regularTax: dollars(100_000), tentativeMinimumTax: dollars(0), priorCredits: dollars(0) },
        owners: [{ id: 'kid', name: 'Kid', entityType: 'individual', share: '0.6', facts: { taxAttributable: dollars(100_000) } }],
      },
    ];
    const base = { period: Y, name: 'Fund LP', entityType: 'partnership' as const, line28: cv(dollars(10_000)), owners };
    const lit = computePassThrough(law, base);
    const kept = lit.owners!.rows.find((x) => x.pathText === 'Fund LP > Family Trust > (retained)')!;
    expect(kept.allocated.kind === 'known' && kept.allocated.value).toBe(dollars(4_000));
    expect(kept.treatment).toBe('section_38c');
    // non-corporate §38(c): 100,000 − max(0, 25% × 75,000) = 81,250 ≥ 4,000
    expect(kept.allowed.kind === 'known' && kept.allowed.value).toBe(dollars(4_000));
    expect(lit.flags.map((f) => f.option)).toContain('us.federal.irc41g.fiduciary_owner');
    const as41g = computePassThrough(law, { ...base, options: { 'us.federal.irc41g.fiduciary_owner': 'section_41g' } });
    const k2 = as41g.owners!.rows.find((x) => x.pathText === 'Fund LP > Family Trust > (retained)')!;
    expect(k2.treatment).toBe('section_41g');
    expect(k2.allowed.kind === 'known' && k2.allowed.value).toBe(dollars(100));
    expect(k2.carried.kind === 'known' && k2.carried.value).toBe(dollars(3_900));
    const kid = as41g.owners!.rows.find((x) => x.pathText === 'Fund LP > Family Trust > Kid')!;
    expect(kid.allocated.kind === 'known' && kid.allocated.value).toBe(dollars(6_000));
  });

  it('an expired carryforward is not used (20 years, §39(a)(1)(B))', () => {
    const r = computePassThrough(law, {
      period: Y,
      name: 'X LP',
      entityType: 'partnership',
      line28: cv(dollars(100)),
      owners: [{ id: 'a', name: 'A', entityType: 'individual', share: '1', facts: { taxAttributable: dollars(1_000), carryforwards: [{ vintage: '2004', amount: dollars(500) }, { vintage: '2010', amount: dollars(300) }] } }],
    });
    const row = r.owners!.rows[0]!;
    // 2004 + 20 = 2024 < 2025: expired; 2010 used (300), then 100 current → 400 allowed
    expect(row.allowed.kind === 'known' && row.allowed.value).toBe(dollars(400));
    expect(row.notes.join(' ')).toMatch(/expired/);
  });

  it('whole-dollar unit: every tier in whole dollars, still adding up', () => {
    const r = ownerShares(view, 'partnership', [{ id: 'a', share: '1/3' }, { id: 'b', share: '1/3' }, { id: 'c', share: '1/3' }], dollars(100), { unit: 'dollar' });
    expect(r.kind).toBe('known');
    if (r.kind !== 'known') return;
    expect(r.value.rows.map((x) => x.amount)).toEqual([dollars(34), dollars(33), dollars(33)]);
    // $100.05: dollars 34/33/33 (the odd dollar to the first id), then 5 cents as 2/2/1
    const odd = ownerShares(view, 'partnership', [{ id: 'a', share: '1/3' }, { id: 'b', share: '1/3' }, { id: 'c', share: '1/3' }], cents(10_005), { unit: 'dollar' });
    expect(odd.kind === 'known' && odd.value.rows.map((x) => x.amount)).toEqual([cents(3_402), cents(3_302), cents(3_301)]);
  });

  it('unreadable shares and repeated ids are unknown inputs, named', () => {
    const a = ownerShares(view, 'partnership', [{ id: 'a', share: 'half' }, { id: 'b', share: '0.5' }], dollars(10));
    expect(a.kind === 'unknown' && a.missing[0]).toMatch(/owners\.a\.share/);
    const b = ownerShares(view, 'partnership', [{ id: 'a', share: '0.5' }, { id: 'a', share: '0.5' }], dollars(10));
    expect(b.kind === 'unknown' && b.missing[0]).toMatch(/given twice/);
  });
});

describe('owner schedule', () => {
  it('one row per owner at every tier; n/a cells left out, unknown cells null; totals over the owners who keep the credit', () => {
    const r = computePassThrough(law, {
      period: Y,
      name: 'Fund LP',
      entityType: 'partnership',
      line28: cv(dollars(1_000)),
      owners: [
        { id: 's', name: 'S corp', entityType: 's_corporation', share: '0.5', owners: [{ id: 'ada', name: 'Ada', entityType: 'individual', share: '1', facts: { taxAttributable: dollars(200) } }] },
        { id: 'lin', name: 'Lin', entityType: 'individual', share: '0.5' },
      ],
    });
    const s = r.schedule!;
    expect(s.id).toBe('owners');
    expect(s.rows.map((x) => x.cells.owner)).toEqual(['Fund LP > S corp', 'Fund LP > S corp > Ada', 'Fund LP > Lin']);
    const [sc, ada, lin] = s.rows.map((x) => x.cells);
    expect('limit' in sc!).toBe(false); // passes through: the limit does not apply
    expect(sc!.allocated).toBe(dollars(500));
    expect(ada!.allowed).toBe(dollars(200));
    expect(ada!.carried).toBe(dollars(300));
    expect(ada!.carryforward).toBe('TY2025: $300.00');
    expect(ada!.received).toBe('Schedule K-1 (Form 1120-S) box 13, code M');
    expect(lin!.limit).toBeNull();
    expect(s.totals).toEqual({ allocated: dollars(1_000), allowed: null, carried: null });
    expect(s.notes!.join(' ')).toMatch(/owners\.lin\.facts\.taxAttributable/);
  });
});

// ---------- properties ----------

/** Random shares that add up to exactly 1: integer parts over their sum. */
const sharesArb = (n: number) => fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }).filter((a) => a.some((x) => x > 0)).map((parts) => {
  const t = parts.reduce((s, x) => s + x, 0);
  return parts.map((p) => `${p}/${t}`);
});

interface TreeSpec {
  kind: 'individual' | 'c_corporation' | 's_corporation' | 'partnership';
  children: TreeSpec[];
  tax: number;
}
const leafArb: fc.Arbitrary<TreeSpec> = fc.record({ kind: fc.constantFrom('individual' as const, 'c_corporation' as const), children: fc.constant([]), tax: fc.integer({ min: 0, max: 5_000_000 }) });
const treeArb: fc.Arbitrary<TreeSpec[]> = fc.letrec<{ node: TreeSpec; list: TreeSpec[] }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, fc.record({ kind: fc.constantFrom('s_corporation' as const, 'partnership' as const), children: tie('list'), tax: fc.constant(0) })),
  list: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
})).list;

function build(specs: TreeSpec[], shares: string[][], prefix: string, k: { i: number }): OwnerInput[] {
  const mine = shares[k.i++ % shares.length]!;
  return specs.map((s, j) => {
    const id = `${prefix}${j}`;
    const share = mine.length === specs.length ? mine[j]! : `1/${specs.length}`;
    const o: OwnerInput = { id, name: `N${id}`, entityType: s.kind, share };
    if (s.kind === 's_corporation' || s.kind === 'partnership') o.owners = build(s.children, shares, `${id}_`, k);
    else if (s.kind === 'individual') o.facts = { taxAttributable: cents(s.tax) };
    else o.facts = { regularTax: cents(s.tax), tentativeMinimumTax: cents(0), priorCredits: cents(0) };
    return o;
  });
}

describe('pass-through properties', () => {
  it('owner shares always add up exactly to the amount split (cents and dollars; an estate keeps the rest)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(sharesArb(n + 1), fc.integer({ min: 0, max: 2_000_000_000 }), fc.constantFrom<EntityType>('partnership', 's_corporation', 'estate_or_trust'), fc.boolean())),
        ([sh, amt, type, dollarsUnit]) => {
          // an estate's beneficiaries get all but the last share, which the estate keeps
          const owners = (type === 'estate_or_trust' ? sh.slice(0, -1) : sh).map((s, i) => ({ id: `o${i}`, share: s }));
          const amount = cents(amt);
          const r = ownerShares(view, type, owners, amount, { unit: dollarsUnit ? 'dollar' : 'cent' });
          if (r.kind !== 'known') return false;
          const total = sum([...r.value.rows.map((x) => x.amount), r.value.retained?.amount ?? cents(0)]);
          // whole dollars when asked for and the amount is whole dollars
          const unitOk = r.value.rows.every((x) => (dollarsUnit && amount % 100 === 0 ? x.amount % 100 === 0 : true));
          // each part is within one unit (a dollar plus a cent of odd cents, or a cent) of its exact pro rata amount
          const unit = dollarsUnit ? 101n : 1n;
          const close = r.value.rows.every((x) => {
            const exact = (BigInt(amount) * x.ratio.num) / x.ratio.den;
            const d = BigInt(x.amount) - exact;
            return d > -unit && d <= unit;
          });
          return total === amount && unitOk && close && r.value.rows.every((x) => x.amount >= 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tiered trees: at every tier the owners\' shares add up to what their parent received; allowed ≤ allocated; allowed + carried = allocated', () => {
    fc.assert(
      fc.property(treeArb, fc.array(sharesArb(3), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 500_000_000 }), fc.constantFrom<'cent' | 'dollar'>('cent', 'dollar'), (spec, shares, amt, unit) => {
        const topShares = spec.map((_, j) => `1/${spec.length}`);
        const owners = build(spec, [topShares, ...shares], 't', { i: 1 }).map((o, j) => ({ ...o, share: topShares[j]! }));
        const amount = unit === 'dollar' ? dollars(Math.floor(amt / 100)) : cents(amt);
        const res = allocateToOwners(law, { period: Y, entity: { name: 'Top', entityType: 'partnership' }, amount: cv(amount), owners, unit });
        const known = (v: Val<Cents>) => (v.kind === 'known' ? v.value : undefined);
        // children of each node add up to the node
        const byParent = new Map<string, OwnerAllocation[]>();
        for (const r of res.rows) {
          const parent = r.path.slice(0, -1).join(' > ');
          byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
        }
        for (const [parent, kids] of byParent) {
          const total = parent === 'Top' ? amount : known(res.rows.find((x) => x.pathText === parent)!.allocated);
          if (total === undefined) return false;
          if (sum(kids.map((k) => known(k.allocated)!)) !== total) return false;
        }
        for (const r of res.rows) {
          if (r.treatment === 'passes_through') continue;
          const a = known(r.allocated)!;
          const ac = known(r.allowedCurrent);
          const c = known(r.carried);
          const al = known(r.allowed);
          const lim = known(r.limit);
          if (ac === undefined || c === undefined || al === undefined || lim === undefined) return false;
          if (!(ac <= a && al <= lim && ac + c === a && al === ac)) return false; // no carryforwards in this tree: allowed = allowed from this year
        }
        const leaves = res.rows.filter((r) => r.treatment !== 'passes_through');
        return sum(leaves.map((r) => known(r.allocated)!)) === amount;
      }),
      { numRuns: 200 },
    );
  });

  it('with earlier unused amounts: allowed ≤ the limit and ≤ allocated + carryforwards; allowedCurrent + carried = allocated', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.tuple(fc.integer({ min: 2006, max: 2024 }), fc.integer({ min: 1, max: 3_000_000 })), { maxLength: 3 }), (alloc, tax, cfs) => {
        const uniq = [...new Map(cfs.map(([y, a]) => [y, a])).entries()];
        const res = allocateToOwners(law, {
          period: Y,
          entity: { name: 'Top', entityType: 'partnership' },
          amount: cv(cents(alloc)),
          owners: [{ id: 'a', name: 'A', entityType: 'individual', share: '1', facts: { taxAttributable: cents(tax), carryforwards: uniq.map(([y, a]) => ({ vintage: String(y), amount: cents(a) })) } }],
        });
        const r = res.rows[0]!;
        if (r.allowed.kind !== 'known' || r.allowedCurrent.kind !== 'known' || r.carried.kind !== 'known' || r.carryforward.kind !== 'known') return false;
        const opening = sum(uniq.map(([, a]) => cents(a)));
        const closing = sum(r.carryforward.value.map((v) => v.amount));
        return r.allowed.value <= tax && r.allowed.value <= alloc + opening && r.allowedCurrent.value + r.carried.value === alloc && closing <= alloc + opening - r.allowed.value;
      }),
      { numRuns: 300 },
    );
  });
});
