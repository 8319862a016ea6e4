/**
 * Idaho Form 67 lines 17–27: credit available, the limitation against Idaho tax after the credits
 * that rank ahead (IDAPA 35.01.01.720(02)(a), .799), the 14-year carryforward ledger by vintage
 * (oldest first), pass-through distribution to owners (lines 17, 20) and elective unitary sharing
 * with the member-by-member schedule of Rule 723(03) (lines 18, 21).
 */
import { largestRemainder } from '../../../money/allocate.js';
import { cents } from '../../../money/cents.js';
import { explainer, type Val } from '../../../explain/index.js';
import { applyRate, min, nonNegative, rate as parseRate, ratio, roundToDollar, sub, sum, ZERO, type Cents, type Rate, addRate, cmpRate, RATE_ONE } from '../../../money/index.js';
import type { Law, LawView } from '../../../law/law.js';
import { yearBegun, type TaxPeriod } from '../../../periods/index.js';
import { stateCite } from '../citations.js';
import { FORM_ID67, lineExplainer } from './credit.js';

/** Unused credit of one vintage (the tax year, begun, that earned it). */
export interface Vintage {
  year: number;
  amount: Cents;
}

export interface IdahoLimitationInput {
  period: TaxPeriod;
  /** Line 16 (from `computeIdahoCredit`). */
  earned: Val<Cents>;
  /** Line 17: shares received from pass-through entities (schedules received). */
  passThroughIn?: Cents;
  /** Line 18: credit received from unitary affiliates. */
  unitaryIn?: Cents;
  /** Unused credit of earlier years by vintage (line 19 before expiry). */
  carryforwards: Vintage[];
  /** The taxpayer is a partnership, S corporation, estate or trust that passes the credit to owners (line 20). */
  passesThrough: boolean;
  /** Line 23: Idaho income tax under §§63-3024, -3025, -3025A. Undefined = unknown. */
  tax?: Cents;
  /** Lines 24a–24g by Rule 799 item key (see us.id.research.credits_ahead). Undefined = unknown. */
  creditsAhead?: Partial<Record<string, Cents>>;
  /** Line 21: credit shared with unitary affiliates (from `idahoUnitaryGroup`). */
  sharedOut?: Vintage[];
  options?: Record<string, string>;
}

export interface IdahoLimitationResult {
  lines: Record<string, Val<Cents>>;
  /** Vintages used this year (oldest first). */
  used: Vintage[];
  /** Unused credit carried to the next year by vintage. */
  carryforward: Vintage[];
  /** Vintages that expired unused before this year. */
  expired: Vintage[];
}

/** Splits the carryforwards into usable and expired for a credit year (usable for `years` years after the vintage). */
export function splitExpired(vintages: Vintage[], creditYear: number, years: number): { usable: Vintage[]; expired: Vintage[] } {
  const usable: Vintage[] = [];
  const expired: Vintage[] = [];
  for (const v of [...vintages].sort((a, b) => a.year - b.year)) (creditYear - v.year > years ? expired : usable).push(v);
  return { usable, expired };
}

/** Takes `amount` from the vintages in the order given; returns what was taken and what is left. */
export function takeFrom(vintages: Vintage[], amount: Cents): { taken: Vintage[]; left: Vintage[] } {
  let need: number = amount;
  const taken: Vintage[] = [];
  const left: Vintage[] = [];
  for (const v of vintages) {
    const t = Math.min(need, v.amount);
    if (t > 0) taken.push({ year: v.year, amount: t as Cents });
    if (v.amount - t > 0) left.push({ year: v.year, amount: (v.amount - t) as Cents });
    need -= t;
  }
  return { taken, left };
}

/** Removes the given per-vintage amounts from a ledger. */
export function removeVintages(pool: Vintage[], out: Vintage[]): Vintage[] {
  return pool
    .map((v) => ({ year: v.year, amount: nonNegative(sub(v.amount, sum(out.filter((o) => o.year === v.year).map((o) => o.amount)))) }))
    .filter((v) => v.amount > 0);
}

const total = (vs: Vintage[]): Cents => sum(vs.map((v) => v.amount));

/**
 * Form 67 lines 17–27 for one taxpayer (one unitary member) and year.
 * Current-year credit (lines 16–18) is the credit year's vintage; older vintages are used first.
 */
export function idahoLimitation(law: Law, input: IdahoLimitationInput): IdahoLimitationResult {
  const view = law.for(input.period, input.options ?? {});
  const form = law.form(FORM_ID67, input.period);
  const y = yearBegun(input.period);
  const L: Record<string, Val<Cents>> = {};
  const lx = (n: string, cites = [stateCite.idapa('720', '(02)')]) => lineExplainer(form, n, cites);
  const cfYears = view.count(null, 'us.id.research.carryforward_years');

  L['17'] = lx('17', [stateCite.form67('line 17')]).input('shares received (owner schedules)', input.passThroughIn ?? ZERO).known(roundToDollar(input.passThroughIn ?? ZERO));
  L['18'] = lx('18', [stateCite.idapa('721', '(02)')]).input('received from unitary affiliates', input.unitaryIn ?? ZERO).known(roundToDollar(input.unitaryIn ?? ZERO));
  const l19x = lx('19', [stateCite.text('Idaho research credit carryover (14 years, oldest first) — PMBA summary [S]')]);
  view.count(l19x, 'us.id.research.carryforward_years');
  const { usable, expired } = splitExpired(input.carryforwards, y, cfYears);
  for (const v of usable) l19x.input(`vintage ${v.year}`, v.amount);
  for (const v of expired) l19x.note(`vintage ${v.year} (${v.amount / 100} dollars) expired after ${v.year + cfYears}`);
  L['19'] = l19x.formula(`unused credit of the ${cfYears} preceding years`).known(total(usable));

  const earned = input.earned;
  const l20x = lx('20', [stateCite.form67('line 20')]);
  l20x.child(earned);
  if (earned.kind !== 'known' && input.passesThrough) L['20'] = l20x.unknown(earned.kind === 'unknown' ? earned.missing : ['line 16']);
  else L['20'] = input.passesThrough ? l20x.note('pass-through entity: the credit earned goes to the owners').known(earned.kind === 'known' ? earned.value : ZERO) : l20x.known(ZERO);
  const shared = input.sharedOut ?? [];
  L['21'] = lx('21', [stateCite.idapa('721', '(02)'), stateCite.idapa('723', '(03)')]).input('shared with unitary affiliates', total(shared)).known(total(shared));

  const l22x = lx('22').formula('line 16 + 17 + 18 + 19 − 20 − 21');
  for (const n of ['17', '18', '19', '20', '21']) l22x.child(L[n]!);
  l22x.child(earned);
  const e16 = earned.kind === 'known' ? earned.value : earned.kind === 'na' ? ZERO : undefined;
  const miss = [earned, L['20']!].flatMap((v) => (v.kind === 'unknown' ? v.missing : []));
  L['22'] = e16 === undefined || miss.length ? l22x.unknown(miss) : l22x.known(nonNegative(sub(sum([e16, L['17']!, L['18']!, L['19']!].map((v) => (typeof v === 'number' ? v : (v as { value: Cents }).value))), sum([(L['20'] as { value: Cents }).value, (L['21'] as { value: Cents }).value]))));

  const l23x = lx('23', [stateCite.idStat('(1)(a)')]);
  L['23'] = input.tax === undefined ? l23x.unknown(['idaho.tax']) : l23x.input('Idaho income tax (§§63-3024, -3025, -3025A)', input.tax).known(roundToDollar(input.tax));
  const l24x = lx('24h', [stateCite.idapa('799', '(a)–(g)')]);
  const keys = view.list(l24x, 'us.id.research.credits_ahead');
  if (input.creditsAhead === undefined) L['24h'] = l24x.unknown(['idaho.creditsAhead']);
  else {
    for (const k of keys) l24x.input(k, input.creditsAhead[k] ?? ZERO);
    L['24h'] = l24x.formula('lines 24a–24g').known(roundToDollar(sum(keys.map((k) => input.creditsAhead![k] ?? ZERO))));
  }
  const l25x = lx('25', [stateCite.idapa('720', '(02)(a)'), stateCite.idapa('799')]).formula('line 23 − line 24h, not less than zero (floor: UNVERIFIED on the form)');
  l25x.child(L['23']!);
  l25x.child(L['24h']!);
  const limitFrac = view.rate(l25x, 'us.id.research.limit_fraction_of_tax');
  const l23 = L['23']!;
  const l24 = L['24h']!;
  L['25'] =
    l23.kind === 'known' && l24.kind === 'known'
      ? l25x.known(applyRate(nonNegative(sub(l23.value, l24.value)), limitFrac))
      : l25x.unknown([L['23']!, L['24h']!].flatMap((v) => (v.kind === 'unknown' ? v.missing : [])));
  const l26x = lx('26');
  l26x.child(L['22']!);
  const l22 = L['22']!;
  L['26'] = l22.kind === 'known' ? l26x.known(l22.value) : l26x.unknown(l22.kind === 'unknown' ? l22.missing : []);
  const l27x = lx('27').formula('smaller of line 25 and line 26');
  l27x.child(L['25']!);
  l27x.child(L['26']!);
  const l25 = L['25']!;
  const l26 = L['26']!;
  if (l25.kind !== 'known' || l26.kind !== 'known' || l22.kind !== 'known') {
    L['27'] = l27x.unknown([l25, l26].flatMap((v) => (v.kind === 'unknown' ? v.missing : [])));
    return { lines: L, used: [], carryforward: [], expired };
  }
  const allowed = min(l25.value, l26.value);
  L['27'] = l27x.known(allowed);
  // Ledger: old vintages (less what was shared out) first, then the current year's credit.
  const sharedTaken = removeVintages(usable, shared.filter((s) => s.year < y));
  const current = nonNegative(sub(l22.value, total(sharedTaken)));
  const pool: Vintage[] = [...sharedTaken, ...(current > 0 ? [{ year: y, amount: current }] : [])];
  const { taken, left } = takeFrom(pool, allowed);
  return { lines: L, used: taken, carryforward: left, expired };
}

/** One owner's share of the credit a pass-through entity distributes (line 20 → owner's line 17). */
export interface OwnerShare {
  ownerId: string;
  share: Val<Cents>;
}

/**
 * Splits the distributed credit among owners by their ownership shares (decimal or fraction text).
 * Whole dollars; the rounding remainder goes to the largest share so the parts add up to the total.
 * The allocation key (distributive share) is UNVERIFIED for §63-3029G (states.md §A8).
 */
export function idahoOwnerShares(distributed: Val<Cents>, owners: { id: string; share: string }[]): OwnerShare[] {
  const cite = [stateCite.form67('lines 17 and 20'), stateCite.text('Idaho Code § 63-4406(1)(a) (distributive-share key used for other credits, by analogy)')];
  const rates: Rate[] = owners.map((o) => parseRate(o.share));
  const totalShare = rates.reduce((a, r) => addRate(a, r), ratio(0));
  return owners.map((o, i) => {
    const ex = explainer('us.id.research.owner_share', `Idaho research credit passed to ${o.id} (owner's Form 67 line 17)`, cite);
    ex.child(distributed);
    ex.input('ownership share', o.share).note('allocation key: ownership / distributive share (UNVERIFIED for §63-3029G)');
    if (cmpRate(totalShare, RATE_ONE) !== 0) return { ownerId: o.id, share: ex.unknown([`owners.shares (sum is not 1)`]) };
    if (distributed.kind !== 'known') return { ownerId: o.id, share: ex.unknown(distributed.kind === 'unknown' ? distributed.missing : ['line 20']) };
    // The same split as the federal pass-through (src/rules/federal/passthrough-shares.ts): the
    // shared largest-remainder allocator over exact shares, in whole dollars (the unit of Form 67),
    // any odd cents going the same way, so the owners' amounts add up to line 20 exactly.
    const dens = rates.map((r) => r.den);
    const lcm = dens.reduce((a, b) => (a * b) / gcd(a, b), 1n);
    const weights = owners.map((x, j) => [x.id, (rates[j]!.num * lcm) / rates[j]!.den] as const);
    const total = distributed.value;
    const odd = total % 100;
    const whole = largestRemainder(cents((total - odd) / 100), weights);
    const oddSplit = odd ? largestRemainder(cents(odd), weights) : undefined;
    const mine = ((whole.get(o.id)! * 100) + (oddSplit?.get(o.id) ?? 0)) as Cents;
    return { ownerId: o.id, share: ex.formula('line 20 × ownership share').known(mine) };
  });
}

/** A unitary member for one year. */
export interface UnitaryMember {
  id: string;
  /** Line 16 of the member's own Form 67. */
  earned: Val<Cents>;
  passThroughIn?: Cents;
  carryforwards: Vintage[];
  tax?: Cents;
  creditsAhead?: Partial<Record<string, Cents>>;
  /** The member elects to share its unused credit (Rule 721(02)). */
  electsToShare: boolean;
}

/** One row of the Rule 723(03) schedule. */
export interface UnitaryScheduleRow {
  memberId: string;
  earned: Cents;
  usedOwn: Cents;
  sharedOut: Vintage[];
  received: { from: string; amount: Cents }[];
  carryforward: Vintage[];
  expired: Vintage[];
}

export interface UnitaryResult {
  members: Record<string, IdahoLimitationResult>;
  schedule: Val<UnitaryScheduleRow[]>;
}

/**
 * Elective sharing within a unitary group: each member first uses its own credit up to its own
 * limitation; a member that elects to share gives its remaining credit to the others (in the order
 * listed, the taxpayer's choice), each up to its own remaining tax; shared credit leaves the earner's
 * carryforward, vintages per option us.id.research.share_vintage_order (default oldest first).
 */
export function idahoUnitaryGroup(law: Law, period: TaxPeriod, members: UnitaryMember[], options: Record<string, string> = {}): UnitaryResult {
  const view: LawView = law.for(period, options);
  const y = yearBegun(period);
  const ex = explainer('us.id.research.unitary_schedule', 'Idaho research credit: unitary member schedule (Rule 723(03))', [stateCite.idapa('720', '(02)(b)'), stateCite.idapa('721', '(02)'), stateCite.idapa('723', '(03)')]);
  const order = view.option(ex, 'us.id.research.share_vintage_order');
  const cfYears = view.count(ex, 'us.id.research.carryforward_years');
  // Pass 1: own use.
  const own = new Map<string, IdahoLimitationResult>();
  for (const m of members) own.set(m.id, idahoLimitation(law, { period, earned: m.earned, ...(m.passThroughIn ? { passThroughIn: m.passThroughIn } : {}), carryforwards: m.carryforwards, passesThrough: false, ...(m.tax !== undefined ? { tax: m.tax } : {}), ...(m.creditsAhead ? { creditsAhead: m.creditsAhead } : {}), options }));
  const missing = [...own.values()].flatMap((r) => (r.lines['27']!.kind === 'unknown' ? r.lines['27']!.missing : []));
  if (missing.length) return { members: Object.fromEntries(own), schedule: ex.unknown(missing) };
  const room = new Map<string, Cents>();
  for (const m of members) {
    const r = own.get(m.id)!;
    room.set(m.id, nonNegative(sub((r.lines['25'] as { value: Cents }).value, (r.lines['27'] as { value: Cents }).value)));
  }
  const received = new Map<string, { from: string; amount: Cents }[]>();
  const sharedOut = new Map<string, Vintage[]>();
  for (const m of members) {
    if (!m.electsToShare) continue;
    let pool = own.get(m.id)!.carryforward;
    if (order === 'newest_first') pool = [...pool].sort((a, b) => b.year - a.year);
    const out: Vintage[] = [];
    for (const other of members) {
      if (other.id === m.id) continue;
      const give = min(room.get(other.id)!, total(pool));
      if (give <= 0) continue;
      const t = takeFrom(pool, give);
      pool = t.left;
      out.push(...t.taken);
      room.set(other.id, sub(room.get(other.id)!, give));
      received.set(other.id, [...(received.get(other.id) ?? []), { from: m.id, amount: give }]);
    }
    sharedOut.set(m.id, out);
  }
  // Pass 2: final lines with sharing.
  const finals: Record<string, IdahoLimitationResult> = {};
  const rows: UnitaryScheduleRow[] = [];
  for (const m of members) {
    const inAmt = sum((received.get(m.id) ?? []).map((r) => r.amount));
    const so = sharedOut.get(m.id) ?? [];
    const r = idahoLimitation(law, { period, earned: m.earned, ...(m.passThroughIn ? { passThroughIn: m.passThroughIn } : {}), unitaryIn: inAmt, carryforwards: m.carryforwards, passesThrough: false, ...(m.tax !== undefined ? { tax: m.tax } : {}), ...(m.creditsAhead ? { creditsAhead: m.creditsAhead } : {}), sharedOut: so, options });
    finals[m.id] = r;
    const earned = m.earned.kind === 'known' ? m.earned.value : ZERO;
    const usedOwn = (own.get(m.id)!.lines['27'] as { value: Cents }).value;
    rows.push({ memberId: m.id, earned, usedOwn, sharedOut: so, received: received.get(m.id) ?? [], carryforward: r.carryforward.filter((v) => v.year >= y - cfYears), expired: r.expired });
    ex.input(`${m.id}: earned / used own / shared out / received`, `${earned / 100} / ${usedOwn / 100} / ${total(so) / 100} / ${inAmt / 100}`, undefined, 'text');
  }
  return { members: finals, schedule: ex.known(rows, `${rows.length} members`) };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}
