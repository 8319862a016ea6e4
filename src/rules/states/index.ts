/**
 * Public surface of the state rules.
 *
 * - `sourceQres(view, { state, records, qualifying, undecided? })` — QREs of one state by category
 *   from the study's records, the federal (domestic) QREs of the same records, the federally
 *   qualified / state-disqualified lines with reasons, and the lines whose location is unknown.
 * - `computeIdaho(law, input)` — Form 67 lines 1–27 for one taxpayer: credit earned (lines 1–16,
 *   page 2 Parts A–C), limitation and vintage ledger (lines 17–27) and, for pass-through entities,
 *   each owner's share.
 * - `multistateSummary(law, input)` — the same records sourced to each state side by side, with
 *   the Idaho credit where Idaho is among the states; other states' credits are reported as not
 *   computed (see the registry) rather than guessed.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import type { Cents } from '../../money/index.js';
import type { TaxPeriod } from '../../periods/index.js';
import { sourceQres, type SourcedQres } from './sourcing.js';
import { computeIdahoCredit, type IdahoCreditInput, type IdahoCreditResult } from './idaho/credit.js';
import { idahoLimitation, idahoOwnerShares, type IdahoLimitationResult, type OwnerShare, type Vintage } from './idaho/limitation.js';
import type { StudyRecords } from './records.js';

export * from './records.js';
export * from './sourcing.js';
export * from './registry.js';
export * from './idaho/credit.js';
export * from './idaho/limitation.js';

export interface ComputeIdahoInput extends IdahoCreditInput {
  /** Unused Idaho credit of earlier years by vintage. */
  carryforwards?: Vintage[];
  /** Form 67 line 17: shares received from pass-through entities. */
  passThroughIn?: Cents;
  /** Idaho income tax (line 23); undefined = unknown. */
  tax?: Cents;
  /** Rule 799 credits ranking ahead (lines 24a–24g) by key; undefined = unknown. */
  creditsAhead?: Partial<Record<string, Cents>>;
  /** Owners of a pass-through entity and their shares ("0.6", "3/5"). */
  owners?: { id: string; share: string }[];
}

export interface IdahoResult {
  credit: IdahoCreditResult;
  limitation: IdahoLimitationResult;
  /** All Form 67 lines 1–27 (line 9 holds a rate). */
  lines: Record<string, Val<Cents>>;
  owners: OwnerShare[];
}

const PASS_THROUGH = new Set(['s_corporation', 'partnership', 'estate_or_trust']);

/** Idaho research credit for one taxpayer and year, Form 67 lines 1–27. */
export function computeIdaho(law: Law, input: ComputeIdahoInput): IdahoResult {
  const credit = computeIdahoCredit(law, input);
  const passesThrough = PASS_THROUGH.has(input.entityType);
  const limitation = idahoLimitation(law, {
    period: input.period,
    earned: credit.earned,
    ...(input.passThroughIn !== undefined ? { passThroughIn: input.passThroughIn } : {}),
    carryforwards: input.carryforwards ?? [],
    passesThrough,
    ...(input.tax !== undefined ? { tax: input.tax } : {}),
    ...(input.creditsAhead !== undefined ? { creditsAhead: input.creditsAhead } : {}),
    ...(input.options ? { options: input.options } : {}),
  });
  const owners = passesThrough && input.owners ? idahoOwnerShares(limitation.lines['20']!, input.owners) : [];
  return { credit, limitation, lines: { ...credit.lines, ...limitation.lines }, owners };
}

export interface MultistateInput {
  period: TaxPeriod;
  records: StudyRecords;
  qualifying: ReadonlySet<string>;
  undecided?: ReadonlySet<string>;
  /** USPS codes of the states to show. */
  states: string[];
  /** Idaho facts other than the QREs (which come from the sourcing); needed to compute the Idaho credit. */
  idaho?: Omit<ComputeIdahoInput, 'qres' | 'basicResearchPayments' | 'period'>;
  options?: Record<string, string>;
}

export interface StateSummaryRow {
  state: string;
  qres: SourcedQres;
  credit: Val<Cents>;
}

/** Each state side by side from the same sourced records. */
export function multistateSummary(law: Law, input: MultistateInput): StateSummaryRow[] {
  const view = law.for(input.period, input.options ?? {});
  return input.states.map((state) => {
    const qres = sourceQres(view, { state, records: input.records, qualifying: input.qualifying, ...(input.undecided ? { undecided: input.undecided } : {}) });
    const ex = explainer(`us.states.summary.${state.toLowerCase()}`, `${state} research credit`, []);
    let credit: Val<Cents>;
    if (state === 'ID') {
      if (!input.idaho) credit = ex.unknown(['idaho facts (history, receipts, start-up status, tax)']);
      else {
        const r = computeIdaho(law, {
          ...input.idaho,
          period: input.period,
          qres: { wages: qres.byCategory.wages, supplies: qres.byCategory.supplies, computers: qres.byCategory.computers, contract: qres.byCategory.contract },
          basicResearchPayments: qres.byCategory.basicResearch,
          ...(input.options ? { options: { ...(input.idaho.options ?? {}), ...input.options } } : {}),
        });
        credit = r.credit.earned;
      }
    } else credit = ex.na(`the ${state} credit is not computed by this engine yet; see law/states/registry.yaml for its method`);
    return { state, qres, credit };
  });
}
