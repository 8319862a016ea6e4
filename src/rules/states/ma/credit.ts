/**
 * Massachusetts research credit (M.G.L. c. 63 §38M; 830 CMR 63.38M.1; Schedule RC; states.md Part B, MA).
 * Corporations only (S corporations use it at entity level). Regular method (§38M(a), §41 as of
 * Aug. 12, 1991): 10% of Massachusetts QREs over max(MA fixed-base percentage × average receipts
 * of the 4 preceding years, 50% of QREs) + 15% of excess basic research payments; the receipts are
 * total receipts unless the taxpayer elects Massachusetts receipts (for both the percentage and
 * the average); start-ups 3%; inadequate base-period records 16%. ASM (§38M(b), from 2015, §41 as
 * of Jan. 1, 2014): rate (option) × QREs over 50% of the 3-year average; 5% of current QREs when a
 * preceding year had none. Limit on use: 100% of the first $25,000 of excise + 75% of the rest.
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import type { Cents, Rate } from '../../../money/index.js';
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

const CITES = [cite('M.G.L. c. 63 § 38M'), cite('830 CMR 63.38M.1'), cite('Massachusetts Schedule RC instructions', 'https://formsbank.com/template/380932/instructions-for-schedule-rc-research-credit-2012.html')];

export function computeMassachusettsCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('MA', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const rest = { refundable: false, refundability: { kind: 'none' as const, description: 'nonrefundable' }, carryforwardYears: carryforwardYears(ctx, 'us.ma.research.carryforward') };
  if (!isCorporation(input.entityType)) return notApplicable(ctx, 'the Massachusetts research credit is a corporate excise credit (business corporations only)', rest);
  ctx.notes.push('use is limited to 100% of the first $25,000 of excise plus 75% of the rest; amounts held back by the 75% rule carry forward indefinitely');
  const br = basicResearch(ctx, CITES);
  const qre = totalQres(ctx, br.rollover, CITES);
  const mx = ctx.ex('line.method', 'method', CITES);
  const asmAvailable = v.bool(mx, 'us.ma.research.asm_available');
  const method = ctx.fact(mx, 'method', 'choice', { choices: ['regular', 'asc'] });
  const basic = timesRate(ctx, 'basic_research_credit', 'basic research credit (15%)', br.excess, v.rate(null, 'us.ma.research.basic_research_rate'), CITES);
  let qrePart: Val<Cents>;
  if (method === 'asc' && asmAvailable) {
    ctx.notes.push('ASM: QREs as defined by §41 as in effect on Jan. 1, 2014');
    const a = ascExcess(ctx, qre, CITES);
    const rx = ctx.ex('line.asm_rate', 'ASM rate', CITES);
    const choice = v.option(rx, 'us.ma.research.asm_rate');
    const r: Rate = v.rateTable(rx, 'us.ma.research.asm_rates')[choice]!;
    ctx.set('asm_rate', rx.known(r));
    if (a.noPrior === true) qrePart = timesRate(ctx, 'qre_credit', 'ASM: current QREs × 5% (a preceding year had no Massachusetts QREs)', qre, v.rate(null, 'us.ma.research.asm_rate_no_prior'), CITES);
    else qrePart = timesRate(ctx, 'qre_credit', 'ASM: QREs over 50% of the 3-year average × ASM rate', a.excess, r, CITES);
  } else if (method === 'regular' || (method === 'asc' && !asmAvailable)) {
    if (method === 'asc') ctx.notes.push('ASM is available only for tax years beginning in 2015 or later: regular method used');
    ctx.notes.push('regular method: QREs as defined by §41 as in effect on Aug. 12, 1991');
    const massReceipts = ctx.fact(mx, 'massachusetts_receipts', 'bool');
    const fbp = stateFbp(ctx, CITES, (ex) => {
      const inadequate = ctx.fact(ex, 'inadequate_base_records', 'bool', { required: false });
      if (inadequate !== true) return undefined;
      ex.note('base-period records are inadequate: 16% (Schedule RC instructions, line 12)');
      return v.rate(ex, 'us.ma.research.inadequate_records_fbp');
    });
    const avg = averageReceipts(ctx, massReceipts === false ? 'total' : 'state', CITES);
    const excess = regularExcess(ctx, qre, fbp, avg, CITES);
    qrePart = timesRate(ctx, 'qre_credit', 'regular: QREs over the base amount × 10%', excess, v.rate(null, 'us.ma.research.rate'), CITES);
  } else {
    qrePart = ctx.set('qre_credit', ctx.ex('line.qre_credit', 'QRE credit', CITES).unknown(['stateFacts.MA.method']));
  }
  const credit = sumLine(ctx, 'total_credit', 'research credit (QRE credit + basic research credit)', [qrePart, basic], CITES, 'QRE credit + basic research credit');
  return finish(ctx, credit, rest);
}
