/**
 * Pennsylvania research and development tax credit (72 P.S. §§8701-B–8713-B; states.md Part B, PA).
 * 10% (20% for a small business, net book assets under $5 million) of Pennsylvania QREs over the
 * Pennsylvania base amount: the §41(c) base with Pennsylvania QREs and receipts, where the
 * fixed-base percentage is the ratio of Pennsylvania QREs to Pennsylvania gross receipts over the
 * 4 taxable years immediately preceding (a rolling percentage, rounded and capped as §41(c)(3)).
 * The amount computed is what the taxpayer applies for (by Dec. 1 of the year after the tax year);
 * the Department awards it within the $60M cap ($12M small business), pro rata when oversubscribed.
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import { formatRate, minRate, RATE_ZERO, roundRate, sum, type Cents, type Rate } from '../../../money/index.js';
import { averageReceipts, carryforwardYears, cite, finish, priorYears, regularExcess, safeRatio, StateCtx, timesRate, totalQres, type StateCreditInput, type StateCreditResult } from '../state-credit.js';

const CITES = [cite('72 P.S. § 8702-B (definitions: Pennsylvania base amount, fixed-base percentage)'), cite('72 P.S. § 8703-B')];

export function computePennsylvaniaCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('PA', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const rest = { refundable: false, refundability: { kind: 'none' as const, description: 'not refundable; may be sold or assigned with Department approval' }, carryforwardYears: carryforwardYears(ctx, 'us.pa.research.carryforward') };
  ctx.notes.push('the amount computed is the application amount: apply to the Department of Revenue by Dec. 1 following the tax year; the award (by May 1 of the second year) may be prorated under the $60M / $12M caps');
  const fx = ctx.ex('line.eligibility', 'small business (net book value of assets under $5 million)', CITES);
  const small = ctx.fact(fx, 'small_business', 'bool');
  const qre = totalQres(ctx, undefined, CITES);
  // Rolling fixed-base percentage over the 4 preceding years.
  const px = ctx.ex('line.fixed_base_percentage', 'Pennsylvania fixed-base percentage (PA QREs ÷ PA gross receipts, 4 preceding years)', CITES);
  const n = v.count(px, 'us.pa.research.fbp_years');
  const cap = v.rate(px, 'us.states.irc41.fbp_cap');
  const places = v.count(px, 'us.states.irc41.fbp_rounding_places');
  const missing: string[] = [];
  const qs: Cents[] = [];
  const gs: Cents[] = [];
  for (const y of priorYears(ctx, n)) {
    if (y.notInExistence) continue;
    if (!y.row || y.row.qre === undefined) missing.push(`history.${y.year}.qreByState.PA`);
    if (!y.row || y.row.grossReceipts === undefined) missing.push(`history.${y.year}.grossReceiptsByState.PA`);
    if (!y.row || y.row.qre === undefined || y.row.grossReceipts === undefined) continue;
    px.input(`PA QREs ${y.year}`, y.row.qre).input(`PA gross receipts ${y.year}`, y.row.grossReceipts);
    qs.push(y.row.qre);
    gs.push(y.row.grossReceipts);
  }
  let fbp: Val<Rate>;
  if (missing.length) fbp = px.unknown(missing);
  else {
    const raw = safeRatio(sum(qs), sum(gs));
    const r = minRate(roundRate(raw, places), cap);
    fbp = px.formula(`min(${formatRate(cap)}, round(Σ PA QREs ÷ Σ PA gross receipts, 1/100 of 1%))`).known(sum(gs) === 0 && sum(qs) > 0 ? cap : r);
    if (sum(gs) === 0) px.note(sum(qs) > 0 ? 'QREs without receipts: the cap applies' : 'no preceding QREs or receipts: 0%');
  }
  ctx.set('fixed_base_percentage', fbp);
  const avg = averageReceipts(ctx, 'state', CITES);
  const mb = ctx.ex('line.minimum_base_rule', 'minimum base (option)', CITES);
  const useMin = v.option(mb, 'us.pa.research.minimum_base') === 'apply';
  ctx.set('minimum_base_rule', mb.known(useMin ? v.rate(mb, 'us.states.irc41.minimum_base_fraction') : RATE_ZERO));
  const excess = regularExcess(ctx, qre, fbp, avg, CITES, { minimumBase: useMin });
  const credit = timesRate(ctx, 'credit_computed', `QREs over the Pennsylvania base amount × ${small ? '20% (small business)' : '10%'}`, excess, v.rate(null, small ? 'us.pa.research.rate_small_business' : 'us.pa.research.rate'), CITES);
  return finish(ctx, credit, rest);
}
