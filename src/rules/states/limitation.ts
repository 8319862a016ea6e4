/**
 * Limitation on use of the computed state research credits other than Idaho (states.md Part C
 * items 8–9): how much of the credit (current year and carried over) may offset the state tax of
 * the year, the carryforward ledger by vintage with each vintage's expiry, and the refundable
 * amount where the state pays one out.
 *
 * The law is data (law/states/<xx>/limitation.yaml): `us.<xx>.research.limit.base` (the tax after
 * the credits that rank ahead, or the tax before any credit), `limit.fraction` (share of it the
 * credit may offset), Massachusetts' `limit.full_amount` (the first $25,000 fully) and
 * `limit.held_back_carryforward` (amounts held back by the 75% rule carry indefinitely), California's
 * SB 167 cap (`limit.business_credit_cap*`, option us.ca.research.business_credit_cap), and the
 * carryforward years of each vintage (`us.<xx>.research.carryforward`, read at the vintage's year).
 *
 * Facts (text, from `stateFacts.<XX>`): `income_tax` (the state tax of the year before credits,
 * dollars — franchise tax for Texas, excise for Massachusetts), `credits_ahead` (credits applied
 * before the research credit, dollars; "0" when none), `carryforward_<year>` (unused research
 * credit of that vintage, dollars; for Pennsylvania: approved, unused credit), Massachusetts
 * `carryforward_held_<year>` (held back by the 75% rule, no expiry) and New Jersey `minimum_tax`.
 * A missing fact makes the limitation unknown (named in `missing`); the credit earned stays known.
 *
 * Ordering: vintages oldest first, the current year's credit last (for Utah the 7.5% credit,
 * which may not be carried forward, before the incremental credits of the same year).
 * Refunds: Arizona 75% of the unused current-year credit with an ACA certificate (the other 25% is
 * waived); Minnesota the refund rate × unused current-year credit on election; Wisconsin the
 * refundable share of the current-year credit (paid whatever the tax); Texas the whole current-year
 * credit of an entity owing no tax. Pennsylvania's credit of the year is the application amount:
 * it is used only once approved (then it is a `carryforward_<year>` fact of a later study).
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import type { Citation, ReviewFlag } from '../../explain/types.js';
import { applyRate, cmpRate, formatRate, min, nonNegative, parseMoney, RATE_ONE, roundToDollar, sub, sum, ZERO, type Cents, type Rate } from '../../money/index.js';
import type { Law, LawView } from '../../law/law.js';
import { calendarYear, yearBegun } from '../../periods/index.js';
import { StateCtx, type StateCreditInput, type StateCreditResult } from './state-credit.js';

/** Unused credit of one vintage (the tax year, begun, that earned it). `expiresAfter` null = no expiry. */
export interface StateVintage {
  year: number;
  amount: Cents;
  /** Last tax year (begun) in which the vintage may be used; null = carried until used. */
  expiresAfter: number | null;
}

export interface StateLimitation {
  /** Research credit (current and carried over) allowed against this year's tax. */
  allowed: Val<Cents>;
  /** Unused credit carried to the next year by vintage (empty when `allowed` is unknown). */
  carryforward: StateVintage[];
  /** Amount paid out (refund, or Texas' no-tax-due refund); absent when the state pays none. */
  refund?: Val<Cents>;
  /** Vintages used this year. */
  used: StateVintage[];
  /** Vintages that expired unused before this year. */
  expired: StateVintage[];
  /** Current-year credit lost: Utah's unused 7.5% credit, the 25% Arizona waives with a refund. */
  lapsed: Cents;
  /** Named steps: tax, credits_ahead, room, available, allowed, refund … */
  lines: Record<string, Val<Cents>>;
  /** Facts the limitation lacks (the earned credit is not affected). */
  missing: string[];
  flags: ReviewFlag[];
}

export interface StateLimitationInput {
  period: StateCreditInput['period'];
  /** Credit earned this year (the engine's `credit`). */
  earned: Val<Cents>;
  /** Part of the earned credit that may not be carried forward (Utah's 7.5% credit). */
  nonCarryable?: Val<Cents>;
  /** `stateFacts.<XX>`. */
  facts: Record<string, string>;
  options?: Record<string, string>;
}

const STATES_WITH_LIMITATION = ['AZ', 'CA', 'GA', 'IL', 'MA', 'MN', 'NJ', 'PA', 'TX', 'UT', 'WI'] as const;

const total = (vs: { amount: Cents }[]): Cents => sum(vs.map((v) => v.amount));
const valueOf = (v: Val<Cents>): Cents | undefined => (v.kind === 'known' ? v.value : v.kind === 'na' ? ZERO : undefined);

/** Takes `amount` from the vintages in order; returns what was taken and what is left. */
function take(pool: StateVintage[], amount: Cents): { taken: StateVintage[]; left: StateVintage[] } {
  let need: number = amount;
  const taken: StateVintage[] = [];
  const left: StateVintage[] = [];
  for (const v of pool) {
    const t = Math.min(need, v.amount);
    if (t > 0) taken.push({ ...v, amount: t as Cents });
    if (v.amount - t > 0) left.push({ ...v, amount: (v.amount - t) as Cents });
    need -= t;
  }
  return { taken, left };
}

/** Last year a vintage may be used: vintage year + the carryforward years in force for that vintage (null = indefinite). */
function expiryOf(law: Law, state: string, vintage: number): number | null {
  const id = `us.${state.toLowerCase()}.research.carryforward`;
  let text: string;
  try {
    text = String(law.get(id, calendarYear(vintage)).value);
  } catch {
    return null;
  }
  return text === 'indefinite' ? null : vintage + Number(text);
}

/** Whether the state has a limitation this module computes. */
export function hasStateLimitation(law: Law, state: string): boolean {
  return (STATES_WITH_LIMITATION as readonly string[]).includes(state) && law.parameters.has(`us.${state.toLowerCase()}.research.limit.base`);
}

/**
 * The limitation on use of one state's research credit for one taxpayer and year.
 * Returns undefined for a state without a limitation in the law files, and when the credit is
 * not applicable and nothing is carried over.
 */
export function stateLimitation(law: Law, state: string, input: StateLimitationInput): StateLimitation | undefined {
  const s = state.toUpperCase();
  if (!hasStateLimitation(law, s)) return undefined;
  const xx = s.toLowerCase();
  const view: LawView = law.for(input.period, input.options ?? {});
  const y = yearBegun(input.period);
  // A fact reader only: the context's QREs and history are not used here.
  const factInput = { period: input.period, entityType: 'c_corporation', history: [], federal: {}, facts: input.facts } as unknown as StateCreditInput;
  const ctx = new StateCtx(s, factInput, view);
  const cites: Citation[] = [{ title: `law/states/${xx}/limitation.yaml (states.md Part C item 8)` }];
  const ex = (step: string, label: string): Explainer => explainer(`us.${xx}.research.limitation.${step}`, `${s} research credit, limitation on use: ${label}`, cites);
  const lines: Record<string, Val<Cents>> = {};

  // Vintages carried in (facts carryforward_<year>, and for MA carryforward_held_<year>).
  const vintages: StateVintage[] = [];
  const bad: string[] = [];
  for (const [k, v] of Object.entries(input.facts)) {
    const m = /^carryforward_(held_)?(\d{4})$/.exec(k);
    if (!m) continue;
    let amount: Cents;
    try {
      amount = parseMoney(v.trim());
    } catch {
      bad.push(`stateFacts.${s}.${k} (invalid value "${v}"; expected money)`);
      continue;
    }
    const vy = Number(m[2]);
    if (vy >= y) {
      bad.push(`stateFacts.${s}.${k} (a carryforward must come from an earlier year than ${y})`);
      continue;
    }
    if (amount > 0) vintages.push({ year: vy, amount, expiresAfter: m[1] ? null : expiryOf(law, s, vy) });
  }
  vintages.sort((a, b) => a.year - b.year || (a.expiresAfter === null ? 1 : 0) - (b.expiresAfter === null ? 1 : 0));
  if (input.earned.kind === 'na' && vintages.length === 0 && bad.length === 0) return undefined;

  const cfx = ex('carryover', 'credit carried over from earlier years (by vintage)');
  const usable = vintages.filter((v) => v.expiresAfter === null || v.expiresAfter >= y);
  const expired = vintages.filter((v) => v.expiresAfter !== null && v.expiresAfter < y);
  for (const v of usable) cfx.input(`vintage ${v.year}${v.expiresAfter === null ? ' (no expiry)' : ` (usable through ${v.expiresAfter})`}`, v.amount, `stateFacts.${s}`);
  for (const v of expired) cfx.note(`vintage ${v.year} (${v.amount / 100} dollars) expired after ${v.expiresAfter}`);
  lines['carryover'] = bad.length ? cfx.unknown(bad) : cfx.formula('unused credit of earlier years not yet expired').known(total(usable));

  // Current-year credit and how it enters the pool.
  const earned = input.earned;
  const notes: string[] = [];
  let current: StateVintage[] = [];
  let refundShareOfCredit: Rate | undefined;
  const cx = ex('current', `credit of ${y} entering the limitation`);
  cx.child(earned);
  const e = valueOf(earned);
  let currentVal: Val<Cents>;
  const cfYear = expiryOf(law, s, y);
  if (s === 'PA') {
    currentVal = cx.note('the credit computed for the year is the application amount (72 P.S. § 8703-B): it is used against tax only once approved, as an approved carryforward fact of the year it is applied').known(ZERO);
  } else if (e === undefined) {
    currentVal = cx.unknown(earned.kind === 'unknown' ? earned.missing : []);
  } else if (s === 'WI') {
    refundShareOfCredit = view.rate(cx, 'us.wi.research.refundable_share');
    const refundable = roundToDollar(applyRate(e, refundShareOfCredit));
    const rest = sub(e, refundable);
    cx.formula(`credit − refundable part (${formatRate(refundShareOfCredit)} of the credit, paid whatever the tax)`);
    current = rest > 0 ? [{ year: y, amount: rest, expiresAfter: cfYear }] : [];
    currentVal = cx.known(rest);
  } else if (s === 'UT') {
    const nc = input.nonCarryable;
    const ncv = nc ? valueOf(nc) : ZERO;
    if (nc) cx.child(nc);
    if (ncv === undefined) currentVal = cx.unknown(nc && nc.kind === 'unknown' ? nc.missing : []);
    else {
      const vol = min(ncv, e);
      const inc = sub(e, vol);
      current = [...(vol > 0 ? [{ year: y, amount: vol, expiresAfter: y }] : []), ...(inc > 0 ? [{ year: y, amount: inc, expiresAfter: cfYear }] : [])];
      cx.note('the 7.5% credit (iii) may not be carried forward: it is used first among the credits of the year, and what is left of it lapses');
      currentVal = cx.known(e);
    }
  } else {
    current = e > 0 ? [{ year: y, amount: e, expiresAfter: cfYear }] : [];
    currentVal = cx.known(e);
  }
  lines['current'] = currentVal;

  // Texas: an entity owing no tax receives the current-year credit as a refund; no limitation applies to it.
  const tx = s === 'TX' ? ctx.fact(null, 'no_tax_due', 'bool', { required: false }) : undefined;
  if (tx === true) {
    const rx = ex('refund', 'refund to an entity owing no tax (§ 171.9205)');
    rx.child(currentVal);
    const refund = currentVal.kind === 'known' ? rx.known(currentVal.value) : rx.unknown(currentVal.kind === 'unknown' ? currentVal.missing : []);
    lines['refund'] = refund;
    const ax = ex('allowed', 'credit allowed against the tax');
    lines['allowed'] = ax.note('no tax due: nothing is used against tax; carried-over vintages stay').known(ZERO);
    return close(lines, lines['allowed'], [], usable, expired, ZERO, refund, ctx.missing, view, []);
  }

  // The room: the tax (after the credits ahead, if so measured) × the fraction, and the caps.
  const baseKind = view.text(null, `us.${xx}.research.limit.base`);
  const tax = ctx.fact(null, 'income_tax', 'money');
  const ahead = baseKind === 'tax_after_credits_ahead' || s === 'CA' || s === 'NJ' ? ctx.fact(null, 'credits_ahead', 'money') : undefined;
  const tx23 = ex('tax', `${s} tax of the year before credits`);
  lines['tax'] = tax === undefined ? tx23.unknown([`stateFacts.${s}.income_tax`]) : tx23.input('tax', tax, `stateFacts.${s}.income_tax`).known(tax);
  if (baseKind === 'tax_after_credits_ahead' || s === 'CA' || s === 'NJ') {
    const ax = ex('credits_ahead', 'credits used before the research credit');
    lines['credits_ahead'] = ahead === undefined ? ax.unknown([`stateFacts.${s}.credits_ahead`]) : ax.input('credits ahead', ahead, `stateFacts.${s}.credits_ahead`).known(ahead);
  }
  const rx = ex('room', 'most the research credit may offset this year');
  rx.child(lines['tax']);
  if (lines['credits_ahead']) rx.child(lines['credits_ahead']);
  const frac = view.rate(rx, `us.${xx}.research.limit.fraction`);
  view.text(rx, `us.${xx}.research.limit.base`);
  const minTax = s === 'NJ' ? ctx.fact(rx, 'minimum_tax', 'money') : undefined;
  let room: Cents | undefined;
  if (tax !== undefined && (ahead !== undefined || !lines['credits_ahead']) && (s !== 'NJ' || minTax !== undefined)) {
    const after = nonNegative(sub(tax, ahead ?? ZERO));
    const measured = baseKind === 'tax_after_credits_ahead' ? after : tax;
    if (s === 'MA') {
      const full = view.money(rx, 'us.ma.research.limit.full_amount');
      room = roundToDollar(sum([min(measured, full), applyRate(nonNegative(sub(measured, full)), frac)]));
      rx.formula(`100% of the first ${full / 100} dollars of the excise after the credits ahead + ${formatRate(frac)} of the rest`);
    } else if (s === 'NJ') {
      const fifty = view.option(rx, 'us.nj.research.fifty_percent_limit') === 'apply';
      const aboveMin = nonNegative(sub(after, minTax!));
      room = fifty ? min(aboveMin, nonNegative(sub(roundToDollar(applyRate(tax, frac)), ahead ?? ZERO))) : aboveMin;
      rx.formula(fifty ? `min(tax − credits ahead − statutory minimum, ${formatRate(frac)} × tax − credits ahead)` : 'tax − credits ahead − statutory minimum');
    } else if (s === 'TX') {
      const fifty = view.option(rx, 'us.tx.research.fifty_percent_limit') === 'apply';
      room = fifty ? roundToDollar(applyRate(tax, frac)) : tax;
      rx.formula(fifty ? `${formatRate(frac)} × franchise tax due before other credits` : 'franchise tax due');
    } else {
      room = cmpRate(frac, RATE_ONE) === 0 ? measured : roundToDollar(applyRate(measured, frac));
      rx.formula(`${baseKind === 'tax_after_credits_ahead' ? '(tax − credits ahead, not less than zero)' : 'tax'} × ${formatRate(frac)}`);
    }
    if (s === 'CA' && view.bool(rx, 'us.ca.research.limit.business_credit_cap_in_force')) {
      if (view.option(rx, 'us.ca.research.business_credit_cap') === 'apply') {
        const cap = view.money(rx, 'us.ca.research.limit.business_credit_cap');
        const capRoom = nonNegative(sub(cap, ahead ?? ZERO));
        if (capRoom < room) rx.note(`SB 167: business credits limited to ${cap / 100} dollars a year; the research credit may use ${capRoom / 100} dollars after the credits ahead`);
        room = min(room, capRoom);
        notes.push('SB 167: an election may turn credits disallowed by the cap into later refunds (not computed)');
      }
    }
  }
  lines['room'] = room === undefined ? rx.unknown(ctx.missing.length ? [...ctx.missing] : [`stateFacts.${s}.income_tax`]) : rx.known(room);

  const avx = ex('available', 'credit available (carried over + current year)').formula('carryover + current-year credit');
  avx.child(lines['carryover']);
  avx.child(currentVal);
  const pool: StateVintage[] = [...usable, ...current];
  const avMissing = [lines['carryover'], currentVal].flatMap((v) => (v.kind === 'unknown' ? v.missing : []));
  lines['available'] = avMissing.length ? avx.unknown(avMissing) : avx.known(total(pool));
  const alx = ex('allowed', 'credit allowed against the tax of the year').formula('smaller of the room and the credit available (oldest vintage first)');
  alx.child(lines['room']);
  alx.child(lines['available']);
  const missing = [...new Set([...ctx.missing, ...bad, ...[lines['room'], lines['available']].flatMap((v) => (v.kind === 'unknown' ? v.missing : []))])];
  if (room === undefined || lines['available'].kind !== 'known') {
    lines['allowed'] = alx.unknown(missing);
    const refund = s === 'WI' && e !== undefined && refundShareOfCredit ? refundLine(ex, earned, e, refundShareOfCredit) : undefined;
    if (refund) lines['refund'] = refund;
    return close(lines, lines['allowed'], [], [], expired, ZERO, refund, missing, view, notes);
  }
  const allowedAmt = min(room, total(pool));
  const allowed = alx.known(allowedAmt);
  lines['allowed'] = allowed;
  const { taken, left } = take(pool, allowedAmt);
  let carry = left.filter((v) => !(v.year === y && v.expiresAfter === y));
  let lapsed = total(left.filter((v) => v.year === y && v.expiresAfter === y));

  // Massachusetts: the current-year credit held back by the 75% rule carries forward indefinitely.
  if (s === 'MA' && view.text(null, 'us.ma.research.limit.held_back_carryforward') === 'indefinite') {
    const afterAhead = nonNegative(sub(tax!, ahead ?? ZERO));
    const heldBack = nonNegative(sub(min(total(pool), afterAhead), allowedAmt));
    if (heldBack > 0) {
      carry = carry.flatMap((v) => {
        if (v.year !== y) return [v];
        const h = min(v.amount, heldBack);
        return [...(h > 0 ? [{ year: y, amount: h, expiresAfter: null }] : []), ...(v.amount - h > 0 ? [{ ...v, amount: sub(v.amount, h) }] : [])];
      });
      notes.push(`${heldBack / 100} dollars of credit were held back by the 75% limitation and carry forward without expiry`);
    }
  }

  // Refunds of unused current-year credit.
  let refund: Val<Cents> | undefined;
  const unusedCurrent = total(carry.filter((v) => v.year === y));
  if (s === 'AZ' && ctx.fact(null, 'aca_refund_certificate', 'bool', { required: false }) === true) {
    const share = view.rate(null, 'us.az.research.refund_share');
    const fx = ex('refund', 'refund of the excess of the current-year credit over the tax (A.R.S. § 43-1168(I))');
    view.rate(fx, 'us.az.research.refund_share');
    const r = roundToDollar(applyRate(unusedCurrent, share));
    refund = fx.formula(`unused current-year credit × ${formatRate(share)}; the rest is waived`).input('unused current-year credit', unusedCurrent).note('the refund is limited by the ACA certificate within the $5 million yearly statewide amount').known(r);
    lapsed = sum([lapsed, sub(unusedCurrent, r)]);
    carry = carry.filter((v) => v.year !== y);
  } else if (s === 'MN' && ctx.fact(null, 'refund_election', 'bool', { required: false }) === true) {
    const fx = ex('refund', 'refund of unused current-year credit on election (Minn. Stat. § 290.068, subd. 6a)');
    const share = view.rate(fx, 'us.mn.research.refund_rate');
    const r = roundToDollar(applyRate(unusedCurrent, share));
    refund = fx.formula(`unused current-year credit × ${formatRate(share)}; the rest carries forward`).input('unused current-year credit', unusedCurrent).known(r);
    carry = carry.flatMap((v) => (v.year !== y ? [v] : v.amount - r > 0 ? [{ ...v, amount: sub(v.amount, r) }] : []));
  } else if (s === 'WI' && refundShareOfCredit && e !== undefined) {
    refund = refundLine(ex, earned, e, refundShareOfCredit);
  }
  if (refund) lines['refund'] = refund;
  return close(lines, allowed, taken, carry, expired, lapsed, refund, [...new Set([...ctx.missing, ...bad])], view, notes);
}

function refundLine(ex: (step: string, label: string) => Explainer, earned: Val<Cents>, e: Cents, share: Rate): Val<Cents> {
  const fx = ex('refund', `refundable part of the credit (${formatRate(share)}, Wis. Stat. § 71.28(4)(k))`).formula(`credit × ${formatRate(share)}`);
  fx.child(earned);
  return fx.known(roundToDollar(applyRate(e, share)));
}

function close(
  lines: Record<string, Val<Cents>>,
  allowed: Val<Cents>,
  used: StateVintage[],
  carryforward: StateVintage[],
  expired: StateVintage[],
  lapsed: Cents,
  refund: Val<Cents> | undefined,
  missing: string[],
  view: LawView,
  notes: string[],
): StateLimitation {
  void view;
  const flags = new Map<string, ReviewFlag>();
  const walk = (e: Val<Cents>['why']): void => {
    for (const f of e.flags) if (!flags.has(f.option)) flags.set(f.option, f);
    for (const c of e.children) walk(c);
  };
  for (const v of Object.values(lines)) walk(v.why);
  for (const f of flags.values()) if (!allowed.why.flags.some((g) => g.option === f.option)) allowed.why.flags.push(f);
  for (const n of notes) allowed.why.notes.push(n);
  return {
    allowed,
    carryforward: [...carryforward].sort((a, b) => a.year - b.year),
    ...(refund ? { refund } : {}),
    used,
    expired,
    lapsed,
    lines,
    missing,
    flags: [...flags.values()],
  };
}

/** The limitation for an engine's result (current-year parts read from its lines). */
export function limitationFor(law: Law, state: string, input: StateCreditInput, result: StateCreditResult): StateLimitation | undefined {
  const vol = result.lines['volume_credit'] as Val<Cents> | undefined;
  return stateLimitation(law, state, {
    period: input.period,
    earned: result.credit,
    ...(state.toUpperCase() === 'UT' && vol ? { nonCarryable: vol } : {}),
    facts: input.facts,
    ...(input.options ? { options: input.options } : {}),
  });
}

