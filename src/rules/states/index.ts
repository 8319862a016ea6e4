/**
 * Public surface of the state rules.
 *
 * - `sourceQres(view, { state, records, qualifying, undecided? })` — QREs of one state by category
 *   from the study's records, the federal (domestic) QREs of the same records, the federally
 *   qualified / state-disqualified lines with reasons, and the lines whose location is unknown.
 * - `computeIdaho(law, input)` — Form 67 lines 1–27 for one taxpayer: credit earned (lines 1–16,
 *   page 2 Parts A–C), limitation and vintage ledger (lines 17–27) and, for pass-through entities,
 *   each owner's share.
 * - `computeStateCredit(law, state, input)` — the credit of one of the states with an engine
 *   (AZ, CA, GA, IL, MA, MN, NJ, PA, TX, UT, WI) with its limitation on use (`limitation`: allowed,
 *   carryforward by vintage, refund); n/a with the reason for the others.
 * - `stateLimitation(law, state, input)`, `stateCarryforwardSchedule(state, limitation, year)` — the
 *   limitation on its own and the schedule `carryforward.<xx>`.
 * - `multistateSummary(law, input)` — the same records sourced to each state side by side with the
 *   federal QREs of the same records, each state's credit (Idaho through `computeIdaho`).
 * - `multistateSchedule(rows)`, `disqualifiedSchedule(sourced)` — schedule-ready tables.
 * - `idahoStartupComparison(law, years)` — the Idaho start-up election with and without, by year.
 * - `idahoControlledGroup(law, members)` — the Idaho credit of a controlled group under option
 *   us.id.research.group_method.
 */
import { explainer, type Val } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import type { Cents } from '../../money/index.js';
import type { TaxPeriod } from '../../periods/index.js';
import { sourceQres, type SourcedQres } from './sourcing.js';
import { computeIdahoCredit, type IdahoCreditInput, type IdahoCreditResult } from './idaho/credit.js';
import { idahoLimitation, idahoOwnerShares, type IdahoLimitationResult, type OwnerShare, type Vintage } from './idaho/limitation.js';
import type { StudyRecords } from './records.js';
import { computeStateCredit } from './credit.js';
import type { FederalFigures, StateCreditResult, StateEntityType, StateHistoryYear } from './state-credit.js';
import { taxPeriod } from '../../periods/index.js';

export * from './records.js';
export * from './sourcing.js';
export * from './registry.js';
export * from './idaho/credit.js';
export * from './idaho/limitation.js';
export * from './idaho/startup-comparison.js';
export * from './idaho/controlled-group.js';
export * from './state-credit.js';
export * from './credit.js';
export * from './schedules.js';
export * from './limitation.js';

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

/** One prior year as the study keeps it (structurally `PriorYear` of src/study/model.ts). */
export interface MultistatePriorYear {
  period: { start: string; end: string };
  qreByState?: Record<string, Cents>;
  grossReceipts?: Cents;
  grossReceiptsByState?: Record<string, Cents>;
}

export interface MultistateInput {
  period: TaxPeriod;
  records: StudyRecords;
  qualifying: ReadonlySet<string>;
  undecided?: ReadonlySet<string>;
  /** USPS codes of the states to show. */
  states: string[];
  /** The taxpayer's entity type (defaults to the Idaho input's, else unknown facts apply). */
  entityType?: StateEntityType;
  /** `Study.history`. */
  history?: readonly MultistatePriorYear[];
  /** `Study.grossReceipts` and `Study.grossReceiptsByState` of the credit year. */
  grossReceipts?: Cents;
  grossReceiptsByState?: Record<string, Cents>;
  /** `Study.baseFacts.firstTaxYearStart`. */
  firstTaxYearStart?: string;
  /** Figures of the federal computation a state borrows. */
  federal?: FederalFigures;
  /** `Study.stateFacts`. */
  stateFacts?: Record<string, Record<string, string>>;
  /** Idaho facts other than the QREs (which come from the sourcing); needed to compute the Idaho credit. */
  idaho?: Omit<ComputeIdahoInput, 'qres' | 'basicResearchPayments' | 'period'>;
  options?: Record<string, string>;
}

export interface StateSummaryRow {
  state: string;
  qres: SourcedQres;
  /** Federal (domestic) QREs of the same records, for the side-by-side view. */
  federalQres: Val<Cents>;
  credit: Val<Cents>;
  /** The state engine's full result (undefined for Idaho, whose result is `idaho`). */
  result?: StateCreditResult;
  idaho?: IdahoResult;
  missing: string[];
  refundable: boolean;
  /** Years; null = indefinite. */
  carryforwardYears: number | null;
  notes: string[];
}

/** The state's history rows from the study's prior years. */
export function stateHistory(state: string, history: readonly MultistatePriorYear[]): StateHistoryYear[] {
  return history.map((h) => ({
    period: taxPeriod(h.period.start, h.period.end),
    ...(h.qreByState?.[state] !== undefined ? { qre: h.qreByState[state] } : {}),
    ...(h.grossReceiptsByState?.[state] !== undefined ? { grossReceipts: h.grossReceiptsByState[state] } : {}),
    ...(h.grossReceipts !== undefined ? { totalGrossReceipts: h.grossReceipts } : {}),
  }));
}

/** Each state side by side from the same sourced records, with the federal QREs of those records. */
export function multistateSummary(law: Law, input: MultistateInput): StateSummaryRow[] {
  const view = law.for(input.period, input.options ?? {});
  const options = { ...(input.idaho?.options ?? {}), ...(input.options ?? {}) };
  return input.states.map((state) => {
    const qres = sourceQres(view, { state, records: input.records, qualifying: input.qualifying, ...(input.undecided ? { undecided: input.undecided } : {}) });
    if (state === 'ID') {
      const ex = explainer('us.states.summary.id', 'ID research credit', []);
      if (!input.idaho) {
        const credit = ex.unknown(['idaho facts (history, receipts, start-up status, tax)']);
        return { state, qres, federalQres: qres.federalTotal, credit, missing: credit.missing, refundable: false, carryforwardYears: law.get('us.id.research.carryforward_years', input.period).value as number, notes: [] };
      }
      const r = computeIdaho(law, {
        ...input.idaho,
        period: input.period,
        qres: { wages: qres.byCategory.wages, supplies: qres.byCategory.supplies, computers: qres.byCategory.computers, contract: qres.byCategory.contract },
        basicResearchPayments: qres.byCategory.basicResearch,
        options,
      });
      const credit = r.credit.earned;
      return {
        state,
        qres,
        federalQres: qres.federalTotal,
        credit,
        idaho: r,
        missing: credit.kind === 'unknown' ? credit.missing : [],
        refundable: false,
        carryforwardYears: law.get('us.id.research.carryforward_years', input.period).value as number,
        notes: qres.disqualified.length ? [`${qres.disqualified.length} federally qualified line(s) are not Idaho QREs`] : [],
      };
    }
    const entityType = input.entityType ?? (input.idaho?.entityType as StateEntityType | undefined) ?? 'c_corporation';
    const result = computeStateCredit(law, state, {
      period: input.period,
      entityType,
      qres,
      history: stateHistory(state, input.history ?? []),
      grossReceipts: {
        ...(input.grossReceiptsByState?.[state] !== undefined ? { state: input.grossReceiptsByState[state] } : {}),
        ...(input.grossReceipts !== undefined ? { total: input.grossReceipts } : {}),
      },
      ...(input.firstTaxYearStart ? { firstTaxYearStart: input.firstTaxYearStart } : {}),
      federal: input.federal ?? {},
      facts: input.stateFacts?.[state] ?? {},
      options,
    });
    return { state, qres, federalQres: qres.federalTotal, credit: result.credit, result, missing: result.missing, refundable: result.refundable, carryforwardYears: result.carryforwardYears, notes: result.notes };
  });
}
