/**
 * New Jersey research credit (N.J.S.A. 54:10A-5.24; Form 306; states.md Part B, NJ).
 * Corporation business tax only. The credit must use the method used for the federal credit:
 * regular — 10% of New Jersey QREs over max(NJ fixed-base percentage × average receipts, 50% of
 * QREs) plus 10% of excess basic research payments; ASC (from 2018) — 10% of QREs over 50% of the
 * 3-year average, and 10% of current QREs when a preceding year had none. 7-year carryforward
 * (15 for listed technology fields); credits may be sold through the NJEDA transfer program.
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import type { Cents } from '../../../money/index.js';
import {
  ascExcess,
  averageReceipts,
  basicResearch,
  carryforwardYears,
  cite,
  finish,
  isCorporation,
  notApplicable,
  regularExcess,
  stateFbp,
  StateCtx,
  sumLine,
  timesRate,
  totalQres,
  type StateCreditInput,
  type StateCreditResult,
} from '../state-credit.js';

const CITES = [cite('N.J.S.A. 54:10A-5.24'), cite('New Jersey Form 306')];

export function computeNewJerseyCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('NJ', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const priority = ctx.fact(null, 'priority_technology', 'bool', { required: false });
  const rest = {
    refundable: false,
    refundability: { kind: 'none' as const, description: 'not refundable; may be sold through the NJEDA Technology Business Tax Certificate Transfer Program' },
    carryforwardYears: carryforwardYears(ctx, priority ? 'us.nj.research.carryforward_priority_technology' : 'us.nj.research.carryforward'),
  };
  if (!isCorporation(input.entityType)) return notApplicable(ctx, 'the New Jersey research credit is a corporation business tax credit', rest);
  ctx.notes.push('use may not reduce the tax below the statutory minimum; a 50%-of-liability limit is reported [UNVERIFIED] — limits on use, not on the credit computed here');
  const br = basicResearch(ctx, CITES);
  const qre = totalQres(ctx, br.rollover, CITES);
  const method = input.federal.method;
  const basic = timesRate(ctx, 'basic_research_credit', 'basic research credit (10%)', br.excess, v.rate(null, 'us.nj.research.basic_research_rate'), CITES);
  let qrePart: Val<Cents>;
  if (method === undefined) {
    ctx.missing.push('federal.method');
    qrePart = ctx.set('qre_credit', ctx.ex('line.qre_credit', 'QRE credit (same method as the federal credit)', CITES).unknown(['federal.method']));
  } else if (method === 'asc') {
    const a = ascExcess(ctx, qre, CITES);
    qrePart =
      a.noPrior === true
        ? timesRate(ctx, 'qre_credit', 'ASC: current QREs × 10% (a preceding year had no New Jersey QREs)', qre, v.rate(null, 'us.nj.research.asc_rate_no_prior'), CITES)
        : timesRate(ctx, 'qre_credit', 'ASC: QREs over 50% of the 3-year average × 10%', a.excess, v.rate(null, 'us.nj.research.rate'), CITES);
  } else {
    const fbp = stateFbp(ctx, CITES);
    const rx = ctx.ex('line.receipts_rule', 'gross receipts in the base (option)', CITES);
    const which = v.option(rx, 'us.nj.research.base_receipts') === 'new_jersey' ? 'state' : 'total';
    const avg = averageReceipts(ctx, which, CITES);
    avg.why.flags.push(v.flagFor('us.nj.research.base_receipts'));
    const excess = regularExcess(ctx, qre, fbp, avg, CITES);
    qrePart = timesRate(ctx, 'qre_credit', 'regular: QREs over the base amount × 10%', excess, v.rate(null, 'us.nj.research.rate'), CITES);
  }
  const credit = sumLine(ctx, 'total_credit', 'research credit (QRE credit + basic research credit)', [qrePart, basic], CITES, 'QRE credit + basic research credit');
  return finish(ctx, credit, rest);
}
