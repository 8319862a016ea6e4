/**
 * The owners' side of a pass-through research credit, tier by tier (federal.md §8.3; §41(g)).
 *
 * Each owner's share comes from `ownerShares` (the same split the Idaho flow uses). Then, by owner:
 *  - a partnership, S corporation, estate or trust that is itself an owner receives its share on its
 *    own Form 6765 line 29 and passes it on to its own owners (tiers, to any depth); an estate or
 *    trust keeps the part not apportioned to its beneficiaries;
 *  - an individual (or sole proprietor) is limited by §41(g): the credit from the interest may not
 *    exceed the tax attributable to the owner's taxable income from that interest, computed separately
 *    for each interest; the excess is carried under §39 with the §41(g) amount in place of §38(c);
 *  - a C corporation has no §41(g) limitation: its own §38(c) limitation applies (irc38-limit.ts);
 *  - an estate or trust that keeps part of the credit is limited per the option
 *    `us.federal.irc41g.fiduciary_owner` (its own §38(c) by default).
 * The year's room is spent on the owner's earlier unused amounts from the interest first (oldest
 * first), then on this year's share (§39 ledger, irc39-ledger.ts); what is left is carried back one
 * year (when the preceding year's room is given) and forward.
 */
import { explainer, type Explanation, type Val } from '../../explain/index.js';
import type { Law, LawView } from '../../law/law.js';
import { formatCents, formatRate, sub, sum, ZERO, type Cents, type Rate } from '../../money/index.js';
import { taxPeriod, type TaxPeriod } from '../../periods/index.js';
import { cite } from './citations.js';
import type { EntityType } from './gross-receipts-tests.js';
import { section38Limit } from './irc38-limit.js';
import { section39Ledger } from './irc39-ledger.js';
import { isPassThrough, ownerShares, type OwnerSharesOptions, type ShareHolder } from './passthrough-shares.js';
import { k1Reporting } from './passthrough-entity.js';

export const RULE_OWNERS = 'us.federal.passthrough.owners';
export const RULE_41G = 'us.federal.irc41g.limitation';

export type OwnerEntityType = EntityType | 'individual';

/**
 * An owner's own facts. The first four are the study model's `Owner.facts`; the others are optional
 * extras the §38(c) limit and the §39 carryback need (absent = not known, or none where stated).
 */
export interface OwnerFacts {
  /** §41(g): tax attributable to the owner's share of the business's taxable income (individuals). */
  taxAttributable?: Cents;
  regularTax?: Cents;
  tentativeMinimumTax?: Cents;
  /** Unused credit from this interest of earlier years, by vintage ("2023" or "2023-07-01/2024-06-30"). */
  carryforwards?: { vintage: string; amount: Cents }[];
  /** §38(c): credits of subparts A and B (C corporations, estates, trusts). */
  priorCredits?: Cents;
  /** §38(c)/(d): general business credits ranked ahead of this research credit; absent = none entered. */
  otherCreditsAhead?: Cents;
  /** §38(c)(5): the owner is an eligible small business for the year; absent = not treated as one. */
  eligibleSmallBusiness?: boolean;
  /** §38(c)(6)(D): an estate's or trust's apportioned part of the $25,000 amount. */
  apportionedThreshold?: Cents;
  /** §39(a)(1): room left in the preceding tax year for a carryback from this interest; absent = not known. */
  priorYearRoom?: Cents;
}

/** An owner (structurally the study model's `Owner`). */
export interface OwnerInput extends ShareHolder {
  name: string;
  entityType: OwnerEntityType;
  tin?: string;
  /** For an owner that is itself a pass-through: its own owners (beneficiaries for an estate or trust). */
  owners?: OwnerInput[];
  facts?: OwnerFacts;
}

export type OwnerTreatment = 'passes_through' | 'section_41g' | 'section_38c' | 'retained_by_entity' | 'not_computed';

export interface Vintage {
  vintage: string;
  amount: Cents;
}

/** One row of the owner schedule. */
export interface OwnerAllocation {
  /** Names from the entity down to this owner, e.g. ["Fund LP", "Founder S corp", "Ada"]. */
  path: string[];
  /** "Fund LP > Founder S corp > Ada". */
  pathText: string;
  /** Owner ids from the first tier down (for missing-input paths). */
  idPath: string[];
  depth: number;
  id: string;
  name: string;
  entityType: OwnerEntityType;
  /** The owner's fraction of its parent's amount; null for a retained row that is not an owner. */
  share: Rate | null;
  basis: string;
  treatment: OwnerTreatment;
  /** The research credit allocated to this owner this year (its Schedule K-1). */
  allocated: Val<Cents>;
  /** What the owner enters on its own Form 6765 line 29 for this interest. */
  line29: Val<Cents>;
  /** §41(g) amount or §38(c) room for the year; `na` for owners that pass the credit on. */
  limit: Val<Cents>;
  /** Credit allowed this year: earlier unused amounts first, then this year's share. */
  allowed: Val<Cents>;
  /** Of `allowed`, the part from this year's share (≤ allocated). */
  allowedCurrent: Val<Cents>;
  /** This year's share not allowed (allocated − allowedCurrent), carried under §39. */
  carried: Val<Cents>;
  /** Of `carried`, the part carried back one year (unknown when the preceding year's room is not given). */
  carriedBack: Val<Cents>;
  /** Unused amounts carried forward at the end of the year, by vintage. */
  carryforward: Val<Vintage[]>;
  /** How the owner receives the credit, e.g. "Schedule K-1 (Form 1065) box 15, code M". */
  received: string | null;
  notes: string[];
}

export interface OwnerAllocationInput {
  period: TaxPeriod;
  options?: Readonly<Record<string, string>>;
  entity: { name: string; entityType: EntityType };
  /** The amount split among the entity's owners: `passThroughEntity(...).apportionable`. */
  amount: Val<Cents>;
  owners: readonly OwnerInput[];
  /** 'cent' (default) or 'dollar' (K-1 amounts printed in whole dollars) — at every tier. */
  unit?: OwnerSharesOptions['unit'];
}

export interface OwnerAllocationResult {
  rows: OwnerAllocation[];
  /** Inputs missing anywhere in the tree (the rows that need them are unknown). */
  missing: string[];
  notes: string[];
  why: Explanation;
}

/** "2023" or "2023-07-01/2024-06-30" → the vintage's tax period (calendar year for a bare year). */
export function vintagePeriod(v: string): TaxPeriod | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(v);
  if (m) return taxPeriod(m[1]!, m[2]!);
  if (/^\d{4}$/.test(v)) return taxPeriod(`${v}-01-01`, `${v}-12-31`);
  return undefined;
}

const isLimitedIndividual = (view: LawView, ex: ReturnType<typeof explainer>, t: OwnerEntityType) => view.list(ex, 'us.federal.irc41g.limited_owner_types').includes(t);

function val<T>(rule: string, label: string, v: T, display?: string): Val<T> {
  return explainer(rule, label, []).known(v, display);
}

function naVal<T>(rule: string, label: string, reason: string): Val<T> {
  return explainer(rule, label, []).na(reason);
}

function unknownVal<T>(rule: string, label: string, missing: string[], child?: Val<unknown>): Val<T> {
  const e = explainer(rule, label, []);
  if (child) e.child(child);
  return e.unknown(missing);
}

/**
 * The limitation and ledger of one owner that keeps its share (not passing it on). `room` is the
 * §41(g) amount or §38(c) room; `allocated` this year's share.
 */
function ledgerFor(law: Law, period: TaxPeriod, who: string, idPath: string, allocated: Cents, room: Val<Cents>, facts: OwnerFacts | undefined) {
  const label = (s: string) => `${who}: ${s}`;
  const notes: string[] = [];
  if (room.kind !== 'known') {
    const miss = room.kind === 'unknown' ? room.missing : [];
    const u = <T>(s: string): Val<T> => (room.kind === 'unknown' ? unknownVal<T>(`${RULE_OWNERS}.ledger`, label(s), miss, room) : naVal<T>(`${RULE_OWNERS}.ledger`, label(s), room.reason));
    return { allowed: u<Cents>('credit allowed'), allowedCurrent: u<Cents>('credit allowed from this year'), carried: u<Cents>('credit carried'), carriedBack: u<Cents>('carried back'), carryforward: u<Vintage[]>('carried forward by vintage'), notes };
  }
  const opening: { vintage: TaxPeriod; amount: Cents }[] = [];
  const bad: string[] = [];
  for (const c of facts?.carryforwards ?? []) {
    const p = vintagePeriod(c.vintage);
    if (!p) bad.push(`owners.${idPath}.facts.carryforwards: vintage "${c.vintage}" is not a year or a period`);
    else if (c.amount > 0) opening.push({ vintage: p, amount: c.amount });
  }
  if (bad.length) {
    const u = <T>(s: string): Val<T> => unknownVal<T>(`${RULE_OWNERS}.ledger`, label(s), bad);
    return { allowed: u<Cents>('credit allowed'), allowedCurrent: u<Cents>('credit allowed from this year'), carried: u<Cents>('credit carried'), carriedBack: u<Cents>('carried back'), carryforward: u<Vintage[]>('carried forward by vintage'), notes };
  }
  const priorRoomKnown = facts?.priorYearRoom !== undefined;
  const led = section39Ledger(law, { years: [{ period, generated: allocated, room: room.value }], opening, priorYearRoom: facts?.priorYearRoom ?? ZERO });
  if (led.kind !== 'known') {
    const u = <T>(s: string): Val<T> => (led.kind === 'unknown' ? unknownVal<T>(`${RULE_OWNERS}.ledger`, label(s), led.missing, led) : naVal<T>(`${RULE_OWNERS}.ledger`, label(s), led.reason));
    return { allowed: u<Cents>('credit allowed'), allowedCurrent: u<Cents>('credit allowed from this year'), carried: u<Cents>('credit carried'), carriedBack: u<Cents>('carried back'), carryforward: u<Vintage[]>('carried forward by vintage'), notes };
  }
  const y = led.value.years[0]!;
  const usedCf = sum(y.used.filter((u) => u.kind === 'carryforward').map((u) => u.amount));
  const usedCur = sum(y.used.filter((u) => u.kind === 'current').map((u) => u.amount));
  const carried = sub(allocated, usedCur);
  for (const e of y.expired) notes.push(`${formatCents(e.amount)} of ${e.vintage} expired unused (§39(a)(1)(B))`);
  const mk = <T>(s: string, v: T, display: string, formula: string): Val<T> => {
    const e = explainer(`${RULE_OWNERS}.ledger`, label(s), [cite.USC('39', '(a)')]);
    e.child(room);
    e.child(led);
    e.formula(formula);
    return e.known(v, display);
  };
  const allowedCurrent = mk('credit allowed from this year', usedCur, formatCents(usedCur), 'min(this year\'s share, room left after earlier unused amounts)');
  const allowed = mk('credit allowed', sum([usedCf, usedCur]), formatCents(sum([usedCf, usedCur])), 'earlier unused amounts (oldest first), then this year\'s share, up to the room');
  const carriedV = mk('credit carried (§39)', carried, formatCents(carried), 'this year\'s share − the part allowed');
  let carriedBack: Val<Cents>;
  const cbx = explainer(`${RULE_OWNERS}.carryback`, label('carried back one year (§39(a)(1)(A))'), [cite.USC('39', '(a)(1)')]);
  if (carried === 0) carriedBack = cbx.known(ZERO);
  else if (!priorRoomKnown) {
    carriedBack = cbx.unknown([`owners.${idPath}.facts.priorYearRoom`]);
    notes.push('the carryback to the preceding tax year is not computed (the preceding year\'s room for this interest is not given); the amounts carried forward are shown before any carryback');
  } else carriedBack = cbx.input('room left in the preceding tax year', facts!.priorYearRoom!).known(led.value.carrybackToPriorYear);
  const closing = led.value.closing.map((c) => ({ vintage: c.vintage, amount: c.amount }));
  const carryforward = mk('carried forward by vintage', closing, closing.map((c) => `${c.vintage} ${formatCents(c.amount)}`).join('; ') || 'none', 'unused amounts after this year, oldest first (20 years forward)');
  return { allowed, allowedCurrent, carried: carriedV, carriedBack, carryforward, notes };
}

/** The §41(g) amount for an individual owner: the tax attributable to the interest. */
export function section41gLimit(view: LawView, who: string, idPath: string, facts: OwnerFacts | undefined): Val<Cents> {
  const ex = explainer(RULE_41G, `${who}: §41(g) limitation (tax attributable to the interest)`, [cite.USC('41', '(g)')]);
  view.list(ex, 'us.federal.irc41g.limited_owner_types');
  if (facts?.taxAttributable === undefined) return ex.unknown([`owners.${idPath}.facts.taxAttributable`]);
  if (facts.taxAttributable < 0) return ex.unknown([`owners.${idPath}.facts.taxAttributable (negative)`]);
  ex.input('tax attributable to the owner\'s taxable income from this interest', facts.taxAttributable);
  ex.formula('credit from the interest ≤ tax attributable to the taxable income allocable to it (computed separately for each interest)');
  return ex.known(facts.taxAttributable);
}

function section38Room(view: LawView, who: string, idPath: string, corporate: boolean, facts: OwnerFacts | undefined): Val<Cents> {
  const ex = explainer(`${RULE_OWNERS}.section38`, `${who}: §38(c) room for the research credit`, [cite.USC('38', '(c)')]);
  const lim = section38Limit(view, {
    corporate,
    regularTax: facts?.regularTax,
    tentativeMinimumTax: facts?.tentativeMinimumTax,
    priorCredits: facts?.priorCredits,
    researchIsSpecifiedCredit: facts?.eligibleSmallBusiness === true,
    ...(facts?.otherCreditsAhead !== undefined ? { otherCreditsAhead: facts.otherCreditsAhead } : {}),
    ...(facts?.apportionedThreshold !== undefined ? { apportionedThreshold: facts.apportionedThreshold } : {}),
  });
  ex.child(lim);
  if (facts?.eligibleSmallBusiness === undefined) ex.note('not treated as an eligible small business (§38(c)(5)) — not stated');
  if (facts?.otherCreditsAhead === undefined) ex.note('no other general business credits ranked ahead were entered; the room is shared with any the owner has');
  if (!corporate && facts?.apportionedThreshold === undefined) ex.note('estate or trust: the $25,000 amount is apportioned with its beneficiaries (§38(c)(6)(D)); the full amount is used unless an apportioned amount is given');
  if (lim.kind === 'unknown') return ex.unknown(lim.missing.map((m) => `owners.${idPath}.facts.${m.replace(/^taxFacts\./, '')}`));
  if (lim.kind === 'na') return ex.na(lim.reason);
  return ex.known(lim.value.researchRoom);
}

/** Splits the entity's credit among its owners, tier by tier, and applies each final owner's limitation. */
export function allocateToOwners(law: Law, input: OwnerAllocationInput): OwnerAllocationResult {
  const view = law.for(input.period, input.options ?? {});
  const top = explainer(RULE_OWNERS, `${input.entity.name}: research credit by owner`, [cite.USC('41', '(f)(2)'), cite.USC('41', '(g)'), cite.form('Form 6765 (Rev. December 2024), line 29')]);
  const rows: OwnerAllocation[] = [];
  const missing: string[] = [];
  const notes: string[] = [];
  const opts = input.unit ? { unit: input.unit } : {};

  const visit = (parent: { name: string; entityType: EntityType; path: string[]; idPath: string[] }, owners: readonly OwnerInput[], amount: Val<Cents>, depth: number) => {
    const split = ownerShares(view, parent.entityType, owners, amount, opts);
    top.child(split);
    const received = isPassThrough(parent.entityType) ? (() => {
      const k = k1Reporting(view, parent.entityType);
      return k.kind === 'known' ? k.value.text : null;
    })() : null;
    if (split.kind === 'unknown') for (const m of split.missing) if (!missing.includes(m)) missing.push(m.startsWith('owners') && parent.idPath.length ? `owners.${parent.idPath.join('.')}.${m}` : m);
    // Estates and trusts keep what they do not apportion.
    if (split.kind === 'known' && split.value.retained && parent.idPath.length === 0) {
      const why = `the estate's or trust's own credit: Form 6765 line 32 → Form 3800, limited at the entity level`;
      const amt = split.value.retained.amount;
      const rowRule = `${RULE_OWNERS}.retained`;
      rows.push({
        path: [parent.name, '(retained)'],
        pathText: `${parent.name} > (retained)`,
        idPath: [],
        depth,
        id: ':retained',
        name: `${parent.name} (retained)`,
        entityType: 'estate_or_trust',
        share: split.value.retained.ratio,
        basis: 'not apportioned to beneficiaries (§52(d)(1))',
        treatment: 'retained_by_entity',
        allocated: val(rowRule, `${parent.name}: credit kept (line 32)`, amt),
        line29: naVal(rowRule, 'line 29', why),
        limit: naVal(rowRule, 'limitation', why),
        allowed: naVal(rowRule, 'allowed', why),
        allowedCurrent: naVal(rowRule, 'allowed', why),
        carried: naVal(rowRule, 'carried', why),
        carriedBack: naVal(rowRule, 'carried back', why),
        carryforward: naVal(rowRule, 'carried forward', why),
        received: null,
        notes: [why],
      });
    }
    if (split.kind === 'known' && split.value.retained && parent.idPath.length > 0) {
      const p = parent;
      const retainedAmount = split.value.retained.amount;
      const o = findOwner(input.owners, p.idPath);
      rows.push(ownerRow(law, view, {
        path: [...p.path, '(retained)'],
        idPath: p.idPath,
        depth,
        id: `${o?.id ?? p.name}:retained`,
        name: `${p.name} (retained)`,
        entityType: 'estate_or_trust',
        share: split.value.retained.ratio,
        basis: 'not apportioned to beneficiaries (§52(d)(1))',
        allocated: val(`${RULE_OWNERS}.retained`, `${p.name}: credit kept`, retainedAmount),
        received: null,
        facts: o?.facts,
        keeps: 'fiduciary',
      }, input.period));
    }
    for (const o of owners) {
      const path = [...parent.path, o.name];
      const idPath = [...parent.idPath, o.id];
      const r = split.kind === 'known' ? split.value.rows.find((x) => x.id === o.id) : undefined;
      const allocated: Val<Cents> = r
        ? (() => {
            const e = explainer(`${RULE_OWNERS}.allocated`, `${o.name}: research credit allocated`, [cite.USC('41', '(f)(2)')]);
            e.child(split);
            return e.input(r.basis, r.ratio).known(r.amount);
          })()
        : split.kind === 'na'
          ? naVal(`${RULE_OWNERS}.allocated`, `${o.name}: research credit allocated`, split.reason)
          : unknownVal(`${RULE_OWNERS}.allocated`, `${o.name}: research credit allocated`, split.kind === 'unknown' ? split.missing : [], split);
      const share = r?.ratio ?? null;
      const basis = r?.basis ?? (parent.entityType === 'partnership' && o.specialAllocation ? `special allocation: ${o.specialAllocation.basis}` : 'ownership share');
      if (isPassThrough(o.entityType)) {
        const keepsNothing = o.entityType !== 'estate_or_trust';
        const row = ownerRow(law, view, { path, idPath, depth, id: o.id, name: o.name, entityType: o.entityType, share, basis, allocated, received, facts: o.facts, keeps: 'passes' }, input.period);
        if (!keepsNothing) row.notes.push('an estate or trust: what it does not apportion to its beneficiaries is kept (row "(retained)")');
        rows.push(row);
        if (!o.owners || o.owners.length === 0) {
          const m = `owners.${idPath.join('.')}.owners`;
          if (!missing.includes(m)) missing.push(m);
          row.notes.push(`${o.name} passes its share to its own owners, who are not given`);
        } else visit({ name: o.name, entityType: o.entityType, path, idPath }, o.owners, allocated, depth + 1);
      } else {
        rows.push(ownerRow(law, view, { path, idPath, depth, id: o.id, name: o.name, entityType: o.entityType, share, basis, allocated, received, facts: o.facts, keeps: 'owner' }, input.period));
      }
    }
  };
  visit({ name: input.entity.name, entityType: input.entity.entityType, path: [input.entity.name], idPath: [] }, input.owners, input.amount, 1);

  for (const r of rows) for (const v of [r.limit, r.allowed, r.carriedBack]) if (v.kind === 'unknown') for (const m of v.missing) if (!missing.includes(m)) missing.push(m);
  const leafTotal = rows.filter((r) => r.treatment !== 'passes_through' && r.allocated.kind === 'known').reduce((s, r) => s + (r.allocated as { value: Cents }).value, 0);
  top.note(`${rows.length} owner rows; ${formatCents(leafTotal as Cents)} reaches owners who keep the credit`);
  return { rows, missing, notes, why: top.build(missing.length ? `unknown for some owners (missing: ${missing.join(', ')})` : `${rows.length} owner rows`) };
}

function findOwner(owners: readonly OwnerInput[], idPath: string[]): OwnerInput | undefined {
  let list: readonly OwnerInput[] | undefined = owners;
  let found: OwnerInput | undefined;
  for (const id of idPath) {
    found = list?.find((o) => o.id === id);
    list = found?.owners;
  }
  return found;
}

interface RowSpec {
  path: string[];
  idPath: string[];
  depth: number;
  id: string;
  name: string;
  entityType: OwnerEntityType;
  share: Rate | null;
  basis: string;
  allocated: Val<Cents>;
  received: string | null;
  facts: OwnerFacts | undefined;
  /** 'passes': a pass-through owner; 'owner': keeps its share; 'fiduciary': the part an estate or trust keeps. */
  keeps: 'passes' | 'owner' | 'fiduciary';
}

function ownerRow(law: Law, view: LawView, s: RowSpec, period: TaxPeriod): OwnerAllocation {
  const who = s.path.slice(1).join(' > ') || s.name;
  const idPath = s.idPath.join('.');
  const rule = `${RULE_OWNERS}.row`;
  const notes: string[] = [];
  const l29x = explainer(`${RULE_OWNERS}.line29`, `${who}: own Form 6765 line 29 (from this interest)`, [cite.form('Form 6765 (Rev. December 2024), line 29')]);
  l29x.child(s.allocated);
  const line29: Val<Cents> = s.keeps === 'fiduciary'
    ? l29x.na('the part kept is on the estate\'s or trust\'s own Form 6765 line 32')
    : s.allocated.kind === 'known'
      ? l29x.known(s.allocated.value)
      : s.allocated.kind === 'unknown'
        ? l29x.unknown(s.allocated.missing)
        : l29x.na(s.allocated.reason);
  const base = { path: s.path, pathText: s.path.join(' > '), idPath: s.idPath, depth: s.depth, id: s.id, name: s.name, entityType: s.entityType, share: s.share, basis: s.basis, allocated: s.allocated, line29, received: s.received, notes };
  if (s.keeps === 'passes') {
    const why = `${s.name} passes its share to its own owners`;
    return {
      ...base,
      treatment: 'passes_through',
      limit: naVal(rule, `${who}: limitation`, why),
      allowed: naVal(rule, `${who}: allowed`, why),
      allowedCurrent: naVal(rule, `${who}: allowed`, why),
      carried: naVal(rule, `${who}: carried`, why),
      carriedBack: naVal(rule, `${who}: carried back`, why),
      carryforward: naVal(rule, `${who}: carried forward`, why),
    };
  }
  // Which limitation applies to the owner that keeps the credit.
  const ex = explainer(`${RULE_OWNERS}.treatment`, `${who}: limitation that applies`, [cite.USC('41', '(g)'), cite.USC('38', '(c)')]);
  let treatment: OwnerTreatment;
  let limit: Val<Cents>;
  if (s.keeps === 'fiduciary' || s.entityType === 'estate_or_trust') {
    const choice = view.option(ex, 'us.federal.irc41g.fiduciary_owner');
    treatment = choice === 'section_41g' ? 'section_41g' : 'section_38c';
    const inner = choice === 'section_41g' ? section41gLimit(view, who, idPath, s.facts) : section38Room(view, who, idPath, false, s.facts);
    ex.child(inner);
    ex.note(choice === 'section_41g' ? 'estate or trust treated like an individual (§41(g))' : 'estate or trust: not an individual; its own §38(c) limitation');
    limit = inner.kind === 'known' ? ex.known(inner.value) : inner.kind === 'unknown' ? ex.unknown(inner.missing) : ex.na(inner.reason);
  } else if (isLimitedIndividual(view, ex, s.entityType)) {
    treatment = 'section_41g';
    limit = section41gLimit(view, who, idPath, s.facts);
  } else if (s.entityType === 'c_corporation') {
    treatment = 'section_38c';
    limit = section38Room(view, who, idPath, true, s.facts);
    notes.push('a C corporation: no §41(g) limitation; its own §38(c) limitation applies');
  } else {
    treatment = 'not_computed';
    limit = explainer(RULE_41G, `${who}: limitation`, [cite.USC('38', '(c)')]).unknown([`owners.${idPath}: the research credit of a ${s.entityType.replace(/_/g, ' ')} owner (unrelated business income tax) is not computed`]);
  }
  if (s.allocated.kind !== 'known') {
    const miss = s.allocated.kind === 'unknown' ? s.allocated.missing : [];
    const u = <T>(x: string): Val<T> => (s.allocated.kind === 'unknown' ? unknownVal<T>(rule, `${who}: ${x}`, miss, s.allocated) : naVal<T>(rule, `${who}: ${x}`, (s.allocated as { reason: string }).reason));
    return { ...base, treatment, limit, allowed: u('allowed'), allowedCurrent: u('allowed'), carried: u('carried'), carriedBack: u('carried back'), carryforward: u('carried forward') };
  }
  const l = ledgerFor(law, period, who, idPath, s.allocated.value, limit, s.facts);
  notes.push(...l.notes);
  if (treatment === 'section_41g' && l.carried.kind === 'known' && l.carried.value > 0 && limit.kind === 'known')
    notes.push(`§41(g) binds: ${formatCents(l.carried.value)} of this year's ${formatCents(s.allocated.value)} exceeds the tax attributable (${formatCents(limit.value)} less earlier amounts used)`);
  return { ...base, treatment, limit, allowed: l.allowed, allowedCurrent: l.allowedCurrent, carried: l.carried, carriedBack: l.carriedBack, carryforward: l.carryforward };
}

/** Exported for tests and reports: the share text of a row ("60%"). */
export function shareText(r: OwnerAllocation): string {
  return r.share ? formatRate(r.share) : '';
}
