/**
 * The federal research credit (§41) for one tax year — the public surface the compute pipeline
 * calls. It builds Form 6765 (Rev. December 2024) Section F (lines 42–48), Section A (lines 1–13,
 * regular credit), Section B (lines 14–26, ASC) and Section C lines 27–28, computes all four
 * method × §280C(c) alternatives, and picks the one the study's elections ask for.
 *
 * Decisions:
 *  - Line 27 (Form 8932 wages also used here) is unknown unless the input gives the overlap
 *    amount or states `noEmployerDifferentialWageCredit: true`; a blank is never read as zero.
 *  - "Best" compares credit amounts. The §280C(c) choice also changes the deduction (or capital
 *    account) reduction; that is weighed only when `marginalTaxRate` is given and the year's
 *    §280C regime reduces by the full credit (before 2022, from 2025); otherwise the comparison
 *    says it ignores the deduction effect.
 *  - Form lines use the Rev. December 2024 numbering for every year; earlier revisions number the
 *    same amounts differently (Section A 1–17, Section B 18–34).
 */
import { explainer, isKnown, missingOf, type Val } from '../../explain/index.js';
import { add, applyRate, formatDollars, formatRate, formLine, nonNegative, sub, type Cents, type Rate } from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import type { IsoDate } from '../../periods/index.js';
import { alternativeSimplifiedCredit, type AscResult } from './asc.js';
import { averageGrossReceipts } from './avg-gross-receipts.js';
import { cite } from './citations.js';
import { line, type PriorYearFacts } from './credit-support.js';
import { fbpRate, fixedBasePercentage, type FixedBaseInput, type FixedBaseResult } from './fixed-base.js';
import { basicResearchContractShare } from './qre-categories.js';
import { regularCredit, type RegularCreditResult } from './regular-credit.js';

export const RULE_CREDIT = 'us.federal.irc41.credit';

export type Method = 'regular' | 'asc';

export interface FederalCreditInput {
  /**
   * Current-year QREs by category, each a Val so that unknowns flow through:
   * wages (line 42, from qre-wages), supplies (line 43), computer rental (line 44) and applicable
   * contract research after the 65/75/100% factors (line 45) — from `qre-categories.ts`.
   */
  qre: { wages: Val<Cents>; supplies: Val<Cents>; computers: Val<Cents>; contract: Val<Cents> };
  /** Qualifying basic research payments (§41(e)(2); lines 2 and 15) — `basicResearchPayments()`. */
  basicResearchPayments: Val<Cents>;
  /** Qualified organization base period amount (§41(e)(3); lines 3 and 16), an input amount. */
  qobpa: Val<Cents>;
  /** Amounts paid to energy research consortia (§41(a)(3); lines 1 and 14). */
  energyConsortium: Val<Cents>;
  /** Preceding tax years with QREs and gross receipts (the study's `history`). */
  history: readonly PriorYearFacts[];
  /** First day of the taxpayer's first tax year: years before it did not exist (no QREs, no gross receipts). Undefined = not known. */
  firstTaxYearStart?: IsoDate;
  /** How the fixed-base percentage is found: given, or from the year-by-year history. */
  fixedBase: FixedBaseInput;
  /** The study's elections: method and the §280C(c) reduced credit ('best' = let the engine pick). */
  elections: { method: Method | 'best'; section280c: boolean | 'best' };
  /**
   * Form 8932 (employer differential wage credit) overlap for line 27: `overlap` = the part of the
   * Form 8932 line 2 credit attributable to wages also used here; or `noEmployerDifferentialWageCredit: true`.
   */
  employerDifferentialWageCredit?: { overlap?: Cents; noEmployerDifferentialWageCredit?: boolean };
  /** Marginal income tax rate, to weigh the §280C(c) deduction effect in the comparison. */
  marginalTaxRate?: Rate;
}

export interface Alternative {
  method: Method;
  section280c: boolean;
  /** Line 13 (regular) or line 26 (ASC). */
  credit: Val<Cents>;
  /** Credit less the tax cost of the deduction reduction when §280C(c) is not elected; only with `marginalTaxRate`. */
  netBenefit?: Val<Cents>;
  /** The section's lines (1–13 or 14–26). */
  lines: Record<string, Val<Cents> | Val<Rate>>;
}

export interface Comparison {
  section280c: boolean;
  larger: Method | 'equal';
  /** Regular credit − ASC (negative when the ASC is larger). */
  difference: Cents;
}

export interface FederalCreditResult {
  /** Form 6765 lines 1–28 and 42–48 for the chosen alternative; the section not used is `na`. */
  lines: Record<string, Val<Cents> | Val<Rate>>;
  /** The four alternatives: regular and ASC, each without and with §280C(c). */
  alternatives: Alternative[];
  /** The alternative chosen per the elections; undefined when an unknown prevents the choice. */
  chosen: { method: Method; section280c: boolean } | undefined;
  /** Line 28: the current-year credit. */
  credit: Val<Cents>;
  /** Regular vs ASC, with and without §280C(c). */
  comparisons: Val<Comparison>[];
  fixedBase: Val<FixedBaseResult>;
  averageGrossReceipts: Val<Cents>;
  /** Plain statements for the report (e.g. that the comparison ignores the deduction effect). */
  notes: string[];
}

const F = (n: string) => cite.form(`Form 6765 (Rev. December 2024), line ${n}`);

/** Section F: lines 42–48. */
export function qreSummary(view: LawView, input: Pick<FederalCreditInput, 'qre' | 'basicResearchPayments' | 'qobpa'>): Record<'42' | '43' | '44' | '45' | '46' | '47' | '48', Val<Cents>> {
  const R = (n: string) => `${RULE_CREDIT}.line${n}`;
  const l42 = line({ rule: R('42'), label: 'Form 6765 line 42: wages for qualified services', citation: [F('42'), cite.USC('41', '(b)(2)(A)(i)')], deps: { a: input.qre.wages } }, (_e, v) => formLine(v.a));
  const l43 = line({ rule: R('43'), label: 'Form 6765 line 43: supplies', citation: [F('43'), cite.USC('41', '(b)(2)(A)(ii)')], deps: { a: input.qre.supplies } }, (_e, v) => formLine(v.a));
  const l44 = line({ rule: R('44'), label: 'Form 6765 line 44: rental or lease cost of computers', citation: [F('44'), cite.USC('41', '(b)(2)(A)(iii)')], deps: { a: input.qre.computers } }, (_e, v) => formLine(v.a));
  const l45 = line({ rule: R('45'), label: 'Form 6765 line 45: applicable amount of contract research', citation: [F('45'), cite.USC('41', '(b)(3)')], deps: { a: input.qre.contract } }, (_e, v) => formLine(v.a));
  const share = basicResearchContractShare(view, input.basicResearchPayments, input.qobpa);
  const l46 = line({ rule: R('46'), label: 'Form 6765 line 46: applicable amount of basic research payments', citation: [F('46'), cite.USC('41', '(e)(1)(B)')], deps: { a: share } }, (_e, v) => formLine(v.a));
  const l47 = line({ rule: R('47'), label: 'Form 6765 line 47: lines 45 + 46', citation: [F('47')], deps: { a: l45, b: l46 } }, (_e, v) => add(v.a, v.b));
  const l48 = line({ rule: R('48'), label: 'Form 6765 line 48: total QREs (lines 42 + 43 + 44 + 47)', citation: [F('48'), cite.USC('41', '(b)(1)')], deps: { a: l42, b: l43, c: l44, d: l47 } }, (_e, v) => add(v.a, v.b, v.c, v.d));
  return { '42': l42, '43': l43, '44': l44, '45': l45, '46': l46, '47': l47, '48': l48 };
}

/** Section C line 27: Form 8932 wages also used for this credit. */
export function line27(input: FederalCreditInput['employerDifferentialWageCredit']): Val<Cents> {
  const ex = explainer(`${RULE_CREDIT}.line27`, 'Form 6765 line 27: Form 8932 credit attributable to wages also used here', [F('27'), cite.USC('45P')]);
  if (input?.overlap !== undefined) {
    ex.input('overlap with the employer differential wage credit', input.overlap);
    return ex.known(formLine(input.overlap));
  }
  if (input?.noEmployerDifferentialWageCredit === true) {
    ex.note('the taxpayer states it claims no employer differential wage credit (Form 8932)');
    return ex.known(formLine(0 as Cents));
  }
  return ex.unknown(['taxFacts: Form 8932 employer differential wage credit overlap (or a statement that there is none)']);
}

function netBenefit(view: LawView, credit: Val<Cents>, elected: boolean, rate: Rate): Val<Cents> {
  const ex = explainer(`${RULE_CREDIT}.net_benefit`, `Credit net of the deduction effect (§280C(c) ${elected ? 'elected' : 'not elected'})`, [cite.USC('280C', '(c)')]);
  ex.child(credit);
  if (credit.kind !== 'known') return credit.kind === 'unknown' ? ex.unknown(credit.missing) : ex.na(credit.reason);
  if (elected) {
    ex.formula('reduced credit; no deduction reduction');
    return ex.known(credit.value);
  }
  const regime = view.text(ex, 'us.federal.irc280c.regime');
  if (regime === 'capital_account_excess')
    return ex.na('for tax years beginning 2022–2024 the reduction is only the excess of the credit over the allowable deduction (§280C(c)(1)); see the §280C rule');
  ex.input('marginal tax rate', rate);
  ex.formula(`credit − credit × ${formatRate(rate)} (deduction reduced by the full credit)`);
  return ex.known(sub(credit.value, applyRate(credit.value, rate)));
}

function naLine(n: string, reason: string): Val<Cents> {
  return explainer(`${RULE_CREDIT}.line${n}`, `Form 6765 line ${n}`, [F(n)]).na(reason);
}

/** Computes the federal research credit for the tax year of `view`. */
export function computeFederalCredit(view: LawView, input: FederalCreditInput): FederalCreditResult {
  const notes: string[] = [];
  const sf = qreSummary(view, input);
  const fb = fixedBasePercentage(view, input.fixedBase);
  const agr = averageGrossReceipts(view, { history: input.history, ...(input.firstTaxYearStart ? { firstTaxYearStart: input.firstTaxYearStart } : {}) });
  const regs: Record<'false' | 'true', RegularCreditResult> = { false: undefined!, true: undefined! };
  const ascs: Record<'false' | 'true', AscResult> = { false: undefined!, true: undefined! };
  for (const e of [false, true]) {
    regs[`${e}`] = regularCredit(view, { energyConsortium: input.energyConsortium, basicResearch: input.basicResearchPayments, qobpa: input.qobpa, qre: sf['48'], fbp: fbpRate(fb), averageGrossReceipts: agr, section280c: e });
    ascs[`${e}`] = alternativeSimplifiedCredit(view, {
      energyConsortium: input.energyConsortium,
      basicResearch: input.basicResearchPayments,
      qobpa: input.qobpa,
      qre: sf['48'],
      history: input.history,
      ...(input.firstTaxYearStart ? { firstTaxYearStart: input.firstTaxYearStart } : {}),
      section280c: e,
    });
  }
  const alternatives: Alternative[] = [];
  for (const method of ['regular', 'asc'] as const)
    for (const e of [false, true]) {
      const r = method === 'regular' ? regs[`${e}`] : ascs[`${e}`];
      const alt: Alternative = { method, section280c: e, credit: r.credit, lines: r.lines };
      if (input.marginalTaxRate) alt.netBenefit = netBenefit(view, r.credit, e, input.marginalTaxRate);
      alternatives.push(alt);
    }

  // Comparisons: regular vs ASC for each §280C setting.
  const comparisons = [false, true].map((e) => {
    const a = regs[`${e}`].credit;
    const b = ascs[`${e}`].credit;
    const ex = explainer(`${RULE_CREDIT}.comparison`, `Regular credit vs ASC (§280C(c) ${e ? 'elected' : 'not elected'})`, [cite.USC('41', '(c)(4)')]);
    ex.child(a);
    ex.child(b);
    if (!isKnown(a) || !isKnown(b)) return ex.unknown(missingOf(a, b)) as Val<Comparison>;
    const d = sub(a.value, b.value);
    const larger: Comparison['larger'] = d > 0 ? 'regular' : d < 0 ? 'asc' : 'equal';
    ex.note(larger === 'equal' ? 'both methods give the same credit' : `the ${larger === 'regular' ? 'regular credit' : 'ASC'} is larger by ${formatDollars(nonNegative(d > 0 ? d : sub(b.value, a.value)))}`);
    return ex.known<Comparison>({ section280c: e, larger, difference: d }, larger === 'equal' ? 'equal' : `${larger} larger by ${formatDollars(d > 0 ? d : sub(b.value, a.value))}`);
  });

  // Choice per the elections.
  const methods: Method[] = input.elections.method === 'best' ? ['regular', 'asc'] : [input.elections.method];
  const elects: boolean[] = input.elections.section280c === 'best' ? [false, true] : [input.elections.section280c];
  const candidates = alternatives.filter((a) => methods.includes(a.method) && elects.includes(a.section280c));
  const useNet = input.marginalTaxRate !== undefined && candidates.every((c) => c.netBenefit?.kind === 'known');
  const score = (a: Alternative) => (useNet ? a.netBenefit! : a.credit);
  if (input.elections.section280c === 'best' && !useNet)
    notes.push('The §280C(c) choice was compared on credit amounts only; it ignores the reduction of the §174/§174A deduction (or capital account) when the reduced credit is not elected. Give the marginal tax rate to weigh it.');
  else if (!input.marginalTaxRate) notes.push('Credit amounts are compared without the deduction effect of §280C(c).');
  let chosen: Alternative | undefined;
  const unknownCands = candidates.filter((c) => score(c).kind !== 'known');
  if (candidates.length === 1) chosen = candidates[0];
  else if (unknownCands.length === 0) {
    for (const c of candidates) if (!chosen || (score(c) as { value: Cents }).value > (score(chosen) as { value: Cents }).value) chosen = c;
  }
  const decided = chosen !== undefined;

  const lines: Record<string, Val<Cents> | Val<Rate>> = {};
  const showReg = !decided ? true : chosen!.method === 'regular';
  const showAsc = !decided ? true : chosen!.method === 'asc';
  const e280 = chosen?.section280c ?? (input.elections.section280c === true);
  for (const [k, v] of Object.entries(regs[`${e280}`].lines)) lines[k] = showReg ? v : naLine(k, 'Section A is not completed: the alternative simplified credit is used');
  for (const [k, v] of Object.entries(ascs[`${e280}`].lines)) lines[k] = showAsc ? v : naLine(k, 'Section B is not completed: the regular credit is used');
  const l27 = line27(input.employerDifferentialWageCredit);
  lines['27'] = l27;
  const ex28 = explainer(`${RULE_CREDIT}.line28`, 'Form 6765 line 28: current year credit (line 13 or 26 − line 27, not below zero)', [F('28'), cite.USC('41', '(a)')]);
  let l28: Val<Cents>;
  if (!chosen) {
    for (const c of unknownCands) ex28.child(score(c));
    ex28.note('the method or §280C(c) choice could not be made because a candidate is unknown');
    l28 = ex28.unknown(missingOf(...unknownCands.map(score)));
  } else {
    ex28.note(`chosen: ${chosen.method === 'regular' ? 'regular credit' : 'ASC'}, §280C(c) ${chosen.section280c ? 'elected' : 'not elected'}${candidates.length > 1 ? ` (largest ${useNet ? 'net benefit' : 'credit'} of ${candidates.length} alternatives allowed by the elections)` : ' (per the elections)'}`);
    l28 = line({ rule: `${RULE_CREDIT}.line28`, label: ex28.label, citation: [F('28'), cite.USC('41', '(a)')], deps: { a: chosen.credit, b: l27 } }, (e, v) => {
      for (const n of ex28.build('').notes) e.note(n);
      e.formula(`max(0, line ${chosen!.method === 'regular' ? '13' : '26'} − line 27)`);
      return nonNegative(sub(v.a, v.b));
    });
  }
  lines['28'] = l28;
  for (const [k, v] of Object.entries(sf)) lines[k] = v;
  return {
    lines,
    alternatives,
    chosen: chosen ? { method: chosen.method, section280c: chosen.section280c } : undefined,
    credit: l28,
    comparisons,
    fixedBase: fb,
    averageGrossReceipts: agr,
    notes,
  };
}
