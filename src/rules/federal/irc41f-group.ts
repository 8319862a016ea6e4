/**
 * Aggregation of a controlled group (or of trades or businesses under common control) into one
 * taxpayer for the credit computation — §41(f)(1); Treas. Reg. §1.41-6T.
 *
 * All members are treated as a single taxpayer: the group's QREs, basic research payments,
 * energy-consortium amounts and gross receipts (and prior-year QREs for the bases) are the sums
 * over the members, with transactions between members disregarded (option
 * `us.federal.irc41f.intra_group_transactions`, default `disregard`):
 *  - gross receipts one member received from another member are removed from that member's
 *    gross receipts;
 *  - contract research one member paid to another member (the applicable amount that member
 *    counted as a contract research QRE) is removed from the payer's QREs — the member doing the
 *    work counts its own wages, supplies and computer costs.
 * Each elimination is written into the explanation.
 *
 * Year keys are labels chosen by the caller (e.g. "2022"); members are assumed to report on the
 * group's tax years (members with other year-ends must be conformed before calling, see
 * Reg. §1.41-6T(b)). Absent elimination maps mean "no intra-group transactions reported";
 * the amounts themselves are `undefined` when unknown and then make the group amount unknown.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { LawView } from '../../law/law.js';
import { cents, formatCents, sub, type Cents } from '../../money/index.js';
import { cite } from './citations.js';

export const RULE_GROUP_AGGREGATE = 'us.federal.irc41f.aggregate';

export interface GroupMemberFacts {
  id: string;
  ein?: string;
  /** Current-year QREs of the member as it reports them (undefined = unknown). */
  qre: Cents | undefined;
  /** Current-year basic research payments (§41(e)); undefined = unknown. */
  basicResearchPayments: Cents | undefined;
  /** Current-year amounts paid to energy research consortia (§41(a)(3)); undefined = unknown. */
  energyConsortiumAmounts: Cents | undefined;
  /** Applicable contract-research amount included in `qre` that was paid to other members. */
  intraGroupContractResearch?: Cents;
  /** Gross receipts by year label. */
  grossReceiptsByYear?: Record<string, Cents | undefined>;
  /** Gross receipts from other members, by year label, included in `grossReceiptsByYear`. */
  intraGroupReceiptsByYear?: Record<string, Cents>;
  /** Prior-year QREs by year label (for the ASC and the fixed-base percentage). */
  qreByYear?: Record<string, Cents | undefined>;
  /** Applicable contract research paid to other members, by year label, included in `qreByYear`. */
  intraGroupContractResearchByYear?: Record<string, Cents>;
}

export interface GroupCurrentYear {
  qre: Cents;
  basicResearchPayments: Cents;
  energyConsortiumAmounts: Cents;
  /** Per member, after eliminations: the amounts the group took into account (the allocation basis). */
  members: { id: string; ein?: string; qre: Cents; basicResearchPayments: Cents; energyConsortiumAmounts: Cents }[];
}

export interface GroupAggregate {
  current: Val<GroupCurrentYear>;
  grossReceiptsByYear: Record<string, Val<Cents>>;
  qreByYear: Record<string, Val<Cents>>;
}

function check(ex: ReturnType<typeof explainer>, memberId: string, what: string, amount: Cents, elim: Cents, eliminate: boolean): Cents | string {
  if (!eliminate || elim === 0) return amount;
  if (elim < 0) return `members.${memberId}.${what}: negative intra-group amount`;
  if (elim > amount) return `members.${memberId}.${what}: intra-group amount ${formatCents(elim)} exceeds the reported ${formatCents(amount)}`;
  ex.note(`${memberId}: ${formatCents(elim)} of ${what} from/to other group members disregarded (${formatCents(amount)} → ${formatCents(sub(amount, elim))}).`);
  return sub(amount, elim);
}

function yearLabels(members: GroupMemberFacts[], pick: (m: GroupMemberFacts) => Record<string, unknown> | undefined): string[] {
  const s = new Set<string>();
  for (const m of members) for (const k of Object.keys(pick(m) ?? {})) s.add(k);
  return [...s].sort();
}

/** The group as one taxpayer: current-year amounts and the per-year history, each explained. */
export function aggregateGroup(view: LawView, members: GroupMemberFacts[]): GroupAggregate {
  const cites = [cite.USC('41', '(f)(1)'), cite.REG('1.41-6T')];
  const ids = new Set<string>();
  for (const m of members) {
    if (ids.has(m.id)) throw new RangeError(`member ${m.id} listed twice`);
    ids.add(m.id);
  }

  // Current year.
  const ex = explainer(RULE_GROUP_AGGREGATE, 'Controlled group as one taxpayer: current-year QREs and payments', cites);
  const eliminate = view.option(ex, 'us.federal.irc41f.intra_group_transactions') === 'disregard';
  const missing: string[] = [];
  const rows: GroupCurrentYear['members'] = [];
  for (const m of members) {
    if (m.qre === undefined) missing.push(`members.${m.id}.qre`);
    if (m.basicResearchPayments === undefined) missing.push(`members.${m.id}.basicResearchPayments`);
    if (m.energyConsortiumAmounts === undefined) missing.push(`members.${m.id}.energyConsortiumAmounts`);
    if (m.qre === undefined || m.basicResearchPayments === undefined || m.energyConsortiumAmounts === undefined) continue;
    const q = check(ex, m.id, 'contract research QREs', m.qre, m.intraGroupContractResearch ?? cents(0), eliminate);
    if (typeof q === 'string') {
      missing.push(q);
      continue;
    }
    ex.input(`${m.id} QREs`, q).input(`${m.id} basic research payments`, m.basicResearchPayments).input(`${m.id} energy consortium amounts`, m.energyConsortiumAmounts);
    rows.push({ id: m.id, ...(m.ein ? { ein: m.ein } : {}), qre: q, basicResearchPayments: m.basicResearchPayments, energyConsortiumAmounts: m.energyConsortiumAmounts });
  }
  let current: Val<GroupCurrentYear>;
  if (missing.length) current = ex.unknown(missing);
  else {
    const tot = (f: (r: GroupCurrentYear['members'][number]) => Cents) => cents(rows.reduce((t, r) => t + f(r), 0));
    const v: GroupCurrentYear = { qre: tot((r) => r.qre), basicResearchPayments: tot((r) => r.basicResearchPayments), energyConsortiumAmounts: tot((r) => r.energyConsortiumAmounts), members: rows };
    ex.formula('sum over members of QREs (less contract research paid to members), basic research payments and energy consortium amounts');
    current = ex.known(v, `QREs ${formatCents(v.qre)}`);
  }

  const perYear = (
    label: string,
    what: string,
    pick: (m: GroupMemberFacts) => Record<string, Cents | undefined> | undefined,
    pickElim: (m: GroupMemberFacts) => Record<string, Cents> | undefined,
    path: string,
  ): Record<string, Val<Cents>> => {
    const out: Record<string, Val<Cents>> = {};
    for (const y of yearLabels(members, pick)) {
      const e = explainer(RULE_GROUP_AGGREGATE, `Controlled group ${label}, ${y}`, cites);
      const elim = view.option(e, 'us.federal.irc41f.intra_group_transactions') === 'disregard';
      const miss: string[] = [];
      let t = 0;
      for (const m of members) {
        const a = pick(m)?.[y];
        if (a === undefined) {
          miss.push(`members.${m.id}.${path}.${y}`);
          continue;
        }
        const r = check(e, m.id, what, a, pickElim(m)?.[y] ?? cents(0), elim);
        if (typeof r === 'string') {
          miss.push(r);
          continue;
        }
        e.input(`${m.id} ${what}`, r);
        t += r;
      }
      out[y] = miss.length ? e.unknown(miss) : (e.formula(`sum over members of ${what}, intra-group amounts disregarded`), e.known(cents(t)));
    }
    return out;
  };

  return {
    current,
    grossReceiptsByYear: perYear('gross receipts', 'gross receipts', (m) => m.grossReceiptsByYear, (m) => m.intraGroupReceiptsByYear, 'grossReceiptsByYear'),
    qreByYear: perYear('QREs', 'QREs', (m) => m.qreByYear, (m) => m.intraGroupContractResearchByYear, 'qreByYear'),
  };
}
