/**
 * Arizona credit for increased research activities (A.R.S. §43-1168; Form 308; states.md Part B, AZ).
 * Sum = (Arizona QREs over the base amount) + excess basic research payments (§41(e)(1)(A)).
 * Sum ≤ $2.5M: 24% of it; above: $600,000 + 15% of the part over $2.5M (taxable years beginning
 * before Dec. 31, 2030; then 20% / $500,000 + 11%). The base follows the method elected federally:
 * regular (Arizona fixed-base percentage × average Arizona gross receipts, not below 50% of QREs)
 * or, for tax years ending on or after Dec. 31, 2023, ASC (50% of the 3-year average Arizona QREs).
 * Refund of 75% of the excess over tax for certified small businesses (ACA certificate).
 */
import type { Law } from '../../../law/law.js';
import { add, applyRate, formatDollars, formatRate, nonNegative, roundToDollar, sub, type Cents } from '../../../money/index.js';
import type { Val } from '../../../explain/index.js';
import {
  ascExcess,
  averageReceipts,
  basicResearch,
  carryforwardYears,
  cite,
  finish,
  missingOf,
  regularExcess,
  stateFbp,
  StateCtx,
  sumLine,
  totalQres,
  type StateCreditInput,
  type StateCreditResult,
} from '../state-credit.js';

const CITES = [cite('A.R.S. § 43-1168', 'https://getpocketlaw.com/law/state_arizona/section-43-1168-credit-for-increased-research-activity_0b5cd9fec17f'), cite('Arizona Form 308')];

export function computeArizonaCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('AZ', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const cert = ctx.fact(null, 'aca_refund_certificate', 'bool', { required: false });
  const share = v.rate(null, 'us.az.research.refund_share');
  const rest = {
    refundable: cert === true,
    refundability: cert === true
      ? { kind: 'partial' as const, description: `${formatRate(share)} of the excess of the credit over tax may be refunded (ACA certificate; $5M a year statewide)`, share }
      : { kind: 'conditional' as const, description: 'refund of 75% of the excess over tax only with an Arizona Commerce Authority certificate (fewer than 150 full-time employees)' },
    carryforwardYears: carryforwardYears(ctx, 'us.az.research.carryforward'),
  };
  const br = basicResearch(ctx, CITES);
  const qre = totalQres(ctx, br.rollover, CITES);
  const mx = ctx.ex('line.method', 'method (follows the federal election, A.R.S. § 43-1168(D))', CITES);
  const ascAvailable = v.bool(mx, 'us.az.research.asc_available');
  const fed = input.federal.method;
  let excess: Val<Cents>;
  if (fed === undefined) {
    ctx.missing.push('federal.method');
    excess = ctx.set('excess', ctx.ex('line.excess', 'QREs over the base amount', CITES).unknown(['federal.method']));
  } else if (fed === 'asc' && ascAvailable) {
    const a = ascExcess(ctx, qre, CITES);
    excess = a.excess;
    if (a.noPrior === true) {
      const ex = ctx.ex('line.excess_no_prior', 'ASC with a preceding year without Arizona QREs', CITES);
      const choice = v.option(ex, 'us.az.research.asc_no_prior_qres');
      excess = choice === 'unknown' ? ctx.set('excess', ex.unknown(['Arizona ASC rule when a preceding year had no Arizona QREs (option us.az.research.asc_no_prior_qres)'])) : ctx.set('excess', (ex.child(a.excess), ex.known((a.excess as { value: Cents }).value)));
    }
  } else {
    if (fed === 'asc') ctx.notes.push('ASC elected federally, but Arizona allows the ASC only for tax years ending on or after Dec. 31, 2023: regular method used');
    const fbp = stateFbp(ctx, CITES);
    const avg = averageReceipts(ctx, 'state', CITES);
    excess = regularExcess(ctx, qre, fbp, avg, CITES);
  }
  const sum = sumLine(ctx, 'sum', 'excess QREs + excess basic research payments (§43-1168(A)(1)(a))', [excess, br.excess], CITES, 'excess QREs + basic research payments under §41(e)(1)(A)');
  const cx = ctx.ex('line.tiered_credit', 'credit at the tiered rates (§43-1168(A)(1)(b)–(c))', CITES);
  cx.child(sum);
  const threshold = v.money(cx, 'us.az.research.tier_threshold');
  const r1 = v.rate(cx, 'us.az.research.rate_first_tier');
  const fixed = v.money(cx, 'us.az.research.fixed_amount_over_threshold');
  const r2 = v.rate(cx, 'us.az.research.rate_second_tier');
  let credit: Val<Cents>;
  if (sum.kind !== 'known') credit = cx.unknown(missingOf(sum));
  else if (sum.value <= threshold) credit = cx.formula(`sum × ${formatRate(r1)}`).known(roundToDollar(applyRate(sum.value, r1)));
  else credit = cx.formula(`${formatDollars(fixed)} + ${formatRate(r2)} × (sum − ${formatDollars(threshold)})`).known(roundToDollar(add(fixed, applyRate(nonNegative(sub(sum.value, threshold)), r2))));
  ctx.set('tiered_credit', credit);
  if (br.excess.kind === 'known' && br.excess.value > 0) ctx.notes.push('the additional 10% credit for basic research payments to an Arizona Board of Regents university needs ADOR certification and is not computed');
  return finish(ctx, credit, rest);
}
