/**
 * One entry point for the state research credits computed by this engine.
 *
 * `computeStateCredit(law, state, input)` dispatches to the state's module (src/rules/states/<xx>/).
 * A state without an engine returns n/a with the reason recorded in law/states/not-computed.yaml
 * (Idaho is computed in full by `computeIdaho`, Form 67); a state with an engine but missing facts
 * returns an unknown credit with the facts named (`missing`).
 */
import { explainer } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import { computeArizonaCredit } from './az/credit.js';
import { computeCaliforniaCredit } from './ca/credit.js';
import { computeGeorgiaCredit } from './ga/credit.js';
import { computeIllinoisCredit } from './il/credit.js';
import { computeMassachusettsCredit } from './ma/credit.js';
import { computeMinnesotaCredit } from './mn/credit.js';
import { computeNewJerseyCredit } from './nj/credit.js';
import { computePennsylvaniaCredit } from './pa/credit.js';
import { computeTexasCredit } from './tx/credit.js';
import { computeUtahCredit } from './ut/credit.js';
import { computeWisconsinCredit } from './wi/credit.js';
import type { StateCreditInput, StateCreditResult } from './state-credit.js';
import { limitationFor } from './limitation.js';

export type StateEngine = (law: Law, input: StateCreditInput) => StateCreditResult;

/** The states whose credit this engine computes (besides Idaho, see `computeIdaho`). */
export const STATE_ENGINES: Readonly<Record<string, StateEngine>> = {
  AZ: computeArizonaCredit,
  CA: computeCaliforniaCredit,
  GA: computeGeorgiaCredit,
  IL: computeIllinoisCredit,
  MA: computeMassachusettsCredit,
  MN: computeMinnesotaCredit,
  NJ: computeNewJerseyCredit,
  PA: computePennsylvaniaCredit,
  TX: computeTexasCredit,
  UT: computeUtahCredit,
  WI: computeWisconsinCredit,
};

/** Fact ids each engine reads, as listed in its law file (`us.<xx>.research.facts`, "id (format) — meaning"). */
export function stateFactIds(law: Law, state: string, input: Pick<StateCreditInput, 'period'>): string[] {
  const id = `us.${state.toLowerCase()}.research.facts`;
  if (!law.parameters.has(id)) return [];
  return (law.get(id, input.period).value as string[]).map((s) => s.split(' ')[0]!);
}

/** The research credit of one state for one taxpayer and year. */
export function computeStateCredit(law: Law, state: string, input: StateCreditInput): StateCreditResult {
  const s = state.toUpperCase();
  const engine = STATE_ENGINES[s];
  if (engine) {
    const r = engine(law, input);
    const limitation = limitationFor(law, s, input, r);
    return limitation ? { ...r, limitation } : r;
  }
  const ex = explainer(`us.${s.toLowerCase()}.research.credit`, `${s} research credit`, [{ title: 'law/states/registry.yaml (states.md Part B)' }]);
  const pid = `us.${s.toLowerCase()}.research.not_computed`;
  let reason: string;
  if (s === 'ID') reason = 'the Idaho credit is computed by computeIdaho (Form 67 lines 1–27)';
  else if (law.parameters.has(pid)) {
    const r = law.get(pid, input.period);
    ex.param(r.use);
    reason = `not computed by this engine: ${r.value as string}`;
  } else reason = `no research credit for ${s} in the state registry`;
  const credit = ex.na(reason);
  return { state: s, credit, lines: { credit }, missing: [], refundable: false, refundability: { kind: 'none', description: 'not computed' }, carryforwardYears: 0, notes: [reason], flags: [] };
}
