/**
 * Georgia research tax credit (O.C.G.A. §48-7-40.12; Reg. 560-7-8-.42; Form IT-RD; states.md Part B, GA).
 * Base = current-year Georgia gross receipts × the lesser of (the average of the ratios of QREs to
 * Georgia gross receipts of the 3 preceding years) and 0.300. Credit = 10% of Georgia QREs over
 * the base. Only a "business enterprise" (listed industries, not retail) that claims and is allowed
 * the federal §41 credit qualifies. Limited to 50% of net Georgia tax (a limit on use); 10-year
 * carryforward; excess may offset Georgia payroll withholding after Form IT-WH.
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import { addRate, cmpRate, formLineTimesRate, formatRate, minRate, mulRate, nonNegative, ratio, sub, type Cents, type Rate } from '../../../money/index.js';
import { carryforwardYears, cite, finish, missingOf, priorYears, safeRatio, StateCtx, timesRate, totalQres, type StateCreditInput, type StateCreditResult } from '../state-credit.js';

const CITES = [
  cite('O.C.G.A. § 48-7-40.12', 'https://print.casetext.com/statute/code-of-georgia/title-48-revenue-and-taxation/chapter-7-income-taxes/article-2-imposition-rate-and-computation-exemptions/section-48-7-4012-effective-until-112025-tax-credits-for-qualified-research-expenses'),
  cite('Ga. Comp. R. & Regs. 560-7-8-.42'),
];

export function computeGeorgiaCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('GA', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const wh = ctx.fact(null, 'withholding_election', 'bool', { required: false });
  const rest = {
    refundable: wh === true,
    refundability: { kind: 'conditional' as const, description: 'not refundable; unused credit may instead offset Georgia payroll withholding after Form IT-WH is filed' },
    carryforwardYears: carryforwardYears(ctx, 'us.ga.research.carryforward'),
  };
  ctx.notes.push('the credit may offset at most 50% of net Georgia tax after other credits — a limit on use, not on the credit computed here');
  const fx = ctx.ex('line.eligibility', 'eligibility (business enterprise; federal credit claimed and allowed)', CITES);
  const enterprise = ctx.fact(fx, 'business_enterprise', 'bool');
  const fedClaimed = ctx.fact(fx, 'federal_credit_claimed', 'bool');
  const qre = totalQres(ctx, undefined, CITES);
  if (enterprise === false || fedClaimed === false) {
    const why = enterprise === false ? 'not a business enterprise in an eligible industry (O.C.G.A. § 48-7-40.12(a)(3))' : 'the federal § 41 credit is not claimed and allowed for the year (§ 48-7-40.12(b))';
    ctx.set('eligibility', fx.na(why));
    const c = ctx.set('credit_computed', ctx.ex('line.credit_computed', 'credit', CITES).na(why));
    return finish(ctx, c, rest);
  }
  // Ratio of the 3 preceding years.
  const rx = ctx.ex('line.base_ratio', 'base ratio: lesser of the average QRE / Georgia gross receipts ratio of the 3 preceding years and 0.300', CITES);
  const n = v.count(rx, 'us.ga.research.ratio_years');
  const cap = v.rate(rx, 'us.ga.research.ratio_cap');
  const years = priorYears(ctx, n);
  const missing: string[] = [];
  const ratios: Rate[] = [];
  for (const y of years) {
    if (y.notInExistence) continue;
    if (!y.row || y.row.qre === undefined) missing.push(`history.${y.year}.qreByState.GA`);
    if (!y.row || y.row.grossReceipts === undefined) missing.push(`history.${y.year}.grossReceiptsByState.GA`);
    if (!y.row || y.row.qre === undefined || y.row.grossReceipts === undefined) continue;
    if (y.row.grossReceipts === 0) {
      rx.note(`${y.year}: no Georgia gross receipts — the year has no ratio`);
      continue;
    }
    const r = safeRatio(y.row.qre, y.row.grossReceipts);
    rx.input(`ratio ${y.year} (QREs ÷ Georgia gross receipts)`, r);
    ratios.push(r);
  }
  let ratioVal: Val<Rate>;
  if (missing.length) ratioVal = rx.unknown(missing);
  else if (ratios.length < n) {
    const choice = v.option(rx, 'us.ga.research.short_history');
    if (choice === 'cap_300' || ratios.length === 0) {
      ratioVal = rx.formula(`fewer than ${n} preceding years with Georgia gross receipts: ${formatRate(cap)}`).known(cap);
    } else {
      const avg = mulRate(ratios.reduce((a, r) => addRate(a, r), ratio(0)), ratio(1, ratios.length));
      ratioVal = rx.formula(`average of ${ratios.length} ratio(s), not more than ${formatRate(cap)}`).known(minRate(avg, cap));
    }
  } else {
    const avg = mulRate(ratios.reduce((a, r) => addRate(a, r), ratio(0)), ratio(1, n));
    ratioVal = rx.formula(`min(average ratio ${formatRate(avg, 6)}, ${formatRate(cap)})`).known(minRate(avg, cap));
    if (cmpRate(avg, cap) > 0) rx.note('average ratio above the cap: 0.300 used');
  }
  ctx.set('base_ratio', ratioVal);
  const bx = ctx.ex('line.base', 'base amount (current-year Georgia gross receipts × base ratio)', CITES);
  bx.child(ratioVal);
  const gr = input.grossReceipts?.state;
  if (gr === undefined) missing.push('grossReceiptsByState.GA');
  else bx.input('Georgia gross receipts of the credit year (numerator of the gross receipts factor)', gr);
  const base = ctx.set('base', ratioVal.kind === 'known' && gr !== undefined ? bx.formula('current Georgia gross receipts × ratio').known(formLineTimesRate(gr, ratioVal.value)) : bx.unknown([...missingOf(ratioVal), ...(gr === undefined ? ['grossReceiptsByState.GA'] : [])]));
  const ex = ctx.ex('line.excess', 'Georgia QREs over the base amount', CITES).formula('QREs − base, not less than zero');
  ex.child(qre);
  ex.child(base);
  const excess = ctx.set('excess', qre.kind === 'known' && base.kind === 'known' ? ex.known(nonNegative(sub(qre.value, base.value))) : ex.unknown(missingOf(qre, base)));
  const credit = timesRate(ctx, 'credit_computed', 'credit (10% of the excess)', excess, v.rate(null, 'us.ga.research.rate'), CITES);
  return finish(ctx, credit as Val<Cents>, rest);
}
