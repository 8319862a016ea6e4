/**
 * Form 6765 lines 29–36 as a partnership, S corporation, estate or trust fills them, and the amount
 * it reports to its owners (federal.md §6.5, §11 Section C–D).
 *
 *  - Line 29: research credit received from other partnerships, S corporations, estates and trusts
 *    (Schedules K-1 received; a tiered entity receives here what the tier below passes up).
 *  - Line 30 = line 28 + line 29.
 *  - Partnerships and S corporations without the payroll election stop at line 30 and report it on
 *    Schedule K; with the election they complete Section D without line 35 (line 36 = smaller of
 *    lines 28 and 34) and report line 30 − line 36 on Schedule K (`sectionD` in payroll.ts already
 *    skips line 35 for them).
 *  - Estates and trusts: line 31 = the part apportioned to beneficiaries by the income allocable to
 *    each (§41(f)(2)(A), §52(d)); line 32 = line 30 − line 31, the estate's or trust's own credit
 *    (→ Form 3800).
 *  - The §280C(c) election is the entity's (Form 6765 item A on the entity's return); owners receive
 *    the credit as the entity figured it and make no election of their own.
 *
 * The result names where the owners find it: Schedule K line and Schedule K-1 box and code.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { add, formatCents, nonNegative, roundToDollar, sub, sum, ZERO, type Cents } from '../../money/index.js';
import { cite } from './citations.js';
import { line } from './credit-support.js';
import type { EntityType } from './gross-receipts-tests.js';
import type { SectionDResult } from './payroll.js';
import { isPassThrough, ownerShares, type OwnerSharesOptions, type OwnerSharesResult, type PassThroughType, type ShareHolder } from './passthrough-shares.js';

export const RULE_PASSTHROUGH = 'us.federal.passthrough';

/** Where the owners find the research credit on the entity's return. */
export interface K1Reporting {
  /** "Form 1065", "Form 1120-S", "Form 1041". */
  form: string;
  /** Schedule K line (null for Form 1041, which has no Schedule K line for it). */
  scheduleKLine: string | null;
  box: string;
  code: string;
  /** "Schedule K-1 (Form 1120-S) box 13, code M". */
  text: string;
}

/** One Schedule K-1 received by the entity (a research credit passed up from a lower tier). */
export interface CreditReceived {
  from: string;
  amount: Cents;
}

export interface PassThroughEntityInput {
  entityType: EntityType;
  name: string;
  /** Form 6765 line 28 of the entity: `computeFederalCredit(...).credit`. */
  line28: Val<Cents>;
  /** The entity's §280C(c) choice: `computeFederalCredit(...).chosen?.section280c` (undefined = not decided). */
  section280c?: boolean;
  /** Research credits received on Schedules K-1 from other pass-throughs (line 29). Absent or empty: none received. */
  creditsReceived?: readonly CreditReceived[];
  /** Section D from `sectionD(...)` run with the entity's type; undefined or not applicable = no payroll election. */
  sectionD?: Val<SectionDResult>;
  /** Estates and trusts: the beneficiaries with their shares of the income (for line 31). */
  beneficiaries?: readonly ShareHolder[];
  /** Unit of the beneficiaries' split (see `ownerShares`). */
  unit?: OwnerSharesOptions['unit'];
}

export interface PassThroughEntityResult {
  entityType: PassThroughType;
  /** Form 6765 lines 29–32 and 34–36 (money lines). Lines that do not apply are `na`. */
  lines: Record<string, Val<Cents>>;
  /** Form 6765 line 33a: the payroll election is made. */
  payrollElected: boolean;
  /**
   * The amount split among the owners by `ownerShares`: partnerships and S corporations line 30 −
   * line 36 (= the Schedule K amount); estates and trusts line 30 less any line 36 (split between the
   * beneficiaries and the estate or trust itself).
   */
  apportionable: Val<Cents>;
  /** Reported to the owners: Schedule K (partnerships, S corporations) or line 31 (estates, trusts). */
  toOwners: Val<Cents>;
  /** Estates and trusts: line 32, the credit the estate or trust keeps; `na` for other entities. */
  retained: Val<Cents>;
  /** Estates and trusts: the beneficiaries' split used for line 31. */
  beneficiaryShares?: Val<OwnerSharesResult>;
  reporting: Val<K1Reporting>;
  section280c: boolean | undefined;
  notes: string[];
}

const F = (n: string) => cite.form(`Form 6765 (Rev. December 2024), line ${n}`);

/** Schedule K / K-1 reporting of the research credit for a pass-through entity. */
export function k1Reporting(view: LawView, entityType: PassThroughType): Val<K1Reporting> {
  const ex = explainer(`${RULE_PASSTHROUGH}.k1`, 'Where the owners find the research credit (Schedule K / K-1)', [F('30')]);
  if (entityType === 'partnership') {
    const k = view.text(ex, 'us.federal.k1.research_credit.partnership.schedule_k_line');
    const box = view.text(ex, 'us.federal.k1.research_credit.partnership.box');
    const code = view.option(ex, 'us.federal.k1.research_credit.partnership_code');
    const r = { form: 'Form 1065', scheduleKLine: k, box, code, text: `Schedule K-1 (Form 1065) box ${box}, code ${code}` };
    return ex.known(r, `Schedule K line ${k}; ${r.text}`);
  }
  if (entityType === 's_corporation') {
    const k = view.text(ex, 'us.federal.k1.research_credit.s_corporation.schedule_k_line');
    const box = view.text(ex, 'us.federal.k1.research_credit.s_corporation.box');
    const code = view.text(ex, 'us.federal.k1.research_credit.s_corporation.code');
    const r = { form: 'Form 1120-S', scheduleKLine: k, box, code, text: `Schedule K-1 (Form 1120-S) box ${box}, code ${code}` };
    return ex.known(r, `Schedule K line ${k}; ${r.text}`);
  }
  const box = view.text(ex, 'us.federal.k1.research_credit.estate_or_trust.box');
  const code = view.text(ex, 'us.federal.k1.research_credit.estate_or_trust.code');
  const r = { form: 'Form 1041', scheduleKLine: null, box, code, text: `Schedule K-1 (Form 1041) box ${box}, code ${code}` };
  return ex.known(r, r.text);
}

function na(n: string, reason: string): Val<Cents> {
  return explainer(`${RULE_PASSTHROUGH}.line${n}`, `Form 6765 line ${n}`, [F(n)]).na(reason);
}

/** Form 6765 lines 29–36 and the amount reported to owners, for a partnership, S corporation, estate or trust. */
export function passThroughEntity(view: LawView, input: PassThroughEntityInput): Val<PassThroughEntityResult> {
  const top = explainer(RULE_PASSTHROUGH, `${input.name}: research credit passed to the owners`, [cite.USC('41', '(f)(2)'), cite.USC('41', '(g)'), F('29–36')]);
  const t = input.entityType;
  if (!isPassThrough(t)) return top.na(`a ${t.replace(/_/g, ' ')} claims the credit itself (Form 3800); it does not pass it to owners`);
  const notes: string[] = [];
  const lines: Record<string, Val<Cents>> = {};

  // Line 29: credits received from lower tiers.
  const ex29 = explainer(`${RULE_PASSTHROUGH}.line29`, 'Form 6765 line 29: research credit from partnerships, S corporations, estates and trusts', [F('29')]);
  const received = input.creditsReceived ?? [];
  for (const r of received) {
    if (r.amount < 0) throw new RangeError(`credit received from ${r.from} is negative`);
    ex29.input(`Schedule K-1 from ${r.from}`, r.amount);
  }
  if (received.length === 0) ex29.note('no Schedule K-1 research credit received was entered');
  lines['29'] = ex29.formula('sum of the research credits on the Schedules K-1 received').known(roundToDollar(sum(received.map((r) => r.amount))));
  lines['30'] = line({ rule: `${RULE_PASSTHROUGH}.line30`, label: 'Form 6765 line 30: lines 28 + 29', citation: [F('30')], deps: { a: input.line28, b: lines['29'] } }, (e, v) => {
    e.formula('line 28 + line 29');
    return add(v.a, v.b);
  });

  // Section D (payroll election), entity level.
  const sd = input.sectionD;
  let payrollElected = false;
  let l36: Val<Cents>;
  if (!sd || sd.kind === 'na') {
    for (const n of ['34', '35', '36']) lines[n] = na(n, 'no payroll tax election (Section D not completed)');
    l36 = lines['36']!;
  } else if (sd.kind === 'unknown') {
    const e = explainer(`${RULE_PASSTHROUGH}.line36`, 'Form 6765 line 36', [F('36')]);
    e.child(sd);
    for (const n of ['34', '35']) lines[n] = explainer(`${RULE_PASSTHROUGH}.line${n}`, `Form 6765 line ${n}`, [F(n)]).unknown(sd.missing);
    l36 = lines['36'] = e.unknown(sd.missing);
  } else {
    const v = sd.value;
    payrollElected = v.mayElect && v.line36 !== null;
    const pick = (n: '34' | '35' | '36', x: Cents | null, why: string): Val<Cents> => {
      const e = explainer(`${RULE_PASSTHROUGH}.line${n}`, `Form 6765 line ${n}`, [F(n)]);
      e.child(sd);
      return x === null ? e.na(why) : e.known(x);
    };
    lines['34'] = pick('34', v.line34, v.reason);
    lines['35'] = pick('35', v.line35, t === 'estate_or_trust' ? v.reason : 'partnerships and S corporations skip line 35 (no current-year carryforward limit)');
    l36 = lines['36'] = pick('36', v.line36, v.reason);
    if (payrollElected) notes.push(`Payroll tax election: ${formatCents(v.line36!)} of line 28 goes to Form 8974 at the entity level and is not passed to the owners.`);
  }

  // What the owners share.
  const exA = explainer(`${RULE_PASSTHROUGH}.apportionable`, 'Research credit split among the owners', [F('30'), F('36')]);
  exA.child(lines['30']);
  exA.child(l36);
  const l30 = lines['30'];
  let apportionable: Val<Cents>;
  if (l30.kind === 'unknown' || l36.kind === 'unknown') apportionable = exA.unknown([...(l30.kind === 'unknown' ? l30.missing : []), ...(l36.kind === 'unknown' ? l36.missing : [])]);
  else if (l30.kind === 'na') apportionable = exA.na(l30.reason);
  else {
    const p = l36.kind === 'known' ? l36.value : ZERO;
    exA.formula(p ? 'line 30 − line 36' : 'line 30');
    apportionable = exA.known(nonNegative(sub(l30.value, p)));
  }

  let toOwners: Val<Cents>;
  let retained: Val<Cents>;
  let beneficiaryShares: Val<OwnerSharesResult> | undefined;
  if (t === 'estate_or_trust') {
    beneficiaryShares = ownerShares(view, t, input.beneficiaries ?? [], apportionable, input.unit ? { unit: input.unit } : {});
    const ex31 = explainer(`${RULE_PASSTHROUGH}.line31`, 'Form 6765 line 31: amount allocated to beneficiaries of the estate or trust', [F('31'), cite.USC('41', '(f)(2)(A)'), cite.USC('52', '(d)(1)')]);
    ex31.child(beneficiaryShares);
    if (beneficiaryShares.kind === 'known') {
      const b = sum(beneficiaryShares.value.rows.map((r) => r.amount));
      const printed = roundToDollar(b);
      if (printed !== b) ex31.note(`the beneficiaries' shares total ${formatCents(b)}; the form line is rounded to whole dollars`);
      lines['31'] = ex31.formula('sum of the beneficiaries\' shares (income allocable to each)').known(printed);
    } else lines['31'] = beneficiaryShares.kind === 'unknown' ? ex31.unknown(beneficiaryShares.missing) : ex31.na(beneficiaryShares.reason);
    const l31 = lines['31'];
    lines['32'] = line({ rule: `${RULE_PASSTHROUGH}.line32`, label: 'Form 6765 line 32: line 30 − line 31 (estates and trusts) → Form 3800', citation: [F('32')], deps: { a: apportionable, b: l31 } }, (e, v) => {
      e.formula(payrollElected ? 'line 30 − line 36 − line 31' : 'line 30 − line 31');
      return nonNegative(sub(v.a, v.b));
    });
    toOwners = l31;
    retained = lines['32'];
  } else {
    lines['31'] = na('31', 'estates and trusts only');
    lines['32'] = na('32', 'estates and trusts only');
    const exK = explainer(`${RULE_PASSTHROUGH}.schedule_k`, 'Research credit reported on Schedule K', [F('30'), F('36')]);
    exK.child(apportionable);
    exK.note(payrollElected ? 'payroll election made: Schedule K amount = line 30 − line 36' : 'no payroll election: the partnership or S corporation stops at line 30 and reports it on Schedule K');
    toOwners = apportionable.kind === 'known' ? exK.known(apportionable.value) : apportionable.kind === 'unknown' ? exK.unknown(apportionable.missing) : exK.na(apportionable.reason);
    retained = explainer(`${RULE_PASSTHROUGH}.retained`, 'Credit kept by the entity', []).na('a partnership or S corporation passes the whole credit to its owners');
  }

  if (input.section280c !== undefined)
    notes.push(`§280C(c) reduced credit ${input.section280c ? 'elected' : 'not elected'} by ${input.name} on its own return; owners take the credit as figured and make no §280C(c) election for it.`);
  else notes.push('The §280C(c) choice is made by the entity on its return; it is not decided yet.');

  const reporting = k1Reporting(view, t);
  top.child(lines['30']);
  top.child(toOwners);
  top.child(reporting);
  for (const n of notes) top.note(n);
  return top.known<PassThroughEntityResult>(
    {
      entityType: t,
      lines,
      payrollElected,
      apportionable,
      toOwners,
      retained,
      ...(beneficiaryShares ? { beneficiaryShares } : {}),
      reporting,
      section280c: input.section280c,
      notes,
    },
    toOwners.kind === 'known' ? `${formatCents(toOwners.value)} to the owners` : toOwners.kind === 'unknown' ? 'unknown' : 'not applicable',
  );
}
