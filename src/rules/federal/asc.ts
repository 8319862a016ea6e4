/**
 * Alternative simplified credit as Form 6765 (Rev. December 2024) Section B, lines 14–26
 * (§41(c)(4), §41(a)(2)–(3), §280C(c)). 14% of QREs over half the average QREs of the 3 preceding
 * years (line 22 = line 21 ÷ 6); 6% of QREs when any of those years had no QREs (a year before
 * the taxpayer existed counts as one with no QREs). Short years: option
 * `us.federal.irc41.asc.short_year` (default: days method of T.D. 9528).
 */
import { explainer, type Explainer, type Val } from '../../explain/index.js';
import { add, applyRate, formatRate, formLine, formLineTimesRate, mulRate, nonNegative, ratio, RATE_ONE, roundToDollar, sub, subRate, sum, type Cents, type Rate } from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { isShortYear, periodDays, type IsoDate, type TaxPeriod } from '../../periods/index.js';
import { cite } from './citations.js';
import { line, precedingYears, priorLabel, type PriorYearFacts } from './credit-support.js';

export const RULE_ASC = 'us.federal.irc41.asc';

export interface AscInput {
  /** Line 14: amounts paid to energy consortia. */
  energyConsortium: Val<Cents>;
  /** Line 15: basic research payments. */
  basicResearch: Val<Cents>;
  /** Line 16: qualified organization base period amount. */
  qobpa: Val<Cents>;
  /** Line 20: total QREs (line 48). */
  qre: Val<Cents>;
  /** Preceding tax years with their QREs (study.history). */
  history: readonly PriorYearFacts[];
  /** First day of the taxpayer's first tax year; earlier years count as years without QREs. */
  firstTaxYearStart?: IsoDate;
  /** Item A: reduced credit under §280C(c) elected. */
  section280c: boolean;
}

export type AscLine = '14' | '15' | '16' | '17' | '18' | '19' | '20' | '21' | '22' | '23' | '24' | '25' | '26';

export interface AscResult {
  lines: Record<AscLine, Val<Cents>>;
  /** Line 26. */
  credit: Val<Cents>;
  /** True when the 6% rate applies (no QREs in one of the 3 preceding years); undefined if not known. */
  sixPercentPath: boolean | undefined;
}

/** The line-26 factor: 1, or 1 − maximum corporate rate (79% from 2018, 65% before) when §280C(c) is elected. */
export function ascReductionFactor(view: LawView, ex: Explainer | null, section280c: boolean): Rate {
  if (!section280c) return RATE_ONE;
  return subRate(RATE_ONE, view.rate(ex, 'us.federal.irc280c.max_corporate_rate'));
}

const B = (n: string) => cite.form(`Form 6765 (Rev. December 2024), line ${n}`);

export function alternativeSimplifiedCredit(view: LawView, input: AscInput): AscResult {
  const R = (n: string) => `${RULE_ASC}.line${n}`;
  const credit = view.period as TaxPeriod;
  const l14 = line({ rule: R('14'), label: 'Form 6765 line 14: energy consortia amounts', citation: [B('14'), cite.USC('41', '(a)(3)')], deps: { a: input.energyConsortium } }, (_e, v) => formLine(v.a));
  const l15 = line({ rule: R('15'), label: 'Form 6765 line 15: basic research payments', citation: [B('15'), cite.USC('41', '(e)(2)')], deps: { a: input.basicResearch } }, (_e, v) => formLine(v.a));
  const l16 = line({ rule: R('16'), label: 'Form 6765 line 16: qualified organization base period amount', citation: [B('16'), cite.USC('41', '(e)(3)')], deps: { a: input.qobpa } }, (_e, v) => formLine(v.a));
  const l17 = line({ rule: R('17'), label: 'Form 6765 line 17: line 15 − line 16 (not below zero)', citation: [B('17')], deps: { a: l15, b: l16 } }, (_e, v) => nonNegative(sub(v.a, v.b)));
  const l18 = line({ rule: R('18'), label: 'Form 6765 line 18: lines 14 + 17', citation: [B('18')], deps: { a: l14, b: l17 } }, (_e, v) => add(v.a, v.b));
  const l19 = line({ rule: R('19'), label: 'Form 6765 line 19: line 18 × 20%', citation: [B('19'), cite.USC('41', '(a)(2)'), cite.USC('41', '(a)(3)')], deps: { a: l18 } }, (e, v) => {
    // Basic research and energy consortium rates are the same 20%; both are read so each is cited.
    const rb = view.rate(e, 'us.federal.irc41.basic_research.rate');
    view.rate(e, 'us.federal.irc41.energy_consortium.rate');
    return formLineTimesRate(v.a, rb);
  });
  const l20 = line({ rule: R('20'), label: 'Form 6765 line 20: total qualified research expenses (line 48)', citation: [B('20')], deps: { a: input.qre } }, (_e, v) => formLine(v.a));

  // Line 21 and the 6% test.
  const ex21 = explainer(R('21'), 'Form 6765 line 21: QREs of the 3 preceding tax years', [B('21'), cite.USC('41', '(c)(4)(A)'), cite.USC('41', '(c)(4)(B)')]);
  const n = view.count(ex21, 'us.federal.irc41.asc.prior_years');
  const pre = precedingYears(credit, input.history, n, input.firstTaxYearStart);
  const missing = [...pre.missing];
  let noQreYear = pre.notInExistence > 0;
  if (pre.notInExistence) ex21.note(`${pre.notInExistence} of the ${n} preceding years fall before the taxpayer's first tax year: counted as years with no QREs`);
  const amounts: Cents[] = [];
  const shortPrior = pre.years.some((y) => isShortYear(y.period as TaxPeriod));
  const shortCredit = isShortYear(credit);
  const shortMethod = shortPrior || shortCredit ? view.option(ex21, 'us.federal.irc41.asc.short_year') : 'none';
  const daysYear = shortMethod === 'days' ? view.count(ex21, 'us.federal.irc41.asc.short_year_days') : 0;
  for (const y of pre.years) {
    const lab = priorLabel(y.period);
    if (y.qre === undefined) {
      missing.push(`history.${lab}.qre`);
      continue;
    }
    if (y.qre <= 0) noQreYear = true;
    const p = y.period as TaxPeriod;
    if (shortMethod === 'days' && isShortYear(p)) {
      const d = periodDays(p);
      const a = applyRate(y.qre, ratio(daysYear, d));
      ex21.input(`QREs ${lab} (short year of ${d} days, × ${daysYear}/${d})`, a);
      amounts.push(a);
    } else {
      ex21.input(`QREs ${lab}`, y.qre);
      amounts.push(y.qre);
    }
  }
  const l21: Val<Cents> = missing.length ? ex21.unknown(missing) : ex21.known(formLine(sum(amounts)));
  const sixPercentPath = noQreYear ? true : missing.length ? undefined : false;
  const skipped = (n_: string) => explainer(R(n_), `Form 6765 line ${n_}: skipped`, [B(n_), cite.USC('41', '(c)(4)(B)')]).na('no QREs in one of the 3 preceding tax years (6% rate on line 24)');
  const l22: Val<Cents> = noQreYear
    ? skipped('22')
    : line({ rule: R('22'), label: 'Form 6765 line 22: line 21 ÷ 6.0 (half the 3-year average)', citation: [B('22'), cite.USC('41', '(c)(4)(A)')], deps: { a: l21 } }, (e, v) => {
        const frac = view.rate(e, 'us.federal.irc41.asc.base_fraction');
        const k = mulRate(frac, ratio(1, n));
        if (shortCredit && shortMethod === 'days') {
          const d = periodDays(credit);
          e.note(`short credit year of ${d} days: the base is multiplied by ${d}/${daysYear} (days method)`);
          e.formula(`line 21 × ${formatRate(k)} × ${d}/${daysYear}`);
          return roundToDollar(applyRate(v.a, mulRate(k, ratio(d, daysYear))));
        }
        e.formula(`line 21 × ${formatRate(k)}`);
        return formLineTimesRate(v.a, k);
      });
  const l23: Val<Cents> = noQreYear
    ? skipped('23')
    : line({ rule: R('23'), label: 'Form 6765 line 23: line 20 − line 22 (not below zero)', citation: [B('23')], deps: { a: l20, b: l22 } }, (_e, v) => nonNegative(sub(v.a, v.b)));
  const l24 = noQreYear
    ? line({ rule: R('24'), label: 'Form 6765 line 24: line 20 × 6% (no QREs in one of the 3 preceding years)', citation: [B('24'), cite.USC('41', '(c)(4)(B)')], deps: { a: l20 } }, (e, v) => {
        const r = view.rate(e, 'us.federal.irc41.asc.no_prior_qre_rate');
        e.formula(`line 20 × ${formatRate(r)}`);
        return formLineTimesRate(v.a, r);
      })
    : line({ rule: R('24'), label: 'Form 6765 line 24: line 23 × 14%', citation: [B('24'), cite.USC('41', '(c)(4)(A)')], deps: { a: l23 } }, (e, v) => {
        const r = view.rate(e, 'us.federal.irc41.asc.rate');
        e.formula(`line 23 × ${formatRate(r)}`);
        return formLineTimesRate(v.a, r);
      });
  const l25 = line({ rule: R('25'), label: 'Form 6765 line 25: lines 19 + 24', citation: [B('25')], deps: { a: l19, b: l24 } }, (_e, v) => add(v.a, v.b));
  const l26 = line(
    { rule: R('26'), label: `Form 6765 line 26: alternative simplified credit${input.section280c ? ' (× 79%, §280C(c) elected)' : ''}`, citation: [B('26'), ...(input.section280c ? [cite.USC('280C', '(c)(2)')] : [])], deps: { a: l25 } },
    (e, v) => {
      if (!input.section280c) {
        e.note('§280C(c) reduced credit not elected: the §174/§174A deduction or capital account is reduced instead (attach the statement)');
        return v.a;
      }
      const f = ascReductionFactor(view, e, true);
      e.formula(`line 25 × ${formatRate(f)}`);
      return formLineTimesRate(v.a, f);
    },
  );

  return {
    lines: { '14': l14, '15': l15, '16': l16, '17': l17, '18': l18, '19': l19, '20': l20, '21': l21, '22': l22, '23': l23, '24': l24, '25': l25, '26': l26 },
    credit: l26,
    sixPercentPath,
  };
}
