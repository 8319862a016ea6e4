/**
 * Wisconsin research credit (Wis. Stat. §§71.07(4k), 71.28(4), 71.47(4); Schedule R; states.md Part B, WI).
 * 5.75% of Wisconsin QREs over 50% of the average Wisconsin QREs of the 3 preceding years; 2.875%
 * of current QREs when a preceding year had none. Research on internal combustion engines and
 * energy-efficient products uses 11.5% on its own base — not computed (the credit is then unknown).
 * A share of the current-year credit is refundable (10% 2018–2020, 15% 2021–2023, 25% 2024 on);
 * the rest carries forward 15 years. Partnerships, LLCs and tax-option corporations compute the
 * credit and their owners claim it.
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import { applyRate, formatRate, roundToDollar, type Cents } from '../../../money/index.js';
import { ascExcess, carryforwardYears, cite, finish, isCorporation, StateCtx, timesRate, totalQres, type StateCreditInput, type StateCreditResult } from '../state-credit.js';

const CITES = [cite('Wis. Stat. § 71.28(4)', 'https://docs.legis.wisconsin.gov/statutes/statutes/71/iv/28/4'), cite('Wisconsin Schedule R')];

export function computeWisconsinCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('WI', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const share = v.rate(null, 'us.wi.research.refundable_share');
  if (!isCorporation(input.entityType) || input.entityType === 's_corporation') ctx.notes.push('a partnership, LLC or tax-option corporation computes the credit; its owners claim it in proportion to ownership (§71.28(4)(i)–(j))');
  const fx = ctx.ex('line.eligibility', 'engine / energy-efficiency research', CITES);
  const enhanced = ctx.fact(fx, 'enhanced_research', 'bool');
  const qre = totalQres(ctx, undefined, CITES);
  const a = ascExcess(ctx, qre, CITES);
  let credit: Val<Cents>;
  if (enhanced === true) {
    credit = ctx.set('credit_computed', ctx.ex('line.credit_computed', 'credit', CITES).unknown(['Wisconsin Schedule R split of QREs and prior-year QREs into the 11.5% engine / energy-efficiency category (not computed)']));
  } else if (a.noPrior === true) credit = timesRate(ctx, 'credit_computed', 'current Wisconsin QREs × 2.875% (a preceding year had none)', qre, v.rate(null, 'us.wi.research.rate_no_prior'), CITES);
  else credit = timesRate(ctx, 'credit_computed', 'Wisconsin QREs over 50% of the 3-year average × 5.75%', a.excess, v.rate(null, 'us.wi.research.rate'), CITES);
  const rx = ctx.ex('line.refundable_part', `refundable part (${formatRate(share)} of the credit)`, CITES);
  rx.child(credit);
  const refundAmount = ctx.set('refundable_part', credit.kind === 'known' ? rx.formula(`credit × ${formatRate(share)}`).known(roundToDollar(applyRate(credit.value, share))) : credit.kind === 'unknown' ? rx.unknown(credit.missing) : rx.na(credit.reason));
  const rest = {
    refundable: share.num !== 0n,
    refundability: { kind: share.num !== 0n ? ('partial' as const) : ('none' as const), description: `${formatRate(share)} of the current-year credit is refundable; the rest is nonrefundable and carries forward`, share, amount: refundAmount },
    carryforwardYears: carryforwardYears(ctx, 'us.wi.research.carryforward'),
  };
  return finish(ctx, credit, rest);
}
