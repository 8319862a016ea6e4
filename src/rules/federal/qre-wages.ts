/**
 * Qualified wages of one employee for the tax year — §41(b)(2)(B), (D); Reg. §1.41-2(d)(2).
 * If at least 80% of the employee's services are qualified services (engaging in, directly
 * supervising or directly supporting qualified research), all wages are qualified;
 * otherwise the qualified share of them.
 */
import { explainer, type Val } from '../../explain/index.js';
import { applyRate, formatCents, cmpRate, formatRate, ratio, type Cents, type Rate, ZERO, sub, nonNegative } from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { cite } from './citations.js';

export interface EmployeeWagesInput {
  employeeId: string;
  /** §3401(a) wages (W-2 box 1 as the proxy, with adjustments applied). Undefined = unknown. */
  wages: Cents | undefined;
  /** Wages taken into account for the work opportunity credit (§51(a)); excluded. */
  wotcWages?: Cents;
  /** Hours (or another consistent measure) of qualified services: research + supervision + support. */
  qualifiedMeasure: number | undefined;
  /** Hours (or the same measure) of all services for the year. */
  totalMeasure: number | undefined;
}

export interface EmployeeWagesResult {
  qualifiedShare: Rate;
  substantiallyAll: boolean;
  qualifiedWages: Cents;
}

export const RULE_QRE_WAGES = 'us.federal.irc41.qre.wages';

export function qualifiedWages(law: LawView, input: EmployeeWagesInput): Val<EmployeeWagesResult> {
  const ex = explainer(RULE_QRE_WAGES, `Qualified wages of ${input.employeeId}`, [
    cite.USC('41', '(b)(2)(B)'),
    cite.USC('41', '(b)(2)(D)'),
    cite.REG('1.41-2', '(d)(2)'),
  ]);
  const missing: string[] = [];
  if (input.wages === undefined) missing.push(`employees.${input.employeeId}.wages`);
  if (input.qualifiedMeasure === undefined || input.totalMeasure === undefined) missing.push(`time.${input.employeeId}`);
  if (missing.length) return ex.unknown(missing);
  const wages = nonNegative(sub(input.wages!, input.wotcWages ?? ZERO));
  const total = input.totalMeasure!;
  const q = input.qualifiedMeasure!;
  if (total <= 0 || q <= 0) {
    ex.input('wages', wages).input('qualified services', q, undefined, 'count').input('all services', total, undefined, 'count');
    return ex.known({ qualifiedShare: ratio(0), substantiallyAll: false, qualifiedWages: ZERO }, formatCents(ZERO));
  }
  if (q > total) throw new RangeError(`qualified services (${q}) exceed all services (${total}) for ${input.employeeId}`);
  // Measures may be fractional hours; scale to an exact integer ratio.
  const share = ratio(BigInt(Math.round(q * 1e6)), BigInt(Math.round(total * 1e6)));
  const threshold = law.rate(ex, 'us.federal.irc41.wages.substantially_all');
  const all = cmpRate(share, threshold) >= 0;
  const qw = all ? wages : applyRate(wages, share);
  ex.input('wages (§3401(a))', wages)
    .input('qualified services', q, undefined, 'count')
    .input('all services', total, undefined, 'count')
    .formula(all ? `share ${formatRate(share, 2)} ≥ ${formatRate(threshold)}: all wages qualify` : `wages × share ${formatRate(share, 2)}`);
  if (input.wotcWages) ex.input('less wages used for the work opportunity credit', input.wotcWages);
  return ex.known({ qualifiedShare: share, substantiallyAll: all, qualifiedWages: qw }, formatCents(qw));
}
