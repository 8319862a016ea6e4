/**
 * §38(c) — how much general business credit (and so research credit) the tax of the year can absorb
 * (federal.md §8.1, §8.2).
 *
 *   net income tax  = regular tax + §55 tax − credits of subparts A and B
 *   net regular tax = regular tax − credits of subparts A and B
 *   limit = max(0, net income tax − max(TMT, 25% × max(0, base − $25,000)))
 *
 * Non-corporate taxpayers: base = net regular tax, TMT as computed. Corporations: TMT treated as zero;
 * base = net regular tax (tax years beginning before 2023) or net income tax (after 2022), per the
 * parameter `us.federal.irc38.corporate_excess_base`. Married filing separately: $12,500 (unless the
 * spouse has no business credit). For an eligible small business the research credit is a specified
 * credit (§38(c)(4)(B)(ii)): its own limit with TMT = 0, reduced by the other credits allowed.
 * Credits ranked ahead of the research credit (§38(d) order; carryforwards of other credits) use
 * the limit first; what is left is `researchRoom`, which the §39 ledger spends by vintage.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { applyRate, formatCents, max, min, nonNegative, sub, sum, ZERO, type Cents } from '../../money/index.js';
import { periodLabel } from '../../periods/tax-period.js';
import { cite } from './citations.js';

export const RULE_38C = 'us.federal.irc38.limitation';

export interface Section38Input {
  /** A corporation (C or S corporation paying tax at the entity level) rather than an individual, estate or trust. */
  corporate: boolean;
  /** Regular tax liability (§26(b)). */
  regularTax: Cents | undefined;
  /** Tentative minimum tax (§55(b)); 0 when none. */
  tentativeMinimumTax: Cents | undefined;
  /** Credits allowed under subparts A and B (nonrefundable personal and other credits before the GBC); 0 when none. */
  priorCredits: Cents | undefined;
  marriedFilingSeparately?: boolean;
  /** §38(c)(6)(A): the $12,500 amount does not apply if the spouse has no business credit for the year. */
  spouseHasNoBusinessCredits?: boolean;
  /** The share of the $25,000 apportioned to this member of a controlled group (§38(c)(6)(B)); overrides the parameter. */
  apportionedThreshold?: Cents;
  /** The research credit is a specified credit because the taxpayer is an eligible small business (`esbTest`). */
  researchIsSpecifiedCredit: boolean;
  /** Non-specified general business credits (current and carried) used before the research credit. */
  otherCreditsAhead?: Cents;
  /** Other specified credits used before the research credit. */
  otherSpecifiedCreditsAhead?: Cents;
}

export interface Section38Result {
  netIncomeTax: Cents;
  netRegularTax: Cents;
  /** The §55 tax (alternative minimum tax) included in the net income tax. */
  section55Tax: Cents;
  threshold: Cents;
  /** §38(c)(1) limit for non-specified credits. */
  generalLimit: Cents;
  /** §38(c)(4) limit for specified credits (TMT = 0); null when the research credit is not one. */
  specifiedLimit: Cents | null;
  /** Research credit (any vintage) that the year can absorb after the credits ranked ahead. */
  researchRoom: Cents;
}

export function section38Limit(law: LawView, input: Section38Input): Val<Section38Result> {
  const ex = explainer(RULE_38C, `§38(c) limitation (${periodLabel(law.period)})`, [cite.USC('38', '(c)')]);
  const missing: string[] = [];
  if (input.regularTax === undefined) missing.push('taxFacts.regularTax');
  if (input.tentativeMinimumTax === undefined) missing.push('taxFacts.tentativeMinimumTax');
  if (input.priorCredits === undefined) missing.push('taxFacts.priorCredits');
  if (missing.length) return ex.unknown(missing);
  const regular = input.regularTax!;
  const prior = input.priorCredits!;
  const rate = law.rate(ex, 'us.federal.irc38.excess_rate');
  let threshold: Cents;
  if (input.apportionedThreshold !== undefined) {
    threshold = input.apportionedThreshold;
    ex.input('apportioned share of the $25,000 amount', threshold);
  } else if (input.marriedFilingSeparately && !input.spouseHasNoBusinessCredits) threshold = law.money(ex, 'us.federal.irc38.threshold_mfs');
  else threshold = law.money(ex, 'us.federal.irc38.threshold');

  let tmt = input.tentativeMinimumTax!;
  let base = 'net_regular_tax' as 'net_regular_tax' | 'net_income_tax';
  if (input.corporate) {
    base = law.text(ex, 'us.federal.irc38.corporate_excess_base') as typeof base;
    if (base === 'net_regular_tax' && tmt > 0) ex.note('Corporate tentative minimum tax is treated as zero for these years; the entered TMT is ignored.');
    if (base === 'net_regular_tax') tmt = ZERO;
  }
  const section55 = nonNegative(sub(tmt, regular));
  const nit = nonNegative(sub(sum([regular, section55]), prior));
  const nrt = nonNegative(sub(regular, prior));
  const baseAmount = base === 'net_income_tax' ? nit : nrt;
  const quarterPart = applyRate(nonNegative(sub(baseAmount, threshold)), rate);
  const limitWith = (t: Cents) => nonNegative(sub(nit, max(t, quarterPart)));
  const generalLimit = limitWith(input.corporate ? ZERO : tmt);
  ex.input('regular tax', regular).input('tentative minimum tax', input.tentativeMinimumTax!).input('credits of subparts A and B', prior);
  ex.input('net income tax', nit).input('net regular tax', nrt);
  const other = input.otherCreditsAhead ?? ZERO;
  if (other) ex.input('other credits ranked ahead', other);
  let specifiedLimit: Cents | null = null;
  let room: Cents;
  if (input.researchIsSpecifiedCredit) {
    const otherAllowed = min(other, generalLimit);
    specifiedLimit = nonNegative(sub(limitWith(ZERO), otherAllowed));
    const spAhead = input.otherSpecifiedCreditsAhead ?? ZERO;
    room = nonNegative(sub(specifiedLimit, spAhead));
    ex.formula(`specified credit (eligible small business): ${formatCents(nit)} − max(0, ${formatCents(quarterPart)}) − other credits allowed ${formatCents(otherAllowed)}${spAhead ? ` − other specified credits ${formatCents(spAhead)}` : ''}`);
  } else {
    room = nonNegative(sub(generalLimit, other));
    ex.formula(`${formatCents(nit)} − max(${input.corporate ? 'TMT treated as 0' : formatCents(tmt)}, 25% × (${base === 'net_income_tax' ? 'net income tax' : 'net regular tax'} − ${formatCents(threshold)})) − other credits ahead`);
  }
  return ex.known({ netIncomeTax: nit, netRegularTax: nrt, section55Tax: section55, threshold, generalLimit, specifiedLimit, researchRoom: room }, formatCents(room));
}
