/**
 * Sourcing of QREs to one state (states.md §A3, Part C item 1; IDAPA 35.01.01.723(01)).
 *
 * Method:
 * - Wages: the federal 80% rule is applied per employee first (`qualifiedWages`, §41(b)(2)(B)),
 *   over all of the employee's hours; the employee's qualified wages are then split by the work
 *   location of the qualified hours (hours on a qualifying component in an activity other than
 *   non-qualified): state wages = qualified wages × qualified hours in the state ÷ all qualified
 *   hours. The home location is never used for hours whose location is missing: such hours make
 *   that employee's state amount unknown.
 * - Supplies where used; computer rental where the research used it; contract research where
 *   performed (at the §41(b)(3) percentage); basic research where conducted.
 * - A line whose location is missing is unknown and listed, never assumed in or out of the state.
 * - Amounts that are federal QREs (domestic) but were incurred for research in another state are
 *   reported as "federally qualified / state disqualified" with the reason.
 * Only lines tied to a component in `qualifying` count; lines on an undecided component are unknown.
 */
import { explainer, type Val } from '../../explain/index.js';
import {
  applyRate,
  formatCents,
  rate as parseRate,
  ratio,
  sub,
  sum,
  ZERO,
  nonNegative,
  type Cents,
  type Rate,
} from '../../money/index.js';
import type { LawView } from '../../law/law.js';
import { qualifiedWages } from '../federal/qre-wages.js';
import { stateCite } from './citations.js';
import type { Place, StudyRecords, ContractRec } from './records.js';

export type QreCategory = 'wages' | 'supplies' | 'computers' | 'contract' | 'basicResearch';
export const QRE_CATEGORIES: readonly QreCategory[] = ['wages', 'supplies', 'computers', 'contract', 'basicResearch'];

export const RULE_SOURCING = 'us.states.sourcing';

/** A federally qualified amount that does not count for the state, with why. */
export interface DisqualifiedLine {
  category: QreCategory;
  /** Employee id or cost-line id. */
  lineId: string;
  /** The federally qualified amount (after the §41(b)(3) percentage for contract research). */
  amount: Cents;
  /** Where the research was done ("AZ", or a country code for foreign research). */
  location: string;
  classification: 'federally_qualified_state_disqualified' | 'foreign_not_federal';
  reason: string;
}

/** A line whose state amount is unknown, and what is missing. */
export interface UnknownLine {
  category: QreCategory;
  lineId: string;
  missing: string[];
}

export interface SourcingInput {
  /** USPS code of the state ("ID"). */
  state: string;
  records: StudyRecords;
  /** Components that qualify (four-part test passed, exclusions cleared). */
  qualifying: ReadonlySet<string>;
  /** Components whose qualification is not decided (`needs_information`): their lines are unknown. */
  undecided?: ReadonlySet<string>;
}

export interface SourcedQres {
  state: string;
  /** State QREs by category. Contract research is after the §41(b)(3) percentage; basic research is the payments. */
  byCategory: Record<QreCategory, Val<Cents>>;
  /** Wages + supplies + computers + contract (basic research payments are separate, as on the forms). */
  total: Val<Cents>;
  /** The same records' domestic federal QREs by category (every state amount is part of these). */
  federal: Record<QreCategory, Val<Cents>>;
  federalTotal: Val<Cents>;
  disqualified: DisqualifiedLine[];
  unknownLines: UnknownLine[];
}

interface Piece {
  category: QreCategory;
  lineId: string;
  amount: Cents;
  place: Place | undefined;
  what: string;
}

const HOURS_SCALE = 1_000_000;
const scaled = (h: number): bigint => BigInt(Math.round(h * HOURS_SCALE));

function placeText(p: Place): string {
  return p.country === 'US' ? (p.state ?? 'US (state not given)') : p.country;
}

function contractRate(view: LawView, c: ContractRec): { r: Rate; id: string } {
  const ev = c.paidDate;
  const energyPayee = c.payeeType === 'eligible_small_business' || c.payeeType === 'university' || c.payeeType === 'federal_laboratory';
  if (c.energyResearch && energyPayee) {
    const id = 'us.federal.irc41.contract_research.rate_energy_small_business_university_lab';
    return { r: view.rate(null, id, ev), id };
  }
  if (c.payeeType === 'qualified_research_consortium') {
    const id = 'us.federal.irc41.contract_research.rate_consortium';
    return { r: view.rate(null, id, ev), id };
  }
  const id = 'us.federal.irc41.contract_research.rate_general';
  return { r: view.rate(null, id, ev), id };
}

/**
 * QREs of one state by category from the study's records.
 * @param view law for the credit year (reads the federal 80% rule and §41(b)(3) percentages).
 * @param input the state, the records and the qualifying component ids.
 */
export function sourceQres(view: LawView, input: SourcingInput): SourcedQres {
  const { state, records, qualifying } = input;
  const undecided = input.undecided ?? new Set<string>();
  const pieces: Piece[] = [];
  const unknownLines: UnknownLine[] = [];
  const childWhy: Record<QreCategory, Val<unknown>[]> = { wages: [], supplies: [], computers: [], contract: [], basicResearch: [] };
  const unknownOf = (category: QreCategory, lineId: string, missing: string[]) => unknownLines.push({ category, lineId, missing });
  const componentState = (componentId: string | undefined): 'yes' | 'no' | 'undecided' =>
    componentId !== undefined && qualifying.has(componentId) ? 'yes' : componentId !== undefined && undecided.has(componentId) ? 'undecided' : 'no';

  // Wages, per employee.
  const timeBy = new Map<string, typeof records.time[number][]>();
  for (const t of records.time) {
    const l = timeBy.get(t.employeeId) ?? [];
    l.push(t);
    timeBy.set(t.employeeId, l);
  }
  for (const e of records.employees) {
    const rows = timeBy.get(e.id) ?? [];
    const total = rows.reduce((a, t) => a + t.hours, 0);
    const qualRows = rows.filter((t) => t.activity !== 'non_qualified' && componentState(t.componentId) === 'yes');
    const pending = rows.filter((t) => t.activity !== 'non_qualified' && componentState(t.componentId) === 'undecided');
    if (pending.length) {
      unknownOf('wages', e.id, [...new Set(pending.map((t) => `components.${t.componentId}.qualification`))]);
      continue;
    }
    const qHours = qualRows.reduce((a, t) => a + t.hours, 0);
    if (qHours <= 0) continue;
    const wages = e.wagesBox1 === undefined ? undefined : sum([e.wagesBox1, ...(e.wageAdjustments ?? []).map((a) => a.amount)]);
    const qw = qualifiedWages(view, {
      employeeId: e.id,
      wages,
      ...(e.wotcWages !== undefined ? { wotcWages: e.wotcWages } : {}),
      qualifiedMeasure: qHours,
      totalMeasure: total,
    });
    childWhy.wages.push(qw);
    if (qw.kind !== 'known') {
      unknownOf('wages', e.id, qw.kind === 'unknown' ? qw.missing : [qw.reason]);
      continue;
    }
    const noPlace = qualRows.filter((t) => t.location === undefined);
    if (noPlace.length) {
      unknownOf('wages', e.id, [`time.${e.id}.location`]);
      continue;
    }
    // Split by location of the qualified hours; the last location takes the rounding remainder.
    const byPlace = new Map<string, { place: Place; hours: number }>();
    for (const t of qualRows) {
      const k = placeText(t.location!);
      const g = byPlace.get(k) ?? { place: t.location!, hours: 0 };
      g.hours += t.hours;
      byPlace.set(k, g);
    }
    let left = qw.value.qualifiedWages;
    const groups = [...byPlace.values()];
    groups.forEach((g, i) => {
      const amt = i === groups.length - 1 ? left : applyRate(qw.value.qualifiedWages, ratio(scaled(g.hours), scaled(qHours)));
      left = sub(left, amt);
      pieces.push({ category: 'wages', lineId: e.id, amount: amt, place: g.place, what: `qualified services of ${e.id} (${g.hours} of ${qHours} qualified hours)` });
    });
  }

  // Supplies where used.
  for (const s of records.supplies) {
    if (s.kind !== 'supply' && s.kind !== 'extraordinary_utility') continue;
    const cs = componentState(s.componentId);
    if (cs === 'no') continue;
    if (cs === 'undecided') {
      unknownOf('supplies', s.id, [`components.${s.componentId}.qualification`]);
      continue;
    }
    pieces.push({ category: 'supplies', lineId: s.id, amount: s.amount, place: s.location, what: `supply ${s.id} used` });
  }

  // Computer rental where the research used it.
  for (const c of records.computers) {
    if (c.use === 'production') continue;
    const cs = componentState(c.componentId);
    if (cs === 'no') continue;
    if (cs === 'undecided') {
      unknownOf('computers', c.id, [`components.${c.componentId}.qualification`]);
      continue;
    }
    let amount = c.amount;
    if (c.use === 'mixed') {
      if (c.researchShare === undefined) {
        unknownOf('computers', c.id, [`computers.${c.id}.researchShare`]);
        continue;
      }
      amount = applyRate(c.amount, parseRate(c.researchShare));
    }
    pieces.push({ category: 'computers', lineId: c.id, amount, place: c.location, what: `computer use ${c.id}` });
  }

  // Contract research where performed, at the §41(b)(3) percentage.
  for (const c of records.contracts) {
    if (c.relatedParty) continue;
    const cs = componentState(c.componentId);
    if (cs === 'no') continue;
    if (cs === 'undecided') {
      unknownOf('contract', c.id, [`components.${c.componentId}.qualification`]);
      continue;
    }
    if (c.taxpayerBearsRisk === false || c.taxpayerHasRights === false) continue; // funded research: not a QRE
    const m: string[] = [];
    if (c.taxpayerBearsRisk === undefined) m.push(`contracts.${c.id}.taxpayerBearsRisk`);
    if (c.taxpayerHasRights === undefined) m.push(`contracts.${c.id}.taxpayerHasRights`);
    if (m.length) {
      unknownOf('contract', c.id, m);
      continue;
    }
    const base = nonNegative(sub(c.amount, c.prepaidForLaterYears ?? ZERO));
    const { r } = contractRate(view, c);
    pieces.push({ category: 'contract', lineId: c.id, amount: applyRate(base, r), place: c.location, what: `contract research ${c.id} (${c.payee}) performed` });
  }

  // Basic research where conducted (cash payments under a written agreement, §41(e)(2)).
  for (const b of records.basicResearch) {
    if (!b.cash || !b.writtenAgreement) continue;
    pieces.push({ category: 'basicResearch', lineId: b.id, amount: b.amount, place: b.location, what: `basic research ${b.id} (${b.organization}) conducted` });
  }

  const disqualified: DisqualifiedLine[] = [];
  const inState: Record<QreCategory, Piece[]> = { wages: [], supplies: [], computers: [], contract: [], basicResearch: [] };
  const domestic: Record<QreCategory, Piece[]> = { wages: [], supplies: [], computers: [], contract: [], basicResearch: [] };
  for (const p of pieces) {
    if (p.place === undefined) {
      unknownOf(p.category, p.lineId, [`${p.category}.${p.lineId}.location`]);
      continue;
    }
    if (p.place.country !== 'US') {
      disqualified.push({ category: p.category, lineId: p.lineId, amount: p.amount, location: p.place.country, classification: 'foreign_not_federal', reason: `${p.what} outside the United States (§41(d)(4)(F)): not a federal QRE, so not a ${state} QRE` });
      continue;
    }
    if (p.place.state === undefined) {
      unknownOf(p.category, p.lineId, [`${p.category}.${p.lineId}.location.state`]);
      domestic[p.category].push(p);
      continue;
    }
    domestic[p.category].push(p);
    if (p.place.state === state) inState[p.category].push(p);
    else
      disqualified.push({
        category: p.category,
        lineId: p.lineId,
        amount: p.amount,
        location: p.place.state,
        classification: 'federally_qualified_state_disqualified',
        reason: `${p.what} in ${p.place.state}, not in ${state}: federally qualified, but research must be conducted in ${state}`,
      });
  }

  const cat = (c: QreCategory, which: 'state' | 'federal'): Val<Cents> => {
    const label = which === 'state' ? `${state} QREs: ${c}` : `Federal (domestic) QREs from the same records: ${c}`;
    const ex = explainer(`${RULE_SOURCING}.${which === 'state' ? state.toLowerCase() : 'federal'}.${c}`, label, [
      stateCite.irc41(c === 'contract' ? '(b)(3)' : c === 'basicResearch' ? '(e)' : '(b)(2)'),
      ...(which === 'state' && state === 'ID' ? [stateCite.idapa('723', '(01)'), stateCite.idStat('(2)(a)')] : []),
    ]);
    for (const w of childWhy[c]) ex.child(w);
    const list = which === 'state' ? inState[c] : domestic[c];
    for (const p of list) ex.input(p.what, p.amount);
    const unk = unknownLines.filter((u) => u.category === c && (which === 'state' || !u.missing.every((m) => m.endsWith('.location.state'))));
    if (which === 'state') for (const d of disqualified.filter((d) => d.category === c)) ex.note(`excluded: ${d.reason} (${formatCents(d.amount)})`);
    if (unk.length) return ex.unknown(unk.flatMap((u) => u.missing));
    ex.formula(`sum of ${list.length} line(s)${which === 'state' ? ` sourced to ${state}` : ' in the United States'}`);
    return ex.known(sum(list.map((p) => p.amount)));
  };
  const byCategory = Object.fromEntries(QRE_CATEGORIES.map((c) => [c, cat(c, 'state')])) as Record<QreCategory, Val<Cents>>;
  const federal = Object.fromEntries(QRE_CATEGORIES.map((c) => [c, cat(c, 'federal')])) as Record<QreCategory, Val<Cents>>;
  const tot = (vals: Record<QreCategory, Val<Cents>>, label: string, rule: string): Val<Cents> => {
    const ex = explainer(rule, label, [stateCite.irc41('(b)(1)')]);
    const parts = (['wages', 'supplies', 'computers', 'contract'] as const).map((c) => ex.child(vals[c]));
    ex.formula('wages + supplies + computer rental + contract research');
    const miss = parts.flatMap((p) => (p.kind === 'unknown' ? p.missing : []));
    if (miss.length) return ex.unknown(miss);
    return ex.known(sum(parts.map((p) => (p.kind === 'known' ? p.value : ZERO))));
  };
  return {
    state,
    byCategory,
    total: tot(byCategory, `${state} QREs (total)`, `${RULE_SOURCING}.${state.toLowerCase()}.total`),
    federal,
    federalTotal: tot(federal, 'Federal (domestic) QREs from the same records', `${RULE_SOURCING}.federal.total`),
    disqualified,
    unknownLines,
  };
}
