/**
 * California research credit (R&TC §23609; FTB 3523; states.md Part B, CA).
 * Regular method: 15% of California QREs over max(CA fixed-base percentage × average California
 * gross receipts of the 4 preceding years, 50% of QREs), plus 24% of excess basic research
 * payments. From 2025 (SB 711) the ASC may be elected on the original return: 3% of QREs over 50%
 * of the 3-year average, or 1.3% of current QREs when a preceding year had none; the AIC is gone.
 * S corporations use one-third of the credit (R&TC §23803). Nonrefundable; carried over until used.
 */
import type { Law } from '../../../law/law.js';
import { applyRate, roundToDollar } from '../../../money/index.js';
import {
  ascExcess,
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

const CITES = [cite('Cal. Rev. & Tax. Code § 23609', 'https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=RTC&sectionNum=23609'), cite('FTB 3523, Research Credit')];

export function computeCaliforniaCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('CA', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const rest = { refundable: false, refundability: { kind: 'none' as const, description: 'nonrefundable; assignable within a combined group (FTB 3544)' }, carryforwardYears: carryforwardYears(ctx, 'us.ca.research.carryforward') };
  ctx.notes.push('2024–2026: business credits may be limited to $5 million a year (SB 167) — a limit on use, not on the credit computed here [UNVERIFIED years]');
  const br = basicResearch(ctx, CITES);
  const qre = totalQres(ctx, br.rollover, CITES);
  const mx = ctx.ex('line.method', 'method', CITES);
  const ascAvailable = v.bool(mx, 'us.ca.research.asc_available');
  const method = ascAvailable ? ctx.fact(mx, 'method', 'choice', { choices: ['regular', 'asc'] }) : 'regular';
  if (!ascAvailable) mx.note('before 2025 only the regular method is computed (the alternative incremental credit is not)');
  const basic = timesRate(ctx, 'basic_research_credit', 'basic research credit', br.excess, v.rate(null, 'us.ca.research.basic_research_rate'), CITES);
  let qrePart;
  if (method === 'asc') {
    const a = ascExcess(ctx, qre, CITES);
    if (a.noPrior === true) qrePart = timesRate(ctx, 'qre_credit', 'ASC: current QREs × 1.3% (a preceding year had no California QREs)', qre, v.rate(null, 'us.ca.research.asc_rate_no_prior'), CITES);
    else qrePart = timesRate(ctx, 'qre_credit', 'ASC: QREs over 50% of the 3-year average × 3%', a.excess, v.rate(null, 'us.ca.research.asc_rate'), CITES);
  } else if (method === 'regular') {
    const fbp = stateFbp(ctx, CITES);
    const avg = averageReceipts(ctx, 'state', CITES);
    const excess = regularExcess(ctx, qre, fbp, avg, CITES);
    qrePart = timesRate(ctx, 'qre_credit', 'regular: QREs over the base amount × 15%', excess, v.rate(null, 'us.ca.research.rate'), CITES);
  } else {
    const ex = ctx.ex('line.qre_credit', 'QRE credit', CITES);
    qrePart = ctx.set('qre_credit', ex.unknown(['stateFacts.CA.method']));
  }
  let credit = sumLine(ctx, 'total_credit', 'research credit (QRE credit + basic research credit)', [qrePart, basic], CITES, 'QRE credit + basic research credit');
  if (input.entityType === 's_corporation') {
    const ex = ctx.ex('line.s_corporation', 'S corporation: one-third of the credit (R&TC § 23803)', [cite('Cal. Rev. & Tax. Code § 23803')]);
    const f = v.rate(ex, 'us.ca.research.s_corporation_fraction');
    ex.child(credit);
    credit = ctx.set('s_corporation', credit.kind === 'known' ? ex.formula('credit × 1/3').known(roundToDollar(applyRate(credit.value, f))) : credit.kind === 'unknown' ? ex.unknown(credit.missing) : ex.na(credit.reason));
  }
  return finish(ctx, credit, rest);
}
