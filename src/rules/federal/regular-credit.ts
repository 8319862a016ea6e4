/**
 * Regular research credit as Form 6765 (Rev. December 2024) Section A, lines 1–13
 * (§41(a)(1)–(3), §41(c)(1)–(2), §280C(c)). Each line is a Val whose explanation names its line;
 * money lines are whole dollars, each computed from the rounded lines before it (ADR 0001).
 * Short credit year: the fixed-base × gross-receipts base (line 8) is multiplied by months/12,
 * the 50% minimum base (line 10) is not (Reg. §1.41-3(b)(1)).
 */
import type { Explainer, Val } from '../../explain/index.js';
import { formatRate, formLine, formLineTimesRate, min, mulRate, nonNegative, ratio, RATE_ONE, subRate, sub, add, applyRate, roundToDollar, type Cents, type Rate } from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { isShortYear, periodMonths } from '../../periods/index.js';
import { cite } from './citations.js';
import { line } from './credit-support.js';

export const RULE_REGULAR = 'us.federal.irc41.regular';

export interface RegularCreditInput {
  /** Line 1: amounts paid to energy consortia. */
  energyConsortium: Val<Cents>;
  /** Line 2: basic research payments to qualified organizations. */
  basicResearch: Val<Cents>;
  /** Line 3: qualified organization base period amount. */
  qobpa: Val<Cents>;
  /** Line 5: total QREs (line 48). */
  qre: Val<Cents>;
  /** Line 6: fixed-base percentage. */
  fbp: Val<Rate>;
  /** Line 7: average annual gross receipts. */
  averageGrossReceipts: Val<Cents>;
  /** Item A: reduced credit under §280C(c) elected. */
  section280c: boolean;
}

export type RegularLine = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12' | '13';

export interface RegularCreditResult {
  lines: Record<RegularLine, Val<Cents> | Val<Rate>>;
  /** Line 13. */
  credit: Val<Cents>;
}

/** The line-13 rate: 20%, or 20% × (1 − maximum corporate rate) when §280C(c) is elected (15.8% from 2018, 13% before). */
export function regularCreditRate(view: LawView, ex: Explainer | null, section280c: boolean): Rate {
  const r = view.rate(ex, 'us.federal.irc41.regular.rate');
  if (!section280c) return r;
  const top = view.rate(ex, 'us.federal.irc280c.max_corporate_rate');
  return mulRate(r, subRate(RATE_ONE, top));
}

const A = (n: string) => cite.form(`Form 6765 (Rev. December 2024), line ${n}`);

export function regularCredit(view: LawView, input: RegularCreditInput): RegularCreditResult {
  const R = (n: string) => `${RULE_REGULAR}.line${n}`;
  const l1 = line({ rule: R('1'), label: 'Form 6765 line 1: energy consortia amounts', citation: [A('1'), cite.USC('41', '(a)(3)')], deps: { a: input.energyConsortium } }, (_e, v) => formLine(v.a));
  const l2 = line({ rule: R('2'), label: 'Form 6765 line 2: basic research payments', citation: [A('2'), cite.USC('41', '(e)(2)')], deps: { a: input.basicResearch } }, (_e, v) => formLine(v.a));
  const l3 = line({ rule: R('3'), label: 'Form 6765 line 3: qualified organization base period amount', citation: [A('3'), cite.USC('41', '(e)(3)')], deps: { a: input.qobpa } }, (_e, v) => formLine(v.a));
  const l4 = line({ rule: R('4'), label: 'Form 6765 line 4: line 2 − line 3 (not below zero)', citation: [A('4'), cite.USC('41', '(a)(2)')], deps: { a: l2, b: l3 } }, (e, v) => {
    e.formula('max(0, line 2 − line 3)');
    return nonNegative(sub(v.a, v.b));
  });
  const l5 = line({ rule: R('5'), label: 'Form 6765 line 5: total qualified research expenses (line 48)', citation: [A('5'), cite.USC('41', '(b)(1)')], deps: { a: input.qre } }, (_e, v) => formLine(v.a));
  const l6 = line({ rule: R('6'), label: 'Form 6765 line 6: fixed-base percentage (not more than 16%)', citation: [A('6'), cite.USC('41', '(c)(3)')], deps: { a: input.fbp } }, (_e, v) => v.a as Rate);
  const l7 = line({ rule: R('7'), label: 'Form 6765 line 7: average annual gross receipts', citation: [A('7'), cite.USC('41', '(c)(1)(B)')], deps: { a: input.averageGrossReceipts } }, (_e, v) => formLine(v.a));
  const short = isShortYear(view.period);
  const months = periodMonths(view.period);
  const l8 = line({ rule: R('8'), label: 'Form 6765 line 8: line 7 × line 6', citation: [A('8'), cite.USC('41', '(c)(1)'), ...(short ? [cite.REG('1.41-3', '(b)(1)')] : [])], deps: { gr: l7, fbp: l6 } }, (e, v) => {
    if (!short) {
      e.formula(`line 7 × ${formatRate(v.fbp)}`);
      return formLineTimesRate(v.gr, v.fbp);
    }
    e.note(`short credit year of ${months} months: the fixed-base base amount is multiplied by ${months}/12 (Reg. §1.41-3(b)(1)); the 50% minimum base is not prorated`);
    e.formula(`line 7 × ${formatRate(v.fbp)} × ${months}/12`);
    return roundToDollar(applyRate(v.gr, mulRate(v.fbp, ratio(months, 12))));
  });
  const l9 = line({ rule: R('9'), label: 'Form 6765 line 9: line 5 − line 8 (not below zero)', citation: [A('9')], deps: { q: l5, b: l8 } }, (e, v) => {
    e.formula('max(0, line 5 − line 8)');
    return nonNegative(sub(v.q, v.b));
  });
  const l10 = line({ rule: R('10'), label: 'Form 6765 line 10: line 5 × 50% (minimum base)', citation: [A('10'), cite.USC('41', '(c)(2)')], deps: { q: l5 } }, (e, v) => {
    const f = view.rate(e, 'us.federal.irc41.regular.minimum_base_fraction');
    e.formula(`line 5 × ${formatRate(f)}`);
    return formLineTimesRate(v.q, f);
  });
  const l11 = line({ rule: R('11'), label: 'Form 6765 line 11: smaller of line 9 or line 10', citation: [A('11'), cite.USC('41', '(c)(2)')], deps: { a: l9, b: l10 } }, (e, v) => {
    e.note(v.b < v.a ? 'the 50% minimum base binds' : 'the fixed-base base amount binds (above the 50% minimum)');
    return min(v.a, v.b);
  });
  const l12 = line({ rule: R('12'), label: 'Form 6765 line 12: lines 1 + 4 + 11', citation: [A('12')], deps: { a: l1, b: l4, c: l11 } }, (_e, v) => add(v.a, v.b, v.c));
  const l13 = line(
    { rule: R('13'), label: `Form 6765 line 13: regular credit (line 12 × ${input.section280c ? 'reduced rate, §280C(c) elected' : '20%'})`, citation: [A('13'), cite.USC('41', '(a)'), ...(input.section280c ? [cite.USC('280C', '(c)(2)')] : [])], deps: { a: l12 } },
    (e, v) => {
      const r = regularCreditRate(view, e, input.section280c);
      e.formula(`line 12 × ${formatRate(r)}`);
      if (!input.section280c) e.note('§280C(c) reduced credit not elected: the §174/§174A deduction or capital account is reduced instead (attach the statement)');
      return formLineTimesRate(v.a, r);
    },
  );
  return { lines: { '1': l1, '2': l2, '3': l3, '4': l4, '5': l5, '6': l6, '7': l7, '8': l8, '9': l9, '10': l10, '11': l11, '12': l12, '13': l13 }, credit: l13 };
}
