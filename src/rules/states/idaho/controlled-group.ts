/**
 * Idaho credit of a §41(f)(1) controlled group (states.md §A4.2; option us.id.research.group_method).
 * - aggregate_then_allocate (default): the group's Idaho QREs, history and receipts are added up, one
 *   Form 67 computation is made for the group, and the group credit is allocated to the members in
 *   proportion to their stand-alone credits (as federally, Treas. Reg. §1.41-6(c)); when no member
 *   has a stand-alone credit, in proportion to Idaho QREs.
 * - separate_member: each member's credit is its own Form 67 computation.
 * Every output carries the review flag of the option.
 */
import { explainer, type Val } from '../../../explain/index.js';
import type { ReviewFlag } from '../../../explain/types.js';
import { dollars, sum, ZERO, type Cents } from '../../../money/index.js';
import { largestRemainder } from '../../../money/allocate.js';
import type { Law } from '../../../law/law.js';
import type { TaxPeriod } from '../../../periods/index.js';
import { stateCite } from '../citations.js';
import { sumVals } from '../val-util.js';
import { computeIdahoCredit, type IdahoCreditInput, type IdahoCreditResult, type IdahoHistoryYear, type IdahoQreCategory } from './credit.js';

export interface IdahoGroupMember {
  id: string;
  /** The member's own Form 67 inputs (same period for all members). */
  input: IdahoCreditInput;
}

export interface IdahoGroupResult {
  method: string;
  /** The group computation (aggregate method only). */
  group?: IdahoCreditResult;
  members: { id: string; standAlone: IdahoCreditResult; credit: Val<Cents> }[];
  flag: ReviewFlag;
}

const CATS: IdahoQreCategory[] = ['wages', 'supplies', 'computers', 'contract'];
const CITES = [stateCite.irc41('(f)(1)'), stateCite.reg('1.41-6', '(c)'), stateCite.idStat('(2)(b)')];

function addOpt(xs: (Cents | undefined)[]): Cents | undefined {
  return xs.some((x) => x === undefined) ? undefined : sum(xs as Cents[]);
}

function sumHistory(lists: IdahoHistoryYear[][]): IdahoHistoryYear[] {
  const years = [...new Set(lists.flatMap((l) => l.map((h) => h.yearBegun)))].sort();
  return years.map((y) => {
    const rows = lists.map((l) => l.find((h) => h.yearBegun === y));
    const qre = addOpt(rows.map((r) => r?.qre));
    const gr = addOpt(rows.map((r) => r?.grossReceipts));
    return { yearBegun: y, ...(qre !== undefined ? { qre } : {}), ...(gr !== undefined ? { grossReceipts: gr } : {}) };
  });
}

/** The group's Form 67 inputs: members' Idaho figures added up. */
export function idahoGroupInput(period: TaxPeriod, members: IdahoGroupMember[]): IdahoCreditInput {
  const ins = members.map((m) => m.input);
  const first = ins[0]!;
  const qres = Object.fromEntries(CATS.map((c) => [c, sumVals(`us.id.research.group.${c}`, `Idaho QREs of the controlled group: ${c}`, CITES, ins.map((i) => i.qres[c]))])) as Record<IdahoQreCategory, Val<Cents>>;
  const bps = ins.map((i) => i.basicResearchPayments).filter((b): b is Val<Cents> => b !== undefined);
  const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);
  const fsu = ins.map((i) => i.federalStartUp);
  const deducted = ins.every((i) => i.section174Deducted !== undefined) ? Object.fromEntries(CATS.map((c) => [c, addOpt(ins.map((i) => i.section174Deducted![c]))]).filter(([, v]) => v !== undefined)) : undefined;
  const elections = defined(ins.map((i) => i.startupElectionYear));
  const firstQre = defined(ins.map((i) => i.firstIdahoQreYear));
  const since = defined(ins.map((i) => i.idahoBusinessSince));
  return {
    period,
    entityType: first.entityType,
    qres,
    ...(bps.length ? { basicResearchPayments: sumVals('us.id.research.group.basic', 'Idaho basic research payments of the controlled group', CITES, bps) } : {}),
    ...(ins.some((i) => i.qualifiedOrgBasePeriodAmount !== undefined) ? { qualifiedOrgBasePeriodAmount: sum(ins.map((i) => i.qualifiedOrgBasePeriodAmount ?? ZERO)) } : {}),
    ...(fsu.every((f) => f === true) ? { federalStartUp: true } : fsu.some((f) => f === false) ? { federalStartUp: false } : {}),
    ...(elections.length ? { startupElectionYear: Math.min(...elections) } : {}),
    ...(ins.some((i) => i.basePeriod) ? { basePeriod: sumHistory(ins.map((i) => i.basePeriod ?? [])) } : {}),
    ...(firstQre.length ? { firstIdahoQreYear: Math.min(...firstQre) } : {}),
    history: sumHistory(ins.map((i) => i.history)),
    ...(since.length === ins.length ? { idahoBusinessSince: Math.min(...since) } : {}),
    ...(deducted ? { section174Deducted: deducted } : {}),
    ...(first.options ? { options: first.options } : {}),
  };
}

/** The Idaho credit of each member of a controlled group for one year. */
export function idahoControlledGroup(law: Law, period: TaxPeriod, members: IdahoGroupMember[], options: Record<string, string> = {}): IdahoGroupResult {
  const view = law.for(period, options);
  const flag = view.flagFor('us.id.research.group_method');
  const method = flag.chosen;
  const standAlone = members.map((m) => ({ id: m.id, r: computeIdahoCredit(law, { ...m.input, period, options: { ...(m.input.options ?? {}), ...options } }) }));
  if (method === 'separate_member') {
    return {
      method,
      members: standAlone.map(({ id, r }) => {
        const ex = explainer('us.id.research.group.member', `Idaho credit of ${id} (computed member by member)`, CITES).flag(flag);
        ex.child(r.earned);
        const credit = r.earned.kind === 'known' ? ex.known(r.earned.value) : r.earned.kind === 'unknown' ? ex.unknown(r.earned.missing) : ex.na(r.earned.reason);
        return { id, standAlone: r, credit };
      }),
      flag,
    };
  }
  const group = computeIdahoCredit(law, { ...idahoGroupInput(period, members), options });
  const ge = group.earned;
  const weightsFrom = (f: (r: IdahoCreditResult) => Val<Cents>) => standAlone.map(({ id, r }) => [id, f(r)] as const);
  let basis = 'stand-alone credits (Treas. Reg. § 1.41-6(c))';
  let w = weightsFrom((r) => r.earned);
  const unknownW = w.filter(([, v]) => v.kind === 'unknown');
  if (!unknownW.length && w.every(([, v]) => v.kind !== 'known' || v.value === 0)) {
    basis = 'Idaho QREs (no member has a stand-alone credit)';
    w = weightsFrom((r) => r.lines['8']!);
  }
  const missing = [...(ge.kind === 'unknown' ? ge.missing : []), ...w.flatMap(([, v]) => (v.kind === 'unknown' ? v.missing : []))];
  let shares: Map<string, Cents> | undefined;
  if (!missing.length && ge.kind === 'known') {
    const wholeDollars = largestRemainder((ge.value / 100) as Cents, w.map(([id, v]) => [id, BigInt(v.kind === 'known' ? v.value : 0)] as const));
    shares = new Map([...wholeDollars].map(([k, d]) => [k, dollars(d)]));
  }
  return {
    method,
    group,
    members: standAlone.map(({ id, r }) => {
      const ex = explainer('us.id.research.group.member', `Idaho credit of ${id} (group credit allocated by ${basis})`, CITES).flag(flag);
      ex.child(ge);
      ex.child(r.earned);
      ex.formula(`group credit × member's ${basis.split(' (')[0]} ÷ the group's`);
      const credit = shares ? ex.known(shares.get(id) ?? ZERO) : ge.kind === 'na' ? ex.na(ge.reason) : ex.unknown(missing);
      return { id, standAlone: r, credit };
    }),
    flag,
  };
}
