/**
 * Utah credits for research activities (Utah Code §§59-7-612, 59-10-1012; states.md Part B, UT).
 * Three nonrefundable pieces: (i) 5% of Utah QREs over the base amount (§41(c) and (h) with
 * Utah-source gross receipts; irrevocable start-up election available; no AIC); (ii) 5% of basic
 * research payments over the base period amount; (iii) 7.5% of all current-year Utah QREs.
 * (i) and (ii) carry forward 14 years; (iii) does not carry forward. No form (code on the return).
 */
import type { Law } from '../../../law/law.js';
import {
  averageReceipts,
  basicResearch,
  carryforwardYears,
  cite,
  finish,
  regularExcess,
  stateFbp,
  StateCtx,
  sumLine,
  timesRate,
  totalQres,
  type StateCreditInput,
  type StateCreditResult,
} from '../state-credit.js';

const CITES = [cite('Utah Code § 59-7-612', 'https://lexace.ai/us/statute/utah/59-7-612'), cite('Utah Code § 59-10-1012', 'https://lexace.ai/us/statute/utah/59-10-1012')];

export function computeUtahCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('UT', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const cf = carryforwardYears(ctx, 'us.ut.research.carryforward');
  const rest = { refundable: false, refundability: { kind: 'none' as const, description: 'nonrefundable' }, carryforwardYears: cf };
  ctx.notes.push(`the incremental credits (i) and (ii) carry forward ${cf} years; the 7.5% credit (iii) cannot be carried forward`);
  const br = basicResearch(ctx, CITES);
  const qre = totalQres(ctx, br.rollover, CITES);
  const fbp = stateFbp(ctx, CITES);
  const avg = averageReceipts(ctx, 'state', CITES);
  const excess = regularExcess(ctx, qre, fbp, avg, CITES);
  const i = timesRate(ctx, 'incremental_credit', '(i) QREs over the base amount × 5%', excess, v.rate(null, 'us.ut.research.incremental_rate'), CITES);
  const ii = timesRate(ctx, 'basic_research_credit', '(ii) basic research payments over the base amount × 5%', br.excess, v.rate(null, 'us.ut.research.basic_research_rate'), CITES);
  const iii = timesRate(ctx, 'volume_credit', '(iii) all current-year Utah QREs × 7.5%', qre, v.rate(null, 'us.ut.research.volume_rate'), CITES);
  const credit = sumLine(ctx, 'total_credit', 'Utah research credits (i) + (ii) + (iii)', [i, ii, iii], CITES, '(i) + (ii) + (iii)');
  return finish(ctx, credit, rest);
}
