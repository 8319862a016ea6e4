/**
 * Minnesota credit for increasing research activities (Minn. Stat. §290.068; Schedule RD; states.md Part B, MN).
 * 10% of the first $2 million of Minnesota QREs over the base and 4% above; the base is the
 * §41(c) base with Minnesota figures (Minnesota fixed-base percentage × average Minnesota receipts,
 * not less than 50% of QREs); no ASC. From 2025 an election on a timely return refunds a share of
 * the unused current-year credit (19.2% for 2025, 25% for 2026–2027); the rest carries 15 years.
 * QREs exclude wages used for the federal work opportunity credit (already out of the federal QREs).
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import { formatDollars, formatRate, type Cents } from '../../../money/index.js';
import { averageReceipts, carryforwardYears, cite, finish, missingOf, regularExcess, stateFbp, StateCtx, tiered, totalQres, type StateCreditInput, type StateCreditResult } from '../state-credit.js';

const CITES = [cite('Minn. Stat. § 290.068', 'https://www.revisor.mn.gov/statutes/cite/290.068'), cite('Minnesota Schedule RD')];

export function computeMinnesotaCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('MN', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const elect = ctx.fact(null, 'refund_election', 'bool', { required: false });
  const share = v.rate(null, 'us.mn.research.refund_rate');
  const available = share.num !== 0n;
  const rest = {
    refundable: elect === true && available,
    refundability: available
      ? { kind: elect === true ? ('partial' as const) : ('conditional' as const), description: `on election, ${formatRate(share)} of the unused current-year credit is refunded; the rest carries forward`, share }
      : { kind: 'none' as const, description: 'nonrefundable before 2025' },
    carryforwardYears: carryforwardYears(ctx, 'us.mn.research.carryforward'),
  };
  const qre = totalQres(ctx, undefined, CITES);
  const fbp = stateFbp(ctx, CITES);
  const avg = averageReceipts(ctx, 'state', CITES);
  const excess = regularExcess(ctx, qre, fbp, avg, CITES);
  const cx = ctx.ex('line.credit_computed', 'credit: 10% of the first $2 million of excess, 4% above', CITES);
  cx.child(excess);
  const t = v.money(cx, 'us.mn.research.tier_threshold');
  const r1 = v.rate(cx, 'us.mn.research.rate_first_tier');
  const r2 = v.rate(cx, 'us.mn.research.rate_second_tier');
  cx.formula(`${formatRate(r1)} × min(excess, ${formatDollars(t)}) + ${formatRate(r2)} × the rest`);
  const credit: Val<Cents> = ctx.set('credit_computed', excess.kind === 'known' ? cx.known(tiered(excess.value, t, r1, r2)) : cx.unknown(missingOf(excess)));
  return finish(ctx, credit, rest);
}
