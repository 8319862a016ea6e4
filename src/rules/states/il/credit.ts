/**
 * Illinois credit for increasing research activities (35 ILCS 5/201(k); Schedule 1299-D; states.md Part B, IL).
 * 6.5% of the Illinois qualifying expenditures of the year over the base amount, the average of
 * the Illinois qualifying expenditures of the 3 preceding tax years (years before the taxpayer's
 * first tax year count as none). Qualifying expenditures are §41 QREs for research conducted in
 * Illinois plus, for corporations other than S corporations, §41(e) basic research payments for
 * research conducted in Illinois. Tax years ending before Jan. 1, 2032. Nonrefundable; unused
 * credit carries forward 5 years. Partnerships and S corporations pass the credit to their owners
 * by distributive share.
 */
import type { Law } from '../../../law/law.js';
import type { Val } from '../../../explain/index.js';
import { nonNegative, prorate, roundToDollar, sub, sum, ZERO, type Cents } from '../../../money/index.js';
import { basicResearchEntity, carryforwardYears, cite, finish, missingOf, notApplicable, priorYears, StateCtx, sumLine, timesRate, totalQres, type StateCreditInput, type StateCreditResult } from '../state-credit.js';

const CITES = [cite('35 ILCS 5/201(k)', 'https://www.ilga.gov/legislation/ilcs/fulltext.asp?DocName=003500050K201'), cite('Illinois Schedule 1299-D instructions')];

export function computeIllinoisCredit(law: Law, input: StateCreditInput): StateCreditResult {
  const ctx = new StateCtx('IL', input, law.for(input.period, input.options ?? {}));
  const v = ctx.view;
  const rest = { refundable: false, refundability: { kind: 'none' as const, description: 'nonrefundable' }, carryforwardYears: carryforwardYears(ctx, 'us.il.research.carryforward') };
  const ax = ctx.ex('line.available', 'credit available for the tax year (tax years ending before Jan. 1, 2032)', CITES);
  if (!v.bool(ax, 'us.il.research.available')) return notApplicable(ctx, 'the Illinois research credit applies to tax years ending before Jan. 1, 2032 (35 ILCS 5/201(k))', rest);
  if (input.entityType === 's_corporation' || input.entityType === 'partnership') ctx.notes.push('a partnership or S corporation computes the credit and passes it to its owners by distributive share');
  const qre = totalQres(ctx, undefined, CITES);
  // Basic research payments are qualifying expenditures of corporations only (§41(e)).
  const bx = ctx.ex('line.basic_research', 'basic research payments for research conducted in Illinois (§41(e); corporations only)', CITES);
  const paid = bx.child(input.qres.byCategory.basicResearch);
  let basic: Val<Cents>;
  if (!basicResearchEntity(input.entityType)) {
    basic = ctx.set('basic_research', bx.na('only corporations other than S corporations have basic research payments (§41(e))'));
    if (paid.kind === 'known' && paid.value > 0) ctx.notes.push('basic research payments are not qualifying expenditures of this taxpayer (§41(e): corporations only)');
  } else basic = ctx.set('basic_research', paid.kind === 'known' ? bx.known(roundToDollar(paid.value)) : paid.kind === 'unknown' ? bx.unknown(paid.missing) : bx.known(ZERO));
  const qualifying = sumLine(ctx, 'qualifying_expenditures', 'Illinois qualifying expenditures (QREs + basic research payments)', [qre, basic], CITES, 'Illinois QREs + basic research payments');

  // Base: average of the 3 preceding years.
  const px = ctx.ex('line.base', 'base amount: average Illinois qualifying expenditures of the 3 preceding tax years', CITES);
  const n = v.count(px, 'us.il.research.base_years');
  const missing: string[] = [];
  const amounts: Cents[] = [];
  for (const y of priorYears(ctx, n)) {
    if (y.notInExistence) {
      px.input(`Illinois qualifying expenditures ${y.year}`, ZERO, 'before the first tax year');
      amounts.push(ZERO);
      continue;
    }
    if (!y.row || y.row.qre === undefined) {
      missing.push(`history.${y.year}.qreByState.IL`);
      continue;
    }
    px.input(`Illinois qualifying expenditures ${y.year}`, y.row.qre, `history.${y.year}.qreByState.IL`);
    amounts.push(y.row.qre);
  }
  const base = ctx.set('base', missing.length ? px.unknown(missing) : px.formula(`total of the ${n} preceding years ÷ ${n}`).known(roundToDollar(prorate(sum(amounts), 1, n))));
  const ex = ctx.ex('line.excess', 'qualifying expenditures over the base amount', CITES).formula('qualifying expenditures − base amount, not less than zero');
  ex.child(qualifying);
  ex.child(base);
  const excess = ctx.set('excess', qualifying.kind === 'known' && base.kind === 'known' ? ex.known(nonNegative(sub(qualifying.value, base.value))) : ex.unknown(missingOf(qualifying, base)));
  const credit = timesRate(ctx, 'credit_computed', 'credit: excess × 6.5%', excess, v.rate(null, 'us.il.research.rate'), CITES);
  return finish(ctx, credit, rest);
}
