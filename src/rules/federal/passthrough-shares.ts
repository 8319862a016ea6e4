/**
 * One tier of a pass-through's research credit split among its owners — the one split used for
 * the federal Schedules K-1 and for Idaho Form 67 (line 20 → owners' line 17), so both flows give
 * each owner the same share.
 *
 * The key depends on the entity:
 *  - S corporation: pro rata share (§1366(a)(1), §1377(a)(1)); a special allocation is not
 *    possible and is set aside with a note.
 *  - Partnership: distributive share (§41(f)(2)(B), §704(b)); a special allocation of the credit
 *    entered by the user is used (with its basis recorded) or set aside, per the option
 *    `us.federal.irc41g.partnership_special_allocation`.
 *  - Estate or trust: apportioned between the estate or trust and its beneficiaries on the basis of
 *    the income allocable to each (§41(f)(2)(A), §52(d)(1)); the shares of the beneficiaries may add
 *    up to less than 1, the rest staying with the estate or trust (Form 6765 lines 31–32).
 *
 * The amounts are exact: `largestRemainder` splits the amount so the parts add up to it to the cent
 * (or to the dollar, for whole-dollar form amounts), ties going to the owner id that sorts first.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { largestRemainder } from '../../money/allocate.js';
import { addRate, cents, cmpRate, formatCents, formatRate, rate as parseRate, RATE_ONE, RATE_ZERO, subRate, sum, type Cents, type Rate } from '../../money/index.js';
import { cite } from './citations.js';
import type { EntityType } from './gross-receipts-tests.js';

export const RULE_OWNER_SHARES = 'us.federal.passthrough.owner_shares';

/** The entity types that pass the research credit to owners. */
export type PassThroughType = 's_corporation' | 'partnership' | 'estate_or_trust';

export function isPassThrough(t: string): t is PassThroughType {
  return t === 's_corporation' || t === 'partnership' || t === 'estate_or_trust';
}

/** What the split needs of an owner (structurally a subset of the study model's `Owner`). */
export interface ShareHolder {
  id: string;
  name?: string;
  /** Ownership share (S corporation, partnership) or share of the income allocable (estate, trust): "0.6", "60%", "3/5". */
  share: string;
  /** A special allocation of the credit (partnerships), with its basis (e.g. "partnership agreement §4.2"). */
  specialAllocation?: { share: string; basis: string };
}

export interface OwnerShareRow {
  id: string;
  /** The fraction of the amount this owner receives. */
  ratio: Rate;
  /** Why that fraction: "ownership share", "pro rata share", "special allocation: <basis>", "income allocable". */
  basis: string;
  special: boolean;
  amount: Cents;
}

export interface OwnerSharesResult {
  rows: OwnerShareRow[];
  /** Estates and trusts: the part the estate or trust keeps (Form 6765 line 32); null for other entities. */
  retained: { ratio: Rate; amount: Cents } | null;
  /** The amount split (Σ rows + retained). */
  total: Cents;
  /** Whole cents or whole dollars. */
  unit: 'cent' | 'dollar';
}

export interface OwnerSharesOptions {
  /**
   * 'cent' (default): parts in cents. 'dollar': parts in whole dollars, for amounts printed on forms
   * (Schedule K-1, Idaho Form 67); odd cents of an amount that is not whole dollars are split in cents.
   */
  unit?: 'cent' | 'dollar';
}

const RETAINED = '\u0000retained';

function lcm(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** Parses an owner's share; undefined when the text is not a fraction between 0 and 1. */
export function parseShare(text: string): Rate | undefined {
  try {
    const r = parseRate(text);
    if (cmpRate(r, RATE_ZERO) < 0 || cmpRate(r, RATE_ONE) > 0) return undefined;
    return r;
  } catch {
    return undefined;
  }
}

/**
 * Splits `amount` among the owners of a pass-through entity of type `entityType`.
 * Unknown when the amount is unknown, a share is not readable, an id is repeated, or the shares of
 * a partnership or S corporation do not add up to exactly 1 (an estate's or trust's may add up to
 * less: the rest is retained).
 */
export function ownerShares(view: LawView, entityType: EntityType, owners: readonly ShareHolder[], amount: Val<Cents> | Cents, opts: OwnerSharesOptions = {}): Val<OwnerSharesResult> {
  const ex = explainer(RULE_OWNER_SHARES, `Research credit split among the owners (${entityType.replace(/_/g, ' ')})`, [
    cite.USC('41', '(f)(2)'),
    ...(entityType === 's_corporation' ? [cite.USC('1366', '(a)(1)'), cite.USC('1377', '(a)(1)')] : []),
    ...(entityType === 'partnership' ? [cite.USC('704', '(b)')] : []),
    ...(entityType === 'estate_or_trust' ? [cite.USC('52', '(d)(1)')] : []),
  ]);
  const unit = opts.unit ?? 'cent';
  if (!isPassThrough(entityType)) return ex.na(`a ${entityType.replace(/_/g, ' ')} does not pass the research credit to owners`);
  const key =
    entityType === 's_corporation'
      ? view.text(ex, 'us.federal.irc41f.s_corporation_key')
      : entityType === 'partnership'
        ? view.text(ex, 'us.federal.irc41f.partnership_key')
        : view.text(ex, 'us.federal.irc41f.estate_trust_key');
  const missing: string[] = [];
  if (owners.length === 0) missing.push(entityType === 'estate_or_trust' ? 'taxpayer.owners (beneficiaries and their shares of the income)' : 'taxpayer.owners');
  const seen = new Set<string>();
  for (const o of owners) {
    if (seen.has(o.id)) missing.push(`owners.${o.id}: id given twice`);
    seen.add(o.id);
  }
  const useSpecial = entityType === 'partnership' && owners.some((o) => o.specialAllocation) ? view.option(ex, 'us.federal.irc41g.partnership_special_allocation') === 'as_entered' : false;
  const keyed: { id: string; ratio: Rate; basis: string; special: boolean }[] = [];
  for (const o of owners) {
    const who = o.name ?? o.id;
    let text = o.share;
    let basis = entityType === 's_corporation' ? 'pro rata share' : entityType === 'partnership' ? 'ownership share' : 'share of the income allocable';
    let special = false;
    if (o.specialAllocation) {
      if (entityType === 's_corporation') ex.note(`${who}: an S corporation allocates pro rata (§1366(a)(1), §1377(a)(1)); the special allocation entered (${o.specialAllocation.share}, ${o.specialAllocation.basis}) is not used.`);
      else if (entityType === 'partnership' && !useSpecial) ex.note(`${who}: the special allocation entered (${o.specialAllocation.share}, ${o.specialAllocation.basis}) is set aside per the option; ownership share used.`);
      else if (entityType === 'partnership') {
        text = o.specialAllocation.share;
        basis = `special allocation: ${o.specialAllocation.basis}`;
        special = true;
      } else ex.note(`${who}: estates and trusts apportion by the income allocable to each (§52(d)(1)); the special allocation entered is not used.`);
    }
    const r = parseShare(text);
    if (r === undefined) {
      missing.push(`owners.${o.id}.${special ? 'specialAllocation.share' : 'share'} ("${text}" is not a share between 0 and 1)`);
      continue;
    }
    ex.input(`${who} — ${basis}`, r);
    keyed.push({ id: o.id, ratio: r, basis, special });
  }
  if (missing.length) return ex.unknown(missing);
  const totalShare = keyed.reduce((a, k) => addRate(a, k.ratio), RATE_ZERO);
  const excess = cmpRate(totalShare, RATE_ONE);
  if (entityType === 'estate_or_trust' ? excess > 0 : excess !== 0)
    return ex.unknown([`owners: the credit shares add up to ${formatRate(totalShare)}, ${entityType === 'estate_or_trust' ? 'more than' : 'not'} 100%`]);

  if (typeof amount !== 'number') {
    ex.child(amount);
    if (amount.kind === 'unknown') return ex.unknown(amount.missing);
    if (amount.kind === 'na') return ex.na(amount.reason);
  }
  const total = typeof amount === 'number' ? amount : amount.value;
  ex.input('amount split', total);
  if (total < 0) throw new RangeError(`ownerShares: negative amount ${total}`);

  // Exact integer weights over the common denominator of the shares.
  const den = keyed.reduce((d, k) => lcm(d, k.ratio.den), 1n);
  const weights: [string, bigint][] = keyed.map((k) => [k.id, k.ratio.num * (den / k.ratio.den)]);
  const retainedRatio = entityType === 'estate_or_trust' ? subRate(RATE_ONE, totalShare) : null;
  if (retainedRatio) weights.push([RETAINED, retainedRatio.num * (den / retainedRatio.den)]);
  // Whole dollars: the dollars split by largest remainder, then any odd cents (an amount that is not
  // whole dollars) split the same way, so the parts still add up exactly.
  const odd = unit === 'dollar' ? total % 100 : 0;
  const big = largestRemainder(cents(unit === 'dollar' ? (total - odd) / 100 : total), weights);
  const small = odd ? largestRemainder(cents(odd), weights) : undefined;
  const part = (k: string) => cents((unit === 'dollar' ? big.get(k)! * 100 : big.get(k)!) + (small?.get(k) ?? 0));
  if (odd) ex.note(`${formatCents(cents(odd))} is not a whole dollar; it is split in cents`);
  const rows: OwnerShareRow[] = keyed.map((k) => ({ ...k, amount: part(k.id) }));
  const retained = retainedRatio ? { ratio: retainedRatio, amount: part(RETAINED) } : null;
  if (retained) ex.note(`retained by the estate or trust: ${formatRate(retainedRatio!)} = ${formatCents(retained.amount)}`);
  ex.formula(`amount × each owner's ${key.replace(/_/g, ' ')} fraction, split by largest remainder in whole ${unit === 'dollar' ? 'dollars' : 'cents'} so the parts add up to the amount`);
  const check = sum([...rows.map((r) => r.amount), retained?.amount ?? cents(0)]);
  if (check !== total) throw new Error(`ownerShares: parts ${check} do not add up to ${total}`);
  return ex.known({ rows, retained, total, unit }, rows.map((r) => `${r.id} ${formatCents(r.amount)}`).join('; '));
}

/** Convenience for state flows: the same split as a map owner id → amount (unknown when the split is). */
export function ownerShareMap(view: LawView, entityType: EntityType, owners: readonly ShareHolder[], amount: Val<Cents> | Cents, opts: OwnerSharesOptions = {}): Val<Map<string, Cents>> {
  const r = ownerShares(view, entityType, owners, amount, opts);
  const ex = explainer(`${RULE_OWNER_SHARES}.map`, 'Owner shares by owner id', []);
  ex.child(r);
  if (r.kind === 'unknown') return ex.unknown(r.missing);
  if (r.kind === 'na') return ex.na(r.reason);
  return ex.known(new Map(r.value.rows.map((x) => [x.id, x.amount])), r.why.value);
}
