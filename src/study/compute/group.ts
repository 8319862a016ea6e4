/**
 * Controlled groups (§41(f)(1)): the study's records cover every member of the group, so the
 * credit computed from them is the group credit; it is then allocated among the members by their
 * share of the group's QREs (Reg. §1.41-6T(c)). Wages belong to the member that employs the
 * person (Employee.memberId); other costs to the member conducting the component's research
 * (BusinessComponent.memberId); the taxpayer itself is the default member.
 */
import type { Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { add, ZERO, type Cents } from '../../money/cents.js';
import { allocateGroupCredit, type GroupAllocation } from '../../rules/federal/irc41f-allocate.js';
import type { Study } from '../model.js';
import type { ComponentBreakdown } from './breakdown.js';
import type { Schedule } from './result.js';
import type { EmployeeQualifiedWages } from './wages.js';

export interface GroupResult {
  allocation: Val<GroupAllocation>;
  schedule?: Schedule;
}

/** Undefined when the taxpayer is not a member of a controlled group. */
export function computeGroup(
  view: LawView,
  study: Study,
  credit: Val<Cents>,
  employees: EmployeeQualifiedWages[],
  comps: ComponentBreakdown[],
  /** Basic research payments and energy consortium amounts the group took into account (the study's records carry no member for them: they are the taxpayer's). */
  other: { basicResearch: Val<Cents>; energy: Val<Cents> } = { basicResearch: { kind: 'known', value: ZERO } as Val<Cents>, energy: { kind: 'known', value: ZERO } as Val<Cents> },
): GroupResult | undefined {
  const others = (study.taxpayer.groupMembers ?? []).filter((m) => m.inControlledGroup);
  if (others.length === 0) return undefined;
  const self = study.taxpayer.id;
  const qre = new Map<string, Cents>([[self, ZERO], ...others.map((m) => [m.id, ZERO] as [string, Cents])]);
  const bump = (id: string | undefined, c: Cents) => {
    const k = id && qre.has(id) ? id : self;
    qre.set(k, add(qre.get(k)!, c));
  };
  for (const e of employees) for (const p of e.pieces) bump(e.employee.memberId, p.wages);
  const compMember = new Map(study.components.map((c) => [c.id, c.memberId]));
  for (const c of comps) bump(compMember.get(c.componentId), add(c.supplies, c.computers, c.contract));
  const names = new Map<string, string>([[self, study.taxpayer.name], ...others.map((m) => [m.id, m.name] as [string, string])]);
  const eins = new Map<string, string | undefined>([[self, study.taxpayer.ein], ...others.map((m) => [m.id, m.ein] as [string, string | undefined])]);
  const allocation = allocateGroupCredit(
    view,
    credit,
    // §41(f)(1)(A)(ii): the basis is each member's share of QREs, basic research payments and energy consortium amounts
    [...qre.entries()].map(([id, q]) => ({
      id,
      qre: q,
      basicResearchPayments: id === self ? (other.basicResearch.kind === 'known' ? other.basicResearch.value : undefined) : ZERO,
      energyConsortiumAmounts: id === self ? (other.energy.kind === 'known' ? other.energy.value : undefined) : ZERO,
    })),
  );
  if (allocation.kind !== 'known') return { allocation };
  const schedule: Schedule = {
    id: 'group.allocation',
    title: 'Controlled group — allocation of the group credit by QRE share',
    citation: [{ title: '26 U.S.C. § 41(f)(1)' }, { title: 'Treas. Reg. § 1.41-6T(c)' }],
    columns: [
      { key: 'member', label: 'Member', kind: 'text' },
      { key: 'ein', label: 'EIN', kind: 'text' },
      { key: 'qre', label: 'QREs taken into account', kind: 'money' },
      { key: 'credit', label: 'Credit allocated', kind: 'money' },
    ],
    rows: allocation.value.members.map((m) => ({ cells: { member: names.get(m.id) ?? m.id, ein: eins.get(m.id) ?? null, qre: m.basis, credit: m.amount }, source: 'us.federal.irc41f.allocation' })),
    totals: { qre: allocation.value.basisTotal, credit: allocation.value.total },
  };
  return { allocation, schedule };
}
