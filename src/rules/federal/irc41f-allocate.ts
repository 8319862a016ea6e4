/**
 * Allocation of a controlled group's research credit (and of its payroll-tax election amount)
 * among the members — §41(f)(1)(A)(ii), (B)(ii) as amended for tax years beginning after 2011;
 * Treas. Reg. §1.41-6T(c), (d).
 *
 * Basis: each member's share of the aggregate of qualified research expenses, basic research
 * payments and energy-consortium amounts taken into account by the group (after intra-group
 * eliminations — pass the amounts from `aggregateGroup`). Not stand-alone credits: that was the
 * pre-2012 regulatory rule and is only labelled here (law parameter
 * `us.federal.irc41f.allocation_basis`).
 *
 * Exactness: amounts are split with the largest-remainder method (`largestRemainder`): each
 * member first gets the floor of its exact share in cents; the cents left over (fewer than the
 * number of members) go one each to the members with the largest fractional remainders, ties
 * broken by member id (ascending, code-unit order). The parts always add up to the amount, each
 * part is within one cent of its exact share, and a member with zero weight gets zero.
 *
 * A consolidated group inside the controlled group is one member; its share is then split among
 * its consolidated members by their QRE share (Reg. §1.41-6T(d)) with the same method.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { cents, formatCents, ZERO, type Cents } from '../../money/index.js';
import { largestRemainder } from '../../money/allocate.js';
import { cite } from './citations.js';

export const RULE_GROUP_ALLOCATION = 'us.federal.irc41f.allocation';

export { largestRemainder } from '../../money/allocate.js';

/** One member of the controlled group, with the amounts the group took into account for it. */
export interface AllocationMember {
  id: string;
  /** QREs of the member taken into account by the group (after intra-group eliminations). */
  qre: Cents | undefined;
  basicResearchPayments: Cents | undefined;
  energyConsortiumAmounts: Cents | undefined;
  /**
   * When this member is a consolidated group: its members and their QREs. The member's share is
   * split among them by QRE share (Reg. §1.41-6T(d)).
   */
  consolidatedMembers?: { id: string; qre: Cents | undefined }[];
}

export interface MemberAllocation {
  id: string;
  /** QREs + basic research payments + energy consortium amounts of the member. */
  basis: Cents;
  amount: Cents;
  /** Split of `amount` among consolidated members, when the member is a consolidated group. */
  consolidated?: { id: string; qre: Cents; amount: Cents }[];
}

export interface GroupAllocation {
  total: Cents;
  basisTotal: Cents;
  members: MemberAllocation[];
}

/**
 * Allocates `amount` (the group credit, or the group's payroll-election amount) among members.
 * Unknown when any member's basis amounts are unknown; not applicable (labelled) for tax years
 * whose law allocates by stand-alone credits (tax years beginning before 2012).
 */
export function allocateGroupAmount(view: LawView, amount: Val<Cents>, members: AllocationMember[], what = 'group credit'): Val<GroupAllocation> {
  const ex = explainer(RULE_GROUP_ALLOCATION, `Allocation of the ${what} among controlled-group members`, [
    cite.USC('41', '(f)(1)(A)(ii)'),
    cite.USC('41', '(f)(1)(B)(ii)'),
    cite.REG('1.41-6T', '(c)'),
    cite.REG('1.41-6T', '(d)'),
  ]);
  ex.child(amount);
  const basisKind = view.text(ex, 'us.federal.irc41f.allocation_basis');
  if (basisKind !== 'qre_share')
    return ex.na(`tax years beginning before 2012 allocate the group credit by stand-alone credits (${basisKind}); the engine does not compute that rule`);
  if (amount.kind !== 'known') return amount.kind === 'unknown' ? ex.unknown(amount.missing) : ex.na(amount.reason);
  if (amount.value < 0) throw new RangeError(`cannot allocate a negative ${what}: ${amount.value}`);
  const ids = new Set<string>();
  const missing: string[] = [];
  for (const m of members) {
    if (ids.has(m.id)) throw new RangeError(`member ${m.id} listed twice`);
    ids.add(m.id);
    if (m.qre === undefined) missing.push(`members.${m.id}.qre`);
    if (m.basicResearchPayments === undefined) missing.push(`members.${m.id}.basicResearchPayments`);
    if (m.energyConsortiumAmounts === undefined) missing.push(`members.${m.id}.energyConsortiumAmounts`);
    for (const c of m.consolidatedMembers ?? []) if (c.qre === undefined) missing.push(`members.${m.id}.consolidated.${c.id}.qre`);
  }
  if (missing.length) return ex.unknown(missing);
  const basis = new Map<string, Cents>();
  let basisTotal = 0n;
  for (const m of members) {
    const b = cents(m.qre! + m.basicResearchPayments! + m.energyConsortiumAmounts!);
    if (b < 0) return ex.unknown([`members.${m.id}: negative QREs or payments`]);
    basis.set(m.id, b);
    basisTotal += BigInt(b);
    ex.input(`${m.id}: QREs + basic research + energy consortia`, b);
  }
  const split = largestRemainder(
    amount.value,
    members.map((m) => [m.id, BigInt(basis.get(m.id)!)] as const),
  );
  const out: MemberAllocation[] = [];
  for (const m of members) {
    const amt = split.get(m.id)!;
    const row: MemberAllocation = { id: m.id, basis: basis.get(m.id)!, amount: amt };
    if (m.consolidatedMembers && m.consolidatedMembers.length) {
      const qTotal = m.consolidatedMembers.reduce((t, c) => t + BigInt(c.qre!), 0n);
      if (qTotal === 0n && amt > 0)
        return ex.unknown([`members.${m.id}.consolidated: no QREs among the consolidated members to split ${formatCents(amt)} by`]);
      const sub = largestRemainder(
        amt,
        m.consolidatedMembers.map((c) => [c.id, BigInt(c.qre!)] as const),
      );
      row.consolidated = m.consolidatedMembers.map((c) => ({ id: c.id, qre: c.qre!, amount: sub.get(c.id)! }));
      ex.note(`${m.id} is a consolidated group: its ${formatCents(amt)} is split among ${m.consolidatedMembers.map((c) => c.id).join(', ')} by QRE share (Reg. §1.41-6T(d)).`);
    }
    out.push(row);
  }
  ex.formula(`member amount = ${what} × member basis ÷ group basis (${formatCents(cents(basisTotal))}), in cents by largest remainder, ties to the lower member id`);
  if (basisTotal === 0n) ex.note('The group has no QREs, basic research payments or energy consortium amounts: every member gets zero.');
  return ex.known({ total: amount.value, basisTotal: cents(basisTotal), members: out }, formatCents(amount.value));
}

/** The group credit allocated among members (§41(f)(1)(A)(ii)). */
export function allocateGroupCredit(view: LawView, groupCredit: Val<Cents>, members: AllocationMember[]): Val<GroupAllocation> {
  return allocateGroupAmount(view, groupCredit, members, 'group credit');
}

/**
 * The group's §41(h) payroll-election amount allocated among members on the same basis
 * (§41(h)(5)(B): the election limit applies to the group as one taxpayer and is allocated as the
 * credit is).
 */
export function allocatePayrollElection(view: LawView, electedAmount: Val<Cents>, members: AllocationMember[]): Val<GroupAllocation> {
  const v = allocateGroupAmount(view, electedAmount, members, 'payroll tax election amount');
  v.why.citation.push(cite.USC('41', '(h)(5)(B)'));
  return v;
}
