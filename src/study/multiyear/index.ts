/**
 * Functions over several studies of one taxpayer (or of one unitary group) — the Idaho rules that
 * span tax years or members, fed from each study the same way the compute pipeline feeds one:
 *
 * - `idahoYearFromStudy(law, study)` — the year's Form 67 input built from the study (Idaho QREs by
 *   category from `sourceQres`, history, base facts, election, HB 559 amounts, `stateFacts.ID`),
 *   through `idahoInputFromStudy` of src/study/compute/states.ts.
 * - `idahoStartupComparisonForStudies(law, studies)` — the irrevocable Idaho start-up election with
 *   and without over the tax years of the studies (IDAPA 35.01.01.721(01)); an election made in an
 *   earlier study binds every later one.
 * - `idahoUnitaryGroup(law, studies, sharing)` — one study per unitary member for the same tax year:
 *   each member computed and limited separately, elective sharing of unused credit, and the
 *   member-by-member schedule Rule 723(03) requires.
 * Pure (no I/O).
 */
import type { Val } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import type { Cents } from '../../money/cents.js';
import { taxPeriod, yearBegun, type TaxPeriod } from '../../periods/index.js';
import { qualifiedComputerUse, qualifiedSupplies, componentStatusFrom } from '../../rules/federal/qre-categories.js';
import {
  computeIdahoCredit,
  idahoStartupComparison,
  idahoUnitaryGroup as unitaryRule,
  sourceQres,
  type ComputeIdahoInput,
  type IdahoStartupComparison,
  type UnitaryResult,
  type Vintage,
} from '../../rules/states/index.js';
import type { ReviewFlag } from '../../explain/types.js';
import { idahoInputFromStudy, normalisedHistory } from '../compute/states.js';
import { statesInStudy } from '../compute/breakdown.js';
import { computeSection174 } from '../compute/s174.js';
import { computeEmployeeWages, totalQualifiedWages } from '../compute/wages.js';
import type { Schedule } from '../compute/result.js';
import type { Study } from '../model.js';

/** One study's Idaho year: the Form 67 input and the election as the study states it. */
export interface IdahoStudyYear {
  studyId: string;
  taxpayerId: string;
  period: TaxPeriod;
  year: number;
  /** Form 67 input of the year (QREs from the sourced records; the study's own election included). */
  input: ComputeIdahoInput;
  /** `elections.idahoStartupElection` of the study (undefined = not stated). */
  elected?: boolean;
  /** Year of the election when the study states it (`elections.idahoStartupElectionYear`, default the study's year). */
  electionYear?: number;
}

/** The Idaho Form 67 input of one study, built as the compute pipeline builds it. */
export function idahoYearFromStudy(law: Law, study: Study): IdahoStudyYear {
  const period = taxPeriod(study.taxpayer.period.start, study.taxpayer.period.end);
  const view = law.for(period, study.elections.options ?? {});
  const status = componentStatusFrom(study.components);
  const wages = totalQualifiedWages(computeEmployeeWages(view, study));
  const supplies = qualifiedSupplies(view, study.supplies, status);
  const computers = qualifiedComputerUse(view, study.computers, status);
  const s174 = computeSection174(law, study, period, { wages, supplies, computers });
  const qualifying = new Set(study.components.filter((c) => c.qualification === 'qualifies').map((c) => c.id));
  const undecided = new Set(study.components.filter((c) => c.qualification === 'needs_information').map((c) => c.id));
  const history = normalisedHistory([...study.history].sort((a, b) => (a.period.start < b.period.start ? -1 : 1)), statesInStudy(study));
  const idQres = sourceQres(view, { state: 'ID', records: study, qualifying, undecided }).byCategory;
  const facts = idahoInputFromStudy(study, history, period, s174, idQres);
  const year = yearBegun(period);
  const elected = study.elections.idahoStartupElection;
  return {
    studyId: study.id,
    taxpayerId: study.taxpayer.id,
    period,
    year,
    input: {
      ...facts,
      period,
      qres: { wages: idQres.wages, supplies: idQres.supplies, computers: idQres.computers, contract: idQres.contract },
      basicResearchPayments: idQres.basicResearch,
      options: study.elections.options ?? {},
    },
    ...(elected !== undefined ? { elected } : {}),
    ...(elected === true ? { electionYear: study.elections.idahoStartupElectionYear ?? year } : {}),
  };
}

export interface StudiesProblem {
  studyId?: string;
  year?: number;
  message: string;
}

export interface IdahoStartupForStudies {
  /** The comparison over the years (with, without, difference, as elected; totals). */
  comparison: IdahoStartupComparison;
  /** Year the election was made according to the studies (earliest stated), if any. */
  electionYear?: number;
  /** Study id of each year. */
  studies: { year: number; studyId: string }[];
  /** Inputs that contradict each other: other taxpayers, duplicate years, a "not elected" after the election. */
  problems: StudiesProblem[];
  /** Schedule `id.startup` over the years. */
  schedule: Schedule;
  flags: ReviewFlag[];
}

const money = (v: Val<Cents>): number | null => (v.kind === 'known' ? v.value : null);

/**
 * The Idaho start-up election with and without over the studies' tax years (one study per year of
 * the same taxpayer). The election, once made in any study's year, binds every later year: a later
 * study stating "not elected" is a problem and is computed as elected.
 * @param opts.electionYear the year from which to model the "with" path (default: the election year the studies state, else the first year).
 */
export function idahoStartupComparisonForStudies(law: Law, studies: Study[], opts: { electionYear?: number } = {}): IdahoStartupForStudies {
  const problems: StudiesProblem[] = [];
  const years = studies.map((s) => idahoYearFromStudy(law, s)).sort((a, b) => a.year - b.year);
  const taxpayer = years[0]?.taxpayerId;
  const kept: IdahoStudyYear[] = [];
  for (const y of years) {
    if (y.taxpayerId !== taxpayer) {
      problems.push({ studyId: y.studyId, year: y.year, message: `study ${y.studyId} is for taxpayer ${y.taxpayerId}, not ${taxpayer}: left out of the comparison` });
      continue;
    }
    if (kept.some((k) => k.year === y.year)) {
      problems.push({ studyId: y.studyId, year: y.year, message: `two studies for ${y.year} (${kept.find((k) => k.year === y.year)!.studyId}, ${y.studyId}): the second is left out` });
      continue;
    }
    kept.push(y);
  }
  // The election year the studies state: the earliest of any study that says it is elected.
  const stated = kept.filter((y) => y.electionYear !== undefined).map((y) => y.electionYear!);
  const electionYear = stated.length ? Math.min(...stated) : undefined;
  const rows = kept.map((y) => {
    const { startupElectionYear: _ignored, ...rest } = y.input;
    void _ignored;
    // From the election year on, the year is elected unless the study says otherwise (then the rule reports it).
    // The stated election year itself is elected whatever its own study says (a contradiction is reported).
    const elected = electionYear !== undefined && y.year >= electionYear ? (y.year === electionYear || y.elected !== false ? true : false) : y.elected;
    if (electionYear !== undefined && y.year === electionYear && y.elected === false)
      problems.push({ studyId: y.studyId, year: y.year, message: `study ${y.studyId} says the Idaho start-up election was not made for ${y.year}, but a later study states it was made for ${y.year}: computed as elected` });
    return { input: rest, ...(elected !== undefined ? { elected } : {}) };
  });
  // A study that states an election made before its own year, with no study of that year: model from the stated year.
  const firstKept = kept[0]?.year;
  const modelFrom = opts.electionYear ?? (electionYear !== undefined && firstKept !== undefined && electionYear < firstKept ? firstKept : electionYear);
  const comparison = idahoStartupComparison(law, rows, modelFrom !== undefined ? { electionYear: modelFrom } : {});
  for (const p of comparison.problems) problems.push({ year: p.year, studyId: kept.find((k) => k.year === p.year)?.studyId ?? '', message: p.message });
  const schedule: Schedule = {
    id: 'id.startup',
    title: 'Idaho start-up election over the tax years: the credit with and without it (irrevocable once made)',
    citation: [{ title: 'IDAPA 35.01.01.721(01)' }, { title: 'Idaho Code § 63-3029G(2)(b)(ii)' }],
    columns: [
      { key: 'year', label: 'Tax year', kind: 'text' },
      { key: 'study', label: 'Study', kind: 'text' },
      { key: 'without', label: 'Credit without the election', kind: 'money' },
      { key: 'withElection', label: `Credit with the election from ${comparison.electionYear}`, kind: 'money' },
      { key: 'difference', label: 'Difference', kind: 'money' },
      { key: 'actual', label: 'As elected', kind: 'money' },
    ],
    rows: comparison.rows.map((r) => ({
      cells: { year: String(r.year), study: kept.find((k) => k.year === r.year)?.studyId ?? '', without: money(r.without), withElection: money(r.withElection), difference: money(r.difference), actual: money(r.actual) },
      source: 'us.id.research.startup_comparison',
    })),
    totals: { without: money(comparison.totals.without), withElection: money(comparison.totals.withElection), difference: money(comparison.totals.difference), actual: money(comparison.totals.actual) },
    notes: [
      ...(electionYear !== undefined ? [`The start-up election was made for ${electionYear}; it binds every later year.`] : ['No study states the start-up election.']),
      ...problems.map((p) => `${p.year ?? ''} ${p.message}`.trim()),
    ],
  };
  return {
    comparison,
    ...(electionYear !== undefined ? { electionYear } : {}),
    studies: kept.map((k) => ({ year: k.year, studyId: k.studyId })),
    problems,
    schedule,
    flags: comparison.flags,
  };
}

/** Which members elect to share unused credit (Rule 721(02)): taxpayer id → true; the order of `studies` is the order of recipients. */
export type UnitarySharing = Record<string, boolean>;

export interface IdahoUnitaryForStudies {
  result: UnitaryResult;
  /** Member id (taxpayer id) → study id. */
  members: { memberId: string; studyId: string }[];
  problems: StudiesProblem[];
  /** Schedule `id.unitary`: the Rule 723(03) member-by-member schedule. */
  schedule: Schedule;
  flags: ReviewFlag[];
}

/**
 * The Idaho credit of a unitary group for one tax year, one study per member: each member's credit
 * (Form 67 lines 1–16) and limitation computed from its own study and `stateFacts.ID`
 * (income_tax, credits_ahead, carryforward_<year>, pass_through_in); members that elect share their
 * unused credit with the others in the order of `studies`, each up to its own remaining tax.
 */
export function idahoUnitaryGroup(law: Law, studies: Study[], sharing: UnitarySharing): IdahoUnitaryForStudies {
  const problems: StudiesProblem[] = [];
  const years = studies.map((s) => idahoYearFromStudy(law, s));
  const first = years[0];
  const kept = years.filter((y) => {
    if (first && (y.period.start !== first.period.start || y.period.end !== first.period.end)) {
      problems.push({ studyId: y.studyId, year: y.year, message: `member ${y.taxpayerId}'s study ${y.studyId} covers ${y.period.start}–${y.period.end}, not the group's tax year ${first.period.start}–${first.period.end}: left out` });
      return false;
    }
    return true;
  });
  for (const id of Object.keys(sharing)) if (!kept.some((k) => k.taxpayerId === id)) problems.push({ message: `sharing election for ${id}, which is not a member given` });
  const options = first?.input.options ?? {};
  const period = first?.period ?? taxPeriod('2025-01-01', '2025-12-31');
  const members = kept.map((y) => {
    const earned = computeIdahoCredit(law, y.input).earned;
    return {
      id: y.taxpayerId,
      earned,
      ...(y.input.passThroughIn !== undefined ? { passThroughIn: y.input.passThroughIn } : {}),
      carryforwards: (y.input.carryforwards ?? []) as Vintage[],
      ...(y.input.tax !== undefined ? { tax: y.input.tax } : {}),
      ...(y.input.creditsAhead !== undefined ? { creditsAhead: y.input.creditsAhead } : {}),
      electsToShare: sharing[y.taxpayerId] === true,
    };
  });
  const result = unitaryRule(law, period, members, options);
  const sched = result.schedule;
  const total = (vs: { amount: Cents }[]) => vs.reduce((s, v) => s + v.amount, 0);
  const rows =
    sched.kind === 'known'
      ? sched.value.map((r) => ({
          cells: {
            member: r.memberId,
            study: kept.find((k) => k.taxpayerId === r.memberId)?.studyId ?? '',
            earned: r.earned,
            usedOwn: r.usedOwn,
            sharedOut: total(r.sharedOut),
            received: total(r.received),
            receivedFrom: r.received.map((x) => `${x.from} ${(x.amount / 100).toFixed(2)}`).join('; '),
            allowed: money(result.members[r.memberId]!.lines['27']!),
            carried: total(r.carryforward),
            expired: total(r.expired),
          },
          source: 'us.id.research.unitary_schedule',
        }))
      : kept.map((k) => ({ cells: { member: k.taxpayerId, study: k.studyId, earned: null, usedOwn: null, sharedOut: null, received: null, receivedFrom: '', allowed: null, carried: null, expired: null }, source: 'us.id.research.unitary_schedule' }));
  const flagMap = new Map<string, ReviewFlag>();
  const walk = (e: Val<unknown>['why']): void => {
    for (const f of e.flags) if (!flagMap.has(f.option)) flagMap.set(f.option, f);
    for (const c of e.children) walk(c);
  };
  walk(sched.why);
  for (const m of members) walk(m.earned.why);
  return {
    result,
    members: kept.map((k) => ({ memberId: k.taxpayerId, studyId: k.studyId })),
    problems,
    schedule: {
      id: 'id.unitary',
      title: `Idaho research credit of the unitary group, ${period.start}–${period.end}: credit earned, used, shared and carried by member (Rule 723(03))`,
      citation: [{ title: 'IDAPA 35.01.01.720(02)(b)' }, { title: 'IDAPA 35.01.01.721(02)' }, { title: 'IDAPA 35.01.01.723(03)' }],
      columns: [
        { key: 'member', label: 'Member', kind: 'text' },
        { key: 'study', label: 'Study', kind: 'text' },
        { key: 'earned', label: 'Credit earned (line 16)', kind: 'money' },
        { key: 'usedOwn', label: 'Used against own tax before sharing', kind: 'money' },
        { key: 'sharedOut', label: 'Shared with affiliates (line 21)', kind: 'money' },
        { key: 'received', label: 'Received from affiliates (line 18)', kind: 'money' },
        { key: 'receivedFrom', label: 'Received from', kind: 'text' },
        { key: 'allowed', label: 'Allowed (line 27)', kind: 'money' },
        { key: 'carried', label: 'Carried forward', kind: 'money' },
        { key: 'expired', label: 'Expired', kind: 'money' },
      ],
      rows,
      notes: [
        ...(sched.kind === 'unknown' ? [`Unknown until the members' facts are given: ${sched.missing.join(', ')}`] : []),
        'Each member is limited by its own Idaho tax after the credits that rank ahead; a member shares only after using what it can.',
        ...problems.map((p) => p.message),
      ],
    },
    flags: [...flagMap.values()],
  };
}
