/**
 * Texas franchise-tax research credit (Tax Code ch. 171 subch. T, SB 2206 (2025); states.md Part B, TX).
 * Texas QREs are the part of the Form 6765 QREs attributable to research conducted in Texas
 * (§171.9202). Reports due from Jan. 1, 2026 (accounting periods ending in 2025 on): 8.722% of
 * Texas QREs over 50% of the average Texas QREs of the 3 preceding periods (10.903% with a
 * higher-education contract); 4.361% (5.451%) of current QREs if a preceding period had none.
 * Earlier reports: subchapter M at 5% / 6.25% / 2.5% / 3.125%. An entity that used the §151.3182
 * sales-tax exemption in the period gets no credit. Refundable only to entities owing no tax.
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import type { Cents } from '../../../money/index.js';
import { ascExcess, carryforwardYears, cite, finish, StateCtx, timesRate, totalQres, type StateCreditInput, type StateCreditResult } from '../state-credit.js';

const CITES = [cite('Tex. Tax Code §§ 171.9202–171.9205 (SB 2206, 2025)', 'https://capitol.texas.gov/tlodocs/89R/billtext/html/SB02206S.htm')];

export function computeTexasCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('TX', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const noTaxDue = ctx.fact(null, 'no_tax_due', 'bool', { required: false });
  const rest = {
    refundable: noTaxDue === true,
    refundability: { kind: noTaxDue === true ? ('full' as const) : ('conditional' as const), description: 'refundable only to an entity that owes no tax under the no-tax-due threshold (§171.9205)' },
    carryforwardYears: carryforwardYears(ctx, 'us.tx.research.carryforward'),
  };
  ctx.notes.push('the credit claimed may not exceed 50% of the franchise tax due before other credits (§171.9207) — a limit on use, not on the credit computed here');
  const fx = ctx.ex('line.eligibility', 'eligibility facts', CITES);
  const higherEd = ctx.fact(fx, 'higher_ed_contract', 'bool');
  const exemption = ctx.fact(fx, 'sales_tax_exemption_used', 'bool');
  const qre = totalQres(ctx, undefined, CITES);
  const a = ascExcess(ctx, qre, CITES);
  let credit: Val<Cents>;
  if (exemption === true) {
    credit = ctx.set('rate_applied', ctx.ex('line.credit_computed', 'credit', CITES).na('the entity used the Tax Code § 151.3182 sales-tax exemption in the period: no research credit for it'));
    return finish(ctx, credit, rest);
  }
  const noPrior = a.noPrior;
  if (noPrior === true) {
    const r = v.rate(null, higherEd ? 'us.tx.research.rate_no_prior_higher_ed' : 'us.tx.research.rate_no_prior');
    credit = timesRate(ctx, 'credit_computed', `current Texas QREs × ${higherEd ? 'no-prior rate with higher-education contract' : 'no-prior rate'} (a preceding period had no Texas QREs)`, qre, r, CITES);
  } else {
    const r = v.rate(null, higherEd ? 'us.tx.research.rate_higher_ed' : 'us.tx.research.rate');
    credit = timesRate(ctx, 'credit_computed', `Texas QREs over 50% of the 3-period average × ${higherEd ? 'higher-education rate' : 'rate'}`, a.excess, r, CITES);
  }
  if (!input.period.end || input.period.end < '2025-01-01') ctx.notes.push('report due before 2026: subchapter M credit (repealed by SB 2206 for later reports)');
  return finish(ctx, credit, rest);
}
