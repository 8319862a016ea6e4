/**
 * Whether Form 6765 Section G (business component information) must be completed —
 * federal.md §11 Section G, §13 item 5 [S]. Law data: law/forms/f6765-section-g.yaml.
 *
 *  - Tax years beginning before 2026: optional for every filer.
 *  - Tax years beginning after 2025: required, except (then optional) for
 *    (1) a qualified small business electing the payroll tax credit, and
 *    (2) a taxpayer with total QREs (controlled-group level) at or below $1,500,000 and gross
 *        receipts (§448(c)(3) without (A)) at or below $50,000,000, claiming on an original return.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { formatCents, type Cents } from '../../money/index.js';
import { cite } from './citations.js';

export const RULE_SECTION_G_REQUIRED = 'us.forms.f6765.section_g.required';

export type SectionGRequirement =
  | { status: 'required'; reason: string }
  | { status: 'optional'; reason: string }
  | { status: 'exempt'; exception: 'qsb_payroll_election' | 'small_claim_original_return'; reason: string };

export interface SectionGRequirementInput {
  /** The taxpayer is a QSB electing the payroll tax credit for the year (Form 6765 line 33a). */
  qsbPayrollElection: boolean | undefined;
  /** Total QREs at the controlled-group level (the group's line 48 if a group member). */
  groupQres: Cents | undefined;
  /** Gross receipts under §448(c)(3) without subparagraph (A). */
  grossReceipts: Cents | undefined;
  /** The credit is claimed on an original return (not an amended return or refund claim). */
  originalReturn: boolean | undefined;
}

/** required / optional / exempt (with the exception that applies), or unknown with what decides it. */
export function sectionGRequirement(view: LawView, input: SectionGRequirementInput): Val<SectionGRequirement> {
  const ex = explainer(RULE_SECTION_G_REQUIRED, 'Form 6765 Section G required?', [
    cite.form('Instructions for Form 6765 (Rev. December 2025), Section G'),
    cite.form('Form 6765 (Rev. December 2024), Section F item A'),
  ]);
  ex.input('tax year begins', view.period.start, undefined, 'text');
  if (!view.bool(ex, 'us.forms.f6765.section_g.required')) {
    const reason = 'Section G is optional for tax years beginning before 2026';
    return ex.known({ status: 'optional', reason }, `optional: ${reason}`);
  }
  if (input.qsbPayrollElection === true) {
    ex.input('qualified small business electing the payroll tax credit', true);
    const reason = 'qualified small business electing the payroll tax credit: Section G is optional';
    return ex.known({ status: 'exempt', exception: 'qsb_payroll_election', reason }, `exempt: ${reason}`);
  }
  const qreCeil = view.money(ex, 'us.forms.f6765.section_g.small_claim_qre_ceiling');
  const grCeil = view.money(ex, 'us.forms.f6765.section_g.small_claim_gross_receipts_ceiling');
  const missing: string[] = [];
  if (input.groupQres !== undefined) ex.input('total QREs (controlled group)', input.groupQres);
  if (input.grossReceipts !== undefined) ex.input('gross receipts (§448(c)(3) without (A))', input.grossReceipts);
  if (input.originalReturn !== undefined) ex.input('original return', input.originalReturn);
  const overQre = input.groupQres !== undefined && input.groupQres > qreCeil;
  const overGr = input.grossReceipts !== undefined && input.grossReceipts > grCeil;
  const amended = input.originalReturn === false;
  if (overQre || overGr || amended) {
    if (input.qsbPayrollElection === undefined) return ex.unknown(['taxFacts.qsbPayrollElection']);
    const why = overQre
      ? `total QREs ${formatCents(input.groupQres!)} exceed ${formatCents(qreCeil)}`
      : overGr
        ? `gross receipts ${formatCents(input.grossReceipts!)} exceed ${formatCents(grCeil)}`
        : 'the credit is claimed on an amended return';
    const reason = `required for tax years beginning after 2025: ${why}`;
    return ex.known({ status: 'required', reason }, `required: ${why}`);
  }
  if (input.groupQres === undefined) missing.push('groupQres');
  if (input.grossReceipts === undefined) missing.push('grossReceipts');
  if (input.originalReturn === undefined) missing.push('taxFacts.originalReturn');
  if (missing.length) return ex.unknown(missing);
  const reason = `total QREs ≤ ${formatCents(qreCeil)} and gross receipts ≤ ${formatCents(grCeil)} on an original return: Section G is optional`;
  return ex.known({ status: 'exempt', exception: 'small_claim_original_return', reason }, `exempt: ${reason}`);
}
