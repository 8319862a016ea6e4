/**
 * The irrevocable Idaho start-up election over the years the user has data for
 * (IDAPA 35.01.01.721(01); Idaho Code §63-3029G(2)(b)(ii); states.md §A4.3).
 *
 * For each year: the credit without the election (Part A, or Part B for a federal start-up), the
 * credit with the election in force from the election year on (Part B with Idaho figures), the
 * difference, and the credit under the election as actually made. Once elected the election binds
 * every later year: a later year stated as "not elected" is reported as a problem and computed as
 * elected, never silently accepted.
 */
import { collectFlags, explainer, type Val } from '../../../explain/index.js';
import type { ReviewFlag } from '../../../explain/types.js';
import { sub, sum, type Cents } from '../../../money/index.js';
import type { Law } from '../../../law/law.js';
import { yearBegun } from '../../../periods/index.js';
import { stateCite } from '../citations.js';
import { computeIdahoCredit, type IdahoCreditInput } from './credit.js';

export interface IdahoComparisonYear {
  /** The year's Form 67 inputs (its own period, QREs, history, §174 amounts); the election is set here. */
  input: Omit<IdahoCreditInput, 'startupElectionYear'>;
  /** The election as stated for this year: true = elected (this or an earlier year), false = not elected, undefined = not stated. */
  elected?: boolean;
}

export interface IdahoComparisonRow {
  year: number;
  without: Val<Cents>;
  withElection: Val<Cents>;
  /** withElection − without. */
  difference: Val<Cents>;
  /** The credit under the election as actually made (irrevocability applied). */
  actual: Val<Cents>;
  electionInForce: { hypothetical: boolean; actual: boolean };
}

export interface IdahoStartupComparison {
  /** Year from which the "with" path assumes the election (the actual election year, or the first year, or the one asked for). */
  electionYear: number;
  /** Year the election was actually made, per the inputs. */
  actualElectionYear?: number;
  rows: IdahoComparisonRow[];
  totals: { without: Val<Cents>; withElection: Val<Cents>; difference: Val<Cents>; actual: Val<Cents> };
  /** Inputs that contradict the irrevocable election, with the year. */
  problems: { year: number; message: string }[];
  /** Review flags of every year's computation (HB 559 and others). */
  flags: ReviewFlag[];
}

const CITES = [stateCite.idapa('721', '(01)'), stateCite.idStat('(2)(b)(ii)')];

function diff(rule: string, label: string, a: Val<Cents>, b: Val<Cents>): Val<Cents> {
  const ex = explainer(rule, label, CITES).formula('with the election − without it');
  ex.child(a);
  ex.child(b);
  if (a.kind === 'known' && b.kind === 'known') return ex.known(sub(a.value, b.value));
  return ex.unknown([a, b].flatMap((v) => (v.kind === 'unknown' ? v.missing : v.kind === 'na' ? [v.reason] : [])));
}

function total(rule: string, label: string, vs: Val<Cents>[]): Val<Cents> {
  const ex = explainer(rule, label, CITES).formula('sum over the years');
  for (const v of vs) ex.child(v);
  const m = vs.flatMap((v) => (v.kind === 'unknown' ? v.missing : []));
  if (m.length) return ex.unknown(m);
  return ex.known(sum(vs.map((v) => (v.kind === 'known' ? v.value : (0 as Cents)))));
}

/**
 * The Idaho credit with and without the start-up election for each year given.
 * @param years one entry per tax year (any order), each with its own inputs.
 * @param opts.electionYear the year from which to model the election (default: the actual election year, else the first year).
 */
export function idahoStartupComparison(law: Law, years: IdahoComparisonYear[], opts: { electionYear?: number } = {}): IdahoStartupComparison {
  const sorted = [...years].sort((a, b) => yearBegun(a.input.period) - yearBegun(b.input.period));
  const problems: { year: number; message: string }[] = [];
  const actualElectionYear = sorted.find((y) => y.elected === true) ? yearBegun(sorted.find((y) => y.elected === true)!.input.period) : undefined;
  for (const y of sorted) {
    const yr = yearBegun(y.input.period);
    if (actualElectionYear !== undefined && yr > actualElectionYear && y.elected === false)
      problems.push({ year: yr, message: `the Idaho start-up election made for ${actualElectionYear} is irrevocable (IDAPA 35.01.01.721(01)): "not elected" for ${yr} is not accepted; ${yr} is computed as elected` });
  }
  const first = sorted[0] ? yearBegun(sorted[0].input.period) : 0;
  const electionYear = opts.electionYear ?? actualElectionYear ?? first;
  const rows: IdahoComparisonRow[] = sorted.map((y) => {
    const yr = yearBegun(y.input.period);
    const without = computeIdahoCredit(law, { ...y.input }).earned;
    const withElection = computeIdahoCredit(law, { ...y.input, startupElectionYear: electionYear }).earned;
    const actualInForce = actualElectionYear !== undefined && yr >= actualElectionYear;
    const actualRes = actualInForce ? computeIdahoCredit(law, { ...y.input, startupElectionYear: actualElectionYear }).earned : without;
    const ax = explainer('us.id.research.startup_comparison.actual', `Idaho credit ${yr} under the election as made`, CITES);
    ax.child(actualRes);
    if (problems.some((p) => p.year === yr)) ax.note(problems.find((p) => p.year === yr)!.message);
    const actual = actualRes.kind === 'known' ? ax.known(actualRes.value) : actualRes.kind === 'unknown' ? ax.unknown(actualRes.missing) : ax.na(actualRes.reason);
    return {
      year: yr,
      without,
      withElection,
      difference: diff('us.id.research.startup_comparison.difference', `Idaho credit ${yr}: effect of the start-up election`, withElection, without),
      actual,
      electionInForce: { hypothetical: yr >= electionYear, actual: actualInForce },
    };
  });
  const flags = new Map<string, ReviewFlag>();
  for (const r of rows) for (const v of [r.without, r.withElection]) for (const f of collectFlags(v.why)) if (!flags.has(f.option)) flags.set(f.option, f);
  return {
    electionYear,
    ...(actualElectionYear !== undefined ? { actualElectionYear } : {}),
    rows,
    totals: {
      without: total('us.id.research.startup_comparison.total_without', 'Idaho credit over the years without the election', rows.map((r) => r.without)),
      withElection: total('us.id.research.startup_comparison.total_with', `Idaho credit over the years with the election from ${electionYear}`, rows.map((r) => r.withElection)),
      difference: total('us.id.research.startup_comparison.total_difference', 'Total effect of the start-up election', rows.map((r) => r.difference)),
      actual: total('us.id.research.startup_comparison.total_actual', 'Idaho credit over the years under the election as made', rows.map((r) => r.actual)),
    },
    problems,
    flags: [...flags.values()],
  };
}
