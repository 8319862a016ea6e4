/**
 * Average annual gross receipts for the regular credit base (§41(c)(1)(B)): the 4 tax years
 * preceding the credit year. Fewer preceding years → average over the years in existence;
 * none → 0 (Reg. §1.41-3(a)). A short preceding year is annualized × 12 / months
 * (Reg. §1.41-3(b)(2)). A year missing inside the window makes the average unknown.
 */
import { explainer, type Val } from '../../explain/index.js';
import { cents, formatCents, prorate, sum, ZERO, type Cents } from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { isShortYear, periodMonths, type IsoDate, type TaxPeriod } from '../../periods/index.js';
import { cite } from './citations.js';
import { precedingYears, priorLabel, type PriorYearFacts } from './credit-support.js';

export const RULE_AVG_GR = 'us.federal.irc41.regular.average_gross_receipts';

export interface AverageGrossReceiptsInput {
  /** Preceding tax years (study.history). */
  history: readonly PriorYearFacts[];
  /** First day of the taxpayer's first tax year; earlier years did not exist. Undefined = not known. */
  firstTaxYearStart?: IsoDate;
}

export function averageGrossReceipts(view: LawView, input: AverageGrossReceiptsInput): Val<Cents> {
  const ex = explainer(RULE_AVG_GR, 'Average annual gross receipts (Form 6765 line 7)', [cite.USC('41', '(c)(1)(B)'), cite.REG('1.41-3', '(a)'), cite.REG('1.41-3', '(b)(2)')]);
  const n = view.count(ex, 'us.federal.irc41.regular.gross_receipts_years');
  const pre = precedingYears(view.period, input.history, n, input.firstTaxYearStart);
  const missing = [...pre.missing];
  const amounts: Cents[] = [];
  for (const y of pre.years) {
    const label = priorLabel(y.period);
    if (y.grossReceipts === undefined) {
      missing.push(`history.${label}.grossReceipts`);
      continue;
    }
    const p = y.period as TaxPeriod;
    if (isShortYear(p)) {
      const m = periodMonths(p);
      const a = prorate(y.grossReceipts, 12, m);
      ex.input(`gross receipts ${label} (short year of ${m} months, annualized × 12/${m})`, a);
      amounts.push(a);
    } else {
      ex.input(`gross receipts ${label}`, y.grossReceipts);
      amounts.push(y.grossReceipts);
    }
  }
  if (missing.length) return ex.unknown(missing);
  if (pre.notInExistence) ex.note(`${pre.notInExistence} of the ${n} preceding years fall before the taxpayer's first tax year: averaged over the ${amounts.length} years in existence (Reg. §1.41-3(a))`);
  if (amounts.length === 0) {
    ex.note('no preceding tax year: average annual gross receipts are zero (Reg. §1.41-3(a))');
    return ex.known(ZERO);
  }
  const total = sum(amounts);
  const avg = prorate(total, 1, amounts.length);
  ex.formula(`${formatCents(total)} ÷ ${amounts.length}`);
  return ex.known(cents(avg));
}
