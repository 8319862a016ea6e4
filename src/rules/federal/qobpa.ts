/**
 * Qualified organization base period amount (QOBPA) — §41(e)(3)–(5); federal.md §2.5.
 *
 *   QOBPA = minimum basic research amount + maintenance-of-effort amount          §41(e)(3) [P]
 *   minimum basic research amount = max( 1% × average(in-house + contract research expenses
 *                                             of the base period),                 §41(e)(4)(A)(i) [P]
 *                                        amounts treated as contract research in the base
 *                                             period by reason of §41(e) )         §41(e)(4)(A)(ii) [U]
 *     not less than 50% × current-year basic research payments for a taxpayer not in existence
 *     in the base period                                                           §41(e)(4)(B) [P]
 *   maintenance-of-effort amount = max(0, average nondesignated university contributions of the
 *     base period × cost-of-living adjustment − current nondesignated contributions) §41(e)(5) [U]
 *
 * The base period is the 3 taxable years ending before the taxpayer's first taxable year beginning
 * after 1983 (§41(e)(7)(B)). Each product is computed exactly and rounded once to the cent.
 */
import { explainer, type Val } from '../../explain/index.js';
import { add, applyRate, formatCents, formatRate, max, mulRate, nonNegative, ratio, sub, sum, type Cents, type Rate, ZERO } from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { cite } from './citations.js';

/** One taxable year of the base period in which the taxpayer existed. Undefined amounts = unknown. */
export interface QobpaBaseYear {
  /** e.g. "1981" — used in the explanation and in missing-input paths. */
  label: string;
  /** A short taxable year does not count as "in existence during a taxable year" for the floor (§41(e)(4)(B)). */
  shortYear?: boolean;
  /** In-house research expenses (§41(b)(2)) of the year. */
  inHouse: Cents | undefined;
  /** Contract research expenses (§41(b)(3), i.e. after the 65% factor) of the year. */
  contract: Cents | undefined;
  /** Amounts treated as contract research expenses by reason of §41(e) as in effect in the year (pre-1984 basic research). */
  treatedAsContractUnderE: Cents | undefined;
  /** Nondesignated university contributions (§41(e)(5)(B)) paid in the year. */
  nondesignatedUniversityContributions: Cents | undefined;
}

export interface QobpaInput {
  /** The base-period years in which the taxpayer existed; [] = not in existence; undefined = unknown. */
  basePeriod: QobpaBaseYear[] | undefined;
  /** Basic research payments (§41(e)(2)) of the credit year. */
  currentBasicResearchPayments: Cents | undefined;
  /** Nondesignated university contributions paid in the credit year (§41(e)(5)(A)(ii)). */
  currentNondesignatedUniversityContributions: Cents | undefined;
  /**
   * Cost-of-living adjustment for the calendar year in which the credit year begins (§41(e)(5)(C),
   * computed under §1(f)(3)); a factor such as 2.31, with where it came from.
   */
  costOfLiving?: { factor: Rate; source: string } | undefined;
}

export const RULE_QOBPA = 'us.federal.irc41e.qobpa';

const P = 'us.federal.irc41e.';

export function qualifiedOrganizationBasePeriodAmount(view: LawView, input: QobpaInput): Val<Cents> {
  const ex = explainer(RULE_QOBPA, 'Qualified organization base period amount', [
    cite.USC('41', '(e)(3)'),
    cite.USC('41', '(e)(4)'),
    cite.USC('41', '(e)(5)'),
    cite.form('federal.md §2.5'),
  ]);
  const base = input.basePeriod;
  if (base === undefined) return ex.unknown(['basicResearch.basePeriod']);

  const baseYears = view.count(ex, P + 'base_period.years');
  const after = view.count(ex, P + 'base_period.ends_before_first_year_after');
  if (base.length > baseYears) throw new RangeError(`base period has ${base.length} years; at most ${baseYears}`);
  const fullYears = base.filter((y) => !y.shortYear).length;

  // Does the 50% floor apply? §41(e)(4)(B): not for a taxpayer in existence in the base period.
  let floorApplies: boolean;
  if (fullYears === 0) floorApplies = true;
  else if (base.length >= baseYears && fullYears >= baseYears) floorApplies = false;
  else floorApplies = view.option(ex, P + 'floor_partial_base_period') === 'apply_floor';

  const missing: string[] = [];
  for (const y of base) {
    const at = `basicResearch.basePeriod.${y.label}`;
    if (y.inHouse === undefined) missing.push(`${at}.inHouse`);
    if (y.contract === undefined) missing.push(`${at}.contract`);
    if (y.treatedAsContractUnderE === undefined) missing.push(`${at}.treatedAsContractUnderE`);
    if (y.nondesignatedUniversityContributions === undefined) missing.push(`${at}.nondesignatedUniversityContributions`);
  }
  if (floorApplies && input.currentBasicResearchPayments === undefined) missing.push('basicResearch.currentPayments');
  const contribTotal = missing.length ? ZERO : sum(base.map((y) => y.nondesignatedUniversityContributions!));
  if (contribTotal > 0) {
    if (input.costOfLiving === undefined) missing.push('basicResearch.costOfLivingAdjustment');
    if (input.currentNondesignatedUniversityContributions === undefined) missing.push('basicResearch.currentNondesignatedUniversityContributions');
  }
  if (missing.length) return ex.unknown(missing);

  // Divisor of the base-period averages.
  let divisor = base.length;
  if (base.length > 0 && base.length < baseYears && view.option(ex, P + 'base_period_average_divisor') === 'base_period_years') divisor = baseYears;

  // (4)(A)(i): 1% × average of (in-house + contract) research expenses.
  const onePct = view.rate(ex, P + 'min_basic_research.base_expense_rate');
  const researchTotal = sum(base.map((y) => add(y.inHouse!, y.contract!)));
  const pathI = divisor === 0 ? ZERO : applyRate(researchTotal, mulRate(onePct, ratio(1, divisor)));

  // (4)(A)(ii): amounts treated as contract research by reason of §41(e) in the base period. [U]
  const eTotal = sum(base.map((y) => y.treatedAsContractUnderE!));
  let pathII = eTotal;
  if (eTotal > 0) {
    const measure = view.option(ex, P + 'contract_path_measure');
    if (measure === 'average') pathII = applyRate(eTotal, ratio(1, divisor));
    ex.note(`§41(e)(4)(A)(ii) limb is recalled, not in federal.md §2.5 (UNVERIFIED); taken as the ${measure}.`);
  }
  let minimum = max(pathI, pathII);

  // (4)(B) floor.
  let floor: Cents | undefined;
  if (floorApplies) {
    const fr = view.rate(ex, P + 'min_basic_research.floor_rate');
    floor = applyRate(input.currentBasicResearchPayments!, fr);
    minimum = max(minimum, floor);
    ex.input('current-year basic research payments', input.currentBasicResearchPayments!);
  }

  // (5) maintenance-of-effort amount. [U: formula recalled, not in the spec beyond its name]
  let moe = ZERO;
  if (contribTotal > 0) {
    const cola = input.costOfLiving!;
    const scaled = applyRate(contribTotal, mulRate(cola.factor, ratio(1, divisor)));
    moe = nonNegative(sub(scaled, input.currentNondesignatedUniversityContributions!));
    ex.input('cost-of-living adjustment (§41(e)(5)(C), §1(f)(3))', formatRate(cola.factor, 6), cola.source)
      .input('base-period nondesignated university contributions', contribTotal)
      .input('current nondesignated university contributions', input.currentNondesignatedUniversityContributions!)
      .note('Maintenance-of-effort formula (§41(e)(5)) is recalled, not spelled out in federal.md §2.5 (UNVERIFIED).');
  }

  const qobpa = add(minimum, moe);
  ex.input('base-period years in existence', base.length, `base period: ${baseYears} years ending before the first year beginning after ${after}`, 'count')
    .input('base-period in-house + contract research expenses', researchTotal)
    .input('base-period amounts treated as contract research under §41(e)', eTotal)
    .formula(
      `max(1% × ${formatCents(researchTotal)} / ${divisor || 1} = ${formatCents(pathI)}, ${formatCents(pathII)}` +
        (floor !== undefined ? `, floor ${formatCents(floor)}` : '') +
        `) + maintenance of effort ${formatCents(moe)}`,
    );
  return ex.known(qobpa, formatCents(qobpa));
}
