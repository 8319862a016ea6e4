/**
 * §280C(c) — the deduction side of "no double benefit" (federal.md §5), in the three regimes keyed
 * on the start of the tax year (parameter `us.federal.irc280c.regime`):
 *
 *  - deduction_reduction (before 2022): the deduction for QREs is reduced by the §41(a) credit; if
 *    the §41(a)(1) credit exceeds the deduction allowable, the capital account is reduced by the excess.
 *  - capital_account_excess (2022–2024): the amount charged to capital account is reduced by the
 *    excess of the §41(a)(1) credit over the deduction allowable for QREs (the §174 amortization; which
 *    amortization is compared is the option `us.federal.irc280c.capital_account_measure_2022_2024`).
 *  - full_174a_reduction (2025 on, and 2022–2024 for a small business that made the retroactive §174A
 *    election): domestic R&E is reduced by the full §41(a) credit, payroll portion included (§41(h)(1)).
 *
 * With the §280C(c)(2) reduced-credit election there is no reduction at all. Returns the reduction and
 * the resulting §174/§174A figures of the year.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { formatCents, min, nonNegative, sub, ZERO, type Cents } from '../../money/index.js';
import type { IsoDate } from '../../periods/date.js';
import { periodLabel } from '../../periods/tax-period.js';
import { cite } from './citations.js';
import { section174aElectiveAmortization, section174Amortization } from './irc174-schedule.js';

export const RULE_280C_DEDUCTION = 'us.federal.irc280c.deduction_side';

export type Regime280c = 'deduction_reduction' | 'capital_account_excess' | 'full_174a_reduction';

export interface Section280cDeductionInput {
  /** §280C(c)(2) (pre-2022: (c)(3)) reduced-credit election made for the year. */
  reducedCreditElected: boolean;
  /** The full credit determined under §41(a) for the year, including any §41(h) payroll portion. */
  credit41a: Cents | undefined;
  /** The §41(a)(1) piece (regular or ASC incremental credit), compared in the capital-account rules. */
  credit41a1: Cents | undefined;
  /** Domestic research or experimental expenditures of the year before the reduction. */
  domesticRAndE: Cents | undefined;
  /** Before 2022: the deduction allowable for QREs in the year. */
  qreDeductionAllowable?: Cents;
  /** 2022–2024 (default option): §174 amortization allowable in the year on all QRE-related vintages, before any §280C reduction. */
  qreAmortizationAllVintages?: Cents;
  /** 2022–2024 (alternative option): amortization of the current year's QRE-related capitalised amount only. */
  qreAmortizationCurrentVintage?: Cents;
  /** The small-business retroactive §174A election (OBBBA §70302(f)(1)) was made in time; 2022–2024 then use the new rule. */
  smallBusinessRetroactive?: boolean;
  /** §174A(c) election for the year: months selected and the month benefits are first realised. */
  section174aElection?: { months: number; benefitsFirstRealized: IsoDate | undefined };
}

export interface Section280cDeductionResult {
  regime: Regime280c;
  /** Reduction of the deduction for QREs (before 2022) or of §174A domestic amounts (2025 on). */
  deductionReduction: Cents;
  /** Reduction of the amount charged to capital account. */
  capitalAccountReduction: Cents;
  /** Domestic R&E of the year after the reduction. */
  domesticAfter: Cents;
  /** What the domestic R&E of the year yields as a deduction in this year after the reduction (expensing or first-year amortization). */
  currentYearRecovery: Cents;
  /** Part of the credit that found no domestic amount to reduce (shown, not lost or created). */
  excessOverDomestic: Cents;
}

export function section280cDeduction(law: LawView, input: Section280cDeductionInput): Val<Section280cDeductionResult> {
  const ex = explainer(RULE_280C_DEDUCTION, `§280C(c) reduction of research deductions (${periodLabel(law.period)})`, [cite.USC('280C', '(c)'), cite.form('Public Law 119-21 §70302(b), (f)(1)(A)')]);
  let regime = law.text(ex, 'us.federal.irc280c.regime') as Regime280c;
  if (regime === 'capital_account_excess' && input.smallBusinessRetroactive) {
    regime = 'full_174a_reduction';
    ex.note('Small-business retroactive §174A election: the post-2024 §280C(c) rule applies to this 2022–2024 year (OBBBA §70302(f)(1)(A)).');
  }
  const missing: string[] = [];
  if (input.domesticRAndE === undefined) missing.push('section174.domestic');
  if (input.credit41a === undefined && regime !== 'capital_account_excess') missing.push('credit.41a');
  if (input.credit41a1 === undefined && regime !== 'full_174a_reduction') missing.push('credit.41a1');
  if (missing.length) return ex.unknown(missing);
  const domestic = input.domesticRAndE!;
  ex.input('domestic R&E before reduction', domestic).input('reduced-credit election', input.reducedCreditElected);

  const finish = (deductionReduction: Cents, capitalAccountReduction: Cents, excess: Cents): Val<Section280cDeductionResult> => {
    const domesticAfter = sub(sub(domestic, deductionReduction), capitalAccountReduction);
    let recovery: Cents;
    if (regime === 'capital_account_excess') {
      const s = ex.child(section174Amortization(law, { vintage: law.period, kind: 'domestic', amount: domesticAfter }));
      if (s.kind !== 'known') return ex.unknown(s.kind === 'unknown' ? s.missing : ['section174.schedule']);
      recovery = s.value.lines[0]?.period.start === law.period.start ? s.value.lines[0]!.amount : ZERO;
    } else if (regime === 'full_174a_reduction' && input.section174aElection) {
      const s = ex.child(section174aElectiveAmortization(law, { vintage: law.period, amount: domesticAfter, months: input.section174aElection.months, benefitsFirstRealized: input.section174aElection.benefitsFirstRealized }));
      if (s.kind === 'unknown') return ex.unknown(s.missing);
      if (s.kind === 'na') return ex.na(s.reason);
      recovery = s.value.lines[0]?.period.start === law.period.start ? s.value.lines[0]!.amount : ZERO;
    } else recovery = domesticAfter;
    if (excess > 0) ex.note(`${formatCents(excess)} of the credit exceeds the domestic amount it reduces.`);
    return ex.known(
      { regime, deductionReduction, capitalAccountReduction, domesticAfter, currentYearRecovery: recovery, excessOverDomestic: excess },
      `reduction ${formatCents(sub(domestic, domesticAfter))}; domestic R&E after ${formatCents(domesticAfter)}`,
    );
  };

  if (input.reducedCreditElected) {
    ex.formula('reduced credit elected (§280C(c)(2)): no reduction of any deduction or capital account');
    return finish(ZERO, ZERO, ZERO);
  }

  switch (regime) {
    case 'deduction_reduction': {
      if (input.qreDeductionAllowable === undefined) return ex.unknown(['section174.qreDeductionAllowable']);
      const credit = input.credit41a!;
      const allowable = input.qreDeductionAllowable;
      ex.input('credit under §41(a)', credit).input('credit under §41(a)(1)', input.credit41a1!).input('deduction allowable for QREs', allowable);
      const d = min(credit, allowable, domestic);
      const c = min(nonNegative(sub(input.credit41a1!, allowable)), sub(domestic, d));
      ex.formula('deduction reduced by the §41(a) credit; capital account by max(0, §41(a)(1) credit − deduction allowable)');
      return finish(d, c, nonNegative(sub(sub(credit, d), c)));
    }
    case 'capital_account_excess': {
      const measure = law.option(ex, 'us.federal.irc280c.capital_account_measure_2022_2024');
      const allowable = measure === 'current_vintage_only' ? input.qreAmortizationCurrentVintage : input.qreAmortizationAllVintages;
      if (allowable === undefined) return ex.unknown([measure === 'current_vintage_only' ? 'section174.qreAmortizationCurrentVintage' : 'section174.qreAmortizationAllVintages']);
      const credit = input.credit41a1!;
      ex.input('credit under §41(a)(1)', credit).input(measure === 'current_vintage_only' ? 'amortization of the current QRE vintage' : 'amortization allowable on all QRE vintages (before reduction)', allowable);
      const excess = nonNegative(sub(credit, allowable));
      const c = min(excess, domestic);
      ex.formula(`capital account reduced by max(0, ${formatCents(credit)} − ${formatCents(allowable)}) = ${formatCents(excess)}; then amortised`);
      return finish(ZERO, c, sub(excess, c));
    }
    case 'full_174a_reduction': {
      const credit = input.credit41a!;
      ex.input('research credit under §41(a) (payroll portion included)', credit);
      const r = min(credit, domestic);
      ex.formula('domestic R&E reduced by the full §41(a) credit');
      return input.section174aElection ? finish(ZERO, r, sub(credit, r)) : finish(r, ZERO, sub(credit, r));
    }
  }
}
