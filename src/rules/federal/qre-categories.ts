/**
 * QRE categories other than wages — supplies, computer rental (cloud), contract research,
 * basic research payments and energy consortium amounts (§41(b)(2)(A)(ii)–(iii), (b)(2)(C),
 * (b)(3), (a)(2), (a)(3), (e)). Each rule takes the cost records (structurally the study model's
 * records) and the qualification status of business components, and returns the total with one
 * explanation child per record. A cost of a component that `needs_information`, or a fact the
 * rule needs that is undefined, makes the total unknown — never zero.
 *
 * Decision: a cost with no business component is excluded (with the reason in its explanation):
 * the engine cannot show it was used in qualified research until it is linked to a component.
 */
import { explainer, missingOf, type Explainer, type Val } from '../../explain/index.js';
import {
  applyRate,
  cmpRate,
  formatCents,
  formatRate,
  min,
  nonNegative,
  rate as parseRate,
  RATE_ONE,
  RATE_ZERO,
  sub,
  sum,
  ZERO,
  type Cents,
  type Rate,
} from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { cite } from './citations.js';

export type ComponentQualification = 'qualifies' | 'does_not_qualify' | 'needs_information';

/** Qualification of a business component by id; undefined = the component is not known. */
export type ComponentStatus = (componentId: string) => ComponentQualification | undefined;

/** Builds a `ComponentStatus` from business components (e.g. `study.components`). */
export function componentStatusFrom(components: readonly { id: string; qualification: ComponentQualification }[]): ComponentStatus {
  const m = new Map(components.map((c) => [c.id, c.qualification]));
  return (id) => m.get(id);
}

/** Builds a `ComponentStatus` from a set of qualifying ids (every other id does not qualify). */
export function componentStatusFromSet(qualifying: Iterable<string>, needsInformation: Iterable<string> = []): ComponentStatus {
  const q = new Set(qualifying);
  const n = new Set(needsInformation);
  return (id) => (n.has(id) ? 'needs_information' : q.has(id) ? 'qualifies' : 'does_not_qualify');
}

export interface SupplyRecord {
  id: string;
  description: string;
  amount: Cents;
  componentId?: string;
  kind: 'supply' | 'extraordinary_utility' | 'utility' | 'depreciable_property' | 'land_or_improvement' | 'general_administrative';
}

export interface ComputerRecord {
  id: string;
  vendor: string;
  description: string;
  amount: Cents;
  componentId?: string;
  use: 'research' | 'production' | 'mixed';
  /** For mixed use: research share as a decimal string or fraction; undefined = unknown. */
  researchShare?: string;
}

export type PayeeType = 'general' | 'qualified_research_consortium' | 'eligible_small_business' | 'university' | 'federal_laboratory';

export interface ContractRecord {
  id: string;
  payee: string;
  payeeType: PayeeType;
  energyResearch?: boolean;
  amount: Cents;
  componentId?: string;
  taxpayerBearsRisk?: boolean;
  taxpayerHasRights?: boolean;
  prepaidForLaterYears?: Cents;
  paidDate?: string;
  relatedParty?: boolean;
}

export interface BasicResearchRecord {
  id: string;
  organization: string;
  amount: Cents;
  cash: boolean;
  writtenAgreement: boolean;
}

export interface EnergyConsortiumRecord {
  id: string;
  consortium: string;
  amount: Cents;
}

export const RULE_SUPPLIES = 'us.federal.irc41.qre.supplies';
export const RULE_COMPUTERS = 'us.federal.irc41.qre.computers';
export const RULE_CONTRACT = 'us.federal.irc41.qre.contract';
export const RULE_BASIC = 'us.federal.irc41.basic_research.payments';
export const RULE_BASIC_SHARE = 'us.federal.irc41.basic_research.contract_share';
export const RULE_ENERGY = 'us.federal.irc41.energy_consortium.amounts';

type Outcome = { kind: 'counted'; amount: Cents } | { kind: 'excluded'; reason: string } | { kind: 'missing'; missing: string[] };

/** Component gate shared by the cost categories. */
function componentGate(componentId: string | undefined, status: ComponentStatus): Outcome | undefined {
  if (componentId === undefined) return { kind: 'excluded', reason: 'not linked to a business component (link it to count it)' };
  const s = status(componentId);
  if (s === undefined) return { kind: 'missing', missing: [`components.${componentId}.qualification`] };
  if (s === 'needs_information') return { kind: 'missing', missing: [`components.${componentId}.qualification`] };
  if (s === 'does_not_qualify') return { kind: 'excluded', reason: `business component ${componentId} does not qualify` };
  return undefined;
}

/** Closes a category: one child per record, the total known only if no record is missing facts. */
function total(ex: Explainer, rule: string, records: { id: string; label: string; outcome: Outcome; detail?: (e: Explainer) => void }[], citation = ex.citation): Val<Cents> {
  const counted: Cents[] = [];
  const missing: string[] = [];
  for (const r of records) {
    const c = explainer(rule, r.label, citation);
    r.detail?.(c);
    let v: Val<Cents>;
    if (r.outcome.kind === 'counted') {
      counted.push(r.outcome.amount);
      v = c.known(r.outcome.amount);
    } else if (r.outcome.kind === 'excluded') {
      c.note(`excluded: ${r.outcome.reason}`);
      v = c.known(ZERO, `${formatCents(ZERO)} (excluded: ${r.outcome.reason})`);
    } else {
      missing.push(...r.outcome.missing);
      v = c.unknown(r.outcome.missing);
    }
    ex.child(v);
  }
  if (missing.length) return ex.unknown(missing);
  const t = sum(counted);
  ex.formula('sum of the counted records');
  return ex.known(t);
}

/** Supplies (§41(b)(2)(C); Reg. §1.41-2(b)(2)): only research supplies and extraordinary utilities count. */
export function qualifiedSupplies(view: LawView, records: readonly SupplyRecord[], status: ComponentStatus): Val<Cents> {
  void view;
  const ex = explainer(RULE_SUPPLIES, 'Qualified supplies (Form 6765 line 43)', [cite.USC('41', '(b)(2)(C)'), cite.REG('1.41-2', '(b)(2)')]);
  const reasons: Record<SupplyRecord['kind'], string | undefined> = {
    supply: undefined,
    extraordinary_utility: undefined,
    utility: 'utilities and similar general costs are not supplies unless extraordinary expenditures for the research (Reg. §1.41-2(b)(2))',
    depreciable_property: 'property of a character subject to depreciation is not a supply (§41(b)(2)(C)(ii))',
    land_or_improvement: 'land and improvements to land are not supplies (§41(b)(2)(C)(i))',
    general_administrative: 'general and administrative costs are not supplies (Reg. §1.41-2(b)(2))',
  };
  return total(
    ex,
    RULE_SUPPLIES,
    records.map((r) => {
      const why = reasons[r.kind];
      const outcome: Outcome = why ? { kind: 'excluded', reason: why } : (componentGate(r.componentId, status) ?? { kind: 'counted', amount: r.amount });
      return { id: r.id, label: `Supply ${r.id}: ${r.description}`, outcome, detail: (e) => e.input('amount', r.amount).input('kind', r.kind, undefined, 'text') };
    }),
  );
}

/** Right to use computers in qualified research (§41(b)(2)(A)(iii)): research use counts, production does not, mixed × research share. */
export function qualifiedComputerUse(view: LawView, records: readonly ComputerRecord[], status: ComponentStatus): Val<Cents> {
  void view;
  const ex = explainer(RULE_COMPUTERS, 'Rental or lease cost of computers (Form 6765 line 44)', [cite.USC('41', '(b)(2)(A)(iii)')]);
  return total(
    ex,
    RULE_COMPUTERS,
    records.map((r) => {
      let outcome: Outcome | undefined;
      let share: Rate | undefined;
      if (r.use === 'production') outcome = { kind: 'excluded', reason: 'production hosting is not use in the conduct of qualified research' };
      outcome ??= componentGate(r.componentId, status);
      if (!outcome && r.use === 'mixed') {
        if (r.researchShare === undefined) outcome = { kind: 'missing', missing: [`computers.${r.id}.researchShare`] };
        else {
          share = parseRate(r.researchShare);
          if (cmpRate(share, RATE_ZERO) < 0 || cmpRate(share, RATE_ONE) > 0) throw new RangeError(`research share of computer cost ${r.id} must be between 0 and 1: ${r.researchShare}`);
          outcome = { kind: 'counted', amount: applyRate(r.amount, share) };
        }
      }
      outcome ??= { kind: 'counted', amount: r.amount };
      return {
        id: r.id,
        label: `Computer use ${r.id}: ${r.vendor} — ${r.description}`,
        outcome,
        detail: (e) => {
          e.input('amount', r.amount).input('use', r.use, undefined, 'text');
          if (share) e.input('research share', share).formula(`amount × ${formatRate(share, 2)}`);
        },
      };
    }),
  );
}

/** The applicable percentage for one contract (§41(b)(3)(A), (C), (D)), read from the law. */
export function contractRate(view: LawView, ex: Explainer | null, r: Pick<ContractRecord, 'payeeType' | 'energyResearch' | 'paidDate'>): Rate {
  const d = r.paidDate;
  if (r.payeeType === 'qualified_research_consortium') return view.rate(ex, 'us.federal.irc41.contract_research.rate_consortium', d);
  if (r.energyResearch === true && (r.payeeType === 'eligible_small_business' || r.payeeType === 'university' || r.payeeType === 'federal_laboratory'))
    return view.rate(ex, 'us.federal.irc41.contract_research.rate_energy_small_business_university_lab', d);
  return view.rate(ex, 'us.federal.irc41.contract_research.rate_general', d);
}

/**
 * Contract research (§41(b)(3); Reg. §1.41-2(e)): 65% general, 75% qualified research consortium,
 * 100% energy research paid to an eligible small business, university or federal laboratory.
 * Excludes related-party payees, the part prepaid for research after the year (§41(b)(3)(B)),
 * and contracts where the taxpayer does not bear the risk or has no right to the results;
 * an undefined risk or rights answer makes the total unknown.
 */
export function qualifiedContractResearch(view: LawView, records: readonly ContractRecord[], status: ComponentStatus): Val<Cents> {
  const ex = explainer(RULE_CONTRACT, 'Applicable contract research (Form 6765 line 45)', [cite.USC('41', '(b)(3)'), cite.REG('1.41-2', '(e)')]);
  return total(
    ex,
    RULE_CONTRACT,
    records.map((r) => {
      let outcome: Outcome | undefined;
      let applied: { base: Cents; rate: Rate } | undefined;
      const sub_ = explainer(RULE_CONTRACT, '', []); // collects the rate parameter for the record's detail
      if (r.relatedParty) outcome = { kind: 'excluded', reason: 'payee is a member of the controlled group (one taxpayer; its own costs count instead)' };
      outcome ??= componentGate(r.componentId, status);
      if (!outcome) {
        const miss: string[] = [];
        if (r.taxpayerBearsRisk === undefined) miss.push(`contracts.${r.id}.taxpayerBearsRisk`);
        if (r.taxpayerHasRights === undefined) miss.push(`contracts.${r.id}.taxpayerHasRights`);
        if (r.taxpayerBearsRisk === false) outcome = { kind: 'excluded', reason: 'the taxpayer does not bear the expense if the research fails (Reg. §1.41-2(e)(2)): funded research' };
        else if (r.taxpayerHasRights === false) outcome = { kind: 'excluded', reason: 'the taxpayer has no right to the research results (Reg. §1.41-2(e)(3))' };
        else if (miss.length) outcome = { kind: 'missing', missing: miss };
      }
      if (!outcome) {
        const base = nonNegative(sub(r.amount, r.prepaidForLaterYears ?? ZERO));
        const rt = contractRate(view, sub_, r);
        applied = { base, rate: rt };
        outcome = { kind: 'counted', amount: applyRate(base, rt) };
      }
      return {
        id: r.id,
        label: `Contract ${r.id}: ${r.payee}`,
        outcome,
        detail: (e) => {
          e.input('amount paid', r.amount).input('payee type', r.payeeType, undefined, 'text');
          if (r.energyResearch !== undefined) e.input('energy research', r.energyResearch);
          if (r.prepaidForLaterYears) e.input('prepaid for research after the year (§41(b)(3)(B); counted when performed)', r.prepaidForLaterYears);
          if (applied) {
            const built = sub_.build('');
            for (const p of built.params) e.param(p);
            e.formula(`(amount − prepaid) × ${formatRate(applied.rate)}`);
          }
        },
      };
    }),
  );
}

/** Basic research payments that qualify under §41(e)(2): C corporations only, cash, written agreement. Form 6765 line 2/15. */
export function basicResearchPayments(view: LawView, records: readonly BasicResearchRecord[], entityType: string | undefined): Val<Cents> {
  void view;
  const ex = explainer(RULE_BASIC, 'Basic research payments to qualified organizations (Form 6765 line 2/15)', [cite.USC('41', '(e)(2)')]);
  if (records.length === 0) return ex.known(ZERO);
  if (entityType === undefined) return ex.unknown(['taxpayer.entityType']);
  const isC = entityType === 'c_corporation';
  ex.input('entity type', entityType, undefined, 'text');
  return total(
    ex,
    RULE_BASIC,
    records.map((r) => {
      const outcome: Outcome = !isC
        ? { kind: 'excluded', reason: 'only C corporations may have basic research payments (§41(e)(7)(E))' }
        : !r.cash
          ? { kind: 'excluded', reason: 'not paid in cash (§41(e)(2)(A))' }
          : !r.writtenAgreement
            ? { kind: 'excluded', reason: 'no written agreement (§41(e)(2)(A)(i))' }
            : { kind: 'counted', amount: r.amount };
      return { id: r.id, label: `Basic research ${r.id}: ${r.organization}`, outcome, detail: (e) => e.input('amount', r.amount) };
    }),
  );
}

/** Amounts paid to energy research consortia (§41(a)(3)). Form 6765 line 1/14. */
export function energyConsortiumAmounts(view: LawView, records: readonly EnergyConsortiumRecord[]): Val<Cents> {
  void view;
  const ex = explainer(RULE_ENERGY, 'Amounts paid to energy consortia (Form 6765 line 1/14)', [cite.USC('41', '(a)(3)'), cite.USC('41', '(f)(6)')]);
  return total(
    ex,
    RULE_ENERGY,
    records.map((r) => ({ id: r.id, label: `Energy consortium ${r.id}: ${r.consortium}`, outcome: { kind: 'counted', amount: r.amount } as Outcome, detail: (e: Explainer) => e.input('amount', r.amount) })),
  );
}

/**
 * The part of basic research payments not over the qualified organization base period amount,
 * treated as contract research (§41(e)(1)(B)) — Form 6765 line 46 "applicable amount". Whether the
 * 65% factor applies is the option `us.federal.irc41.basic_research_contract_share`.
 */
export function basicResearchContractShare(view: LawView, payments: Val<Cents>, qobpa: Val<Cents>): Val<Cents> {
  const ex = explainer(RULE_BASIC_SHARE, 'Basic research payments treated as contract research (Form 6765 line 46)', [cite.USC('41', '(e)(1)(B)'), cite.USC('41', '(b)(3)')]);
  ex.child(payments);
  ex.child(qobpa);
  if (payments.kind === 'unknown' || qobpa.kind === 'unknown') return ex.unknown(missingOf(payments, qobpa));
  const p = payments.kind === 'known' ? payments.value : ZERO;
  if (p === 0) return ex.known(ZERO);
  const q = qobpa.kind === 'known' ? qobpa.value : ZERO;
  const part = min(p, nonNegative(q));
  const choice = view.option(ex, 'us.federal.irc41.basic_research_contract_share');
  if (choice === 'apply_65') {
    const r = view.rate(ex, 'us.federal.irc41.contract_research.rate_general');
    ex.formula(`min(payments, base period amount) × ${formatRate(r)}`);
    return ex.known(applyRate(part, r));
  }
  ex.formula('min(payments, base period amount), counted in full');
  return ex.known(part);
}
