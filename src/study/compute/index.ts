/**
 * The compute pipeline: a Study in, a StudyResult out. Builds every rule's input from the study's
 * records, calls the federal and Idaho rules, and assembles the form lines. Pure (no I/O).
 */
import { explainer, collectFlags, type Val } from '../../explain/index.js';
import type { Law } from '../../law/law.js';
import { add, formatDollars, sub, ZERO, type Cents } from '../../money/cents.js';
import { roundToDollar } from '../../money/rounding.js';
import { applyRate, rate } from '../../money/rate.js';
import { taxPeriod, yearBegun } from '../../periods/index.js';
import { computeFederalCredit } from '../../rules/federal/credit.js';
import {
  basicResearchContractShare,
  basicResearchPayments,
  componentStatusFrom,
  energyConsortiumAmounts,
  qualifiedComputerUse,
  qualifiedContractResearch,
  qualifiedSupplies,
} from '../../rules/federal/qre-categories.js';
import { disqualifiedSchedule, multistateSchedule, multistateSummary, sourceQres, stateCarryforwardSchedule } from '../../rules/states/index.js';
import { idahoStartupComparison } from '../../rules/states/idaho/startup-comparison.js';
import { idahoCarryforwardSchedule, idahoInputFromStudy, normalisedHistory, stateName } from './states.js';
import type { Study } from '../model.js';
import type { FormResult, LineValue, StudyResult } from './result.js';
import { computeEmployeeWages, notForeign, totalQualifiedWages } from './wages.js';
import { byComponent, byState, employeeResults, statesInStudy } from './breakdown.js';
import { computeLimits } from './limits.js';
import { computeSection174 } from './s174.js';
import { computeSectionG } from './section-g.js';
import { computeGroup } from './group.js';
import { qualifyStudy, type QualificationData } from '../qualify/index.js';
import type { RetainedEvidence } from '../evidence-files.js';
import { computePassThrough } from '../../rules/federal/passthrough.js';
import { isPassThrough, ownerShares } from '../../rules/federal/passthrough-shares.js';
import { qualifiedOrganizationBasePeriodAmount } from '../../rules/federal/qobpa.js';
import type { LawView } from '../../law/law.js';

function basicPaymentsForQobpa(view: LawView, study: Study): Cents | undefined {
  const v = basicResearchPayments(view, study.basicResearch, study.taxpayer.entityType);
  return v.kind === 'known' ? v.value : undefined;
}

function formOf(law: Law, id: string, period: ReturnType<typeof taxPeriod>, lines: Record<string, Val<LineValue>>): FormResult {
  let map: ReturnType<Law['form']> | undefined;
  try {
    map = law.form(id, period);
  } catch {
    map = undefined;
  }
  const labels: Record<string, string> = {};
  const kinds: FormResult['kinds'] = {};
  for (const l of Object.keys(lines)) {
    const def = map?.lines[l];
    labels[l] = def?.label ?? `line ${l}`;
    const k = def?.kind ?? 'money';
    kinds[l] = k === 'count' ? 'text' : k;
  }
  return { id, title: map?.title ?? id, revision: map?.revision ?? 'unknown revision', lines, labels, kinds };
}

function collectMissing(vals: Iterable<Val<unknown>>): string[] {
  const s = new Set<string>();
  for (const v of vals) if (v.kind === 'unknown') for (const m of v.missing) s.add(m);
  return [...s].sort();
}

export interface ComputeOptions {
  /** Interview definition and readiness checks (read once by the caller; default: the repository's data files, cached). */
  qualificationData?: QualificationData;
  /** Evidence whose bytes are kept (ledger or matching study-folder files), for the readiness check. */
  retainedEvidence?: RetainedEvidence;
}

export function computeStudy(law: Law, study: Study, opts: ComputeOptions = {}): StudyResult {
  const period = taxPeriod(study.taxpayer.period.start, study.taxpayer.period.end);
  const view = law.for(period, study.elections.options ?? {});
  const status = componentStatusFrom(study.components);

  // §41(d)(4)(F): research conducted outside the United States is not qualified research. Cost
  // lines located abroad leave the federal QREs (the states' sourcing and §174 see them as foreign).
  const foreignLines = [...study.supplies, ...study.computers, ...study.contracts].filter((x) => !notForeign(x.location));
  const noLocation = [...study.supplies, ...study.computers, ...study.contracts].filter((x) => x.location === undefined).length;
  const fed: Study = foreignLines.length
    ? { ...study, supplies: study.supplies.filter((x) => notForeign(x.location)), computers: study.computers.filter((x) => notForeign(x.location)), contracts: study.contracts.filter((x) => notForeign(x.location)) }
    : study;
  const foreignNotes: string[] = [];
  if (foreignLines.length)
    foreignNotes.push(`Foreign research excluded from federal QREs (§41(d)(4)(F)): ${foreignLines.length} cost line(s) located outside the United States (${foreignLines.map((x) => x.id).slice(0, 5).join(', ')}${foreignLines.length > 5 ? ', …' : ''}).`);
  if (noLocation) foreignNotes.push(`${noLocation} cost line(s) have no location: they are counted as domestic research for the federal credit; enter a location to confirm (§41(d)(4)(F)).`);
  const foreignHours = study.time.filter((t) => !notForeign(t.location)).reduce((h, t) => h + t.hours, 0);
  if (foreignHours > 0) foreignNotes.push(`${Math.round(foreignHours * 100) / 100} hours were worked outside the United States: they count in each person's total hours but not as qualified services (§41(d)(4)(F)).`);

  // QREs by category
  const employees = computeEmployeeWages(view, study);
  const wages = totalQualifiedWages(employees);
  const supplies = qualifiedSupplies(view, fed.supplies, status);
  const computers = qualifiedComputerUse(view, fed.computers, status);
  const contract = qualifiedContractResearch(view, fed.contracts, status);
  const basicPayments = basicResearchPayments(view, study.basicResearch, study.taxpayer.entityType);
  const qobpaEx = explainer('study.qobpa', 'Qualified organization base period amount', [{ title: '26 U.S.C. § 41(e)(3)' }]);
  let qobpa: Val<Cents>;
  const firstYear = study.baseFacts?.firstTaxYearStart;
  if (study.basicResearch.length === 0) qobpa = qobpaEx.known(ZERO, '$0.00 (no basic research payments)');
  else if (firstYear !== undefined && Number(firstYear.slice(0, 4)) > view.count(null, 'us.federal.irc41e.base_period.ends_before_first_year_after')) {
    // A taxpayer whose first tax year began after 1983 has no base-period years (§41(e)(7)(B)):
    // the minimum basic research amount is then the 50% floor of §41(e)(4)(B).
    qobpa = qualifiedOrganizationBasePeriodAmount(view, {
      basePeriod: [],
      currentBasicResearchPayments: basicPaymentsForQobpa(view, study),
      currentNondesignatedUniversityContributions: undefined,
    });
  } else qobpa = qobpaEx.unknown(['baseFacts.firstTaxYearStart (or the 1981–1983 base-period records for §41(e))']);
  const energy = energyConsortiumAmounts(view, study.energyConsortia);
  const basicContract = basicResearchContractShare(view, basicPayments, qobpa);

  const bf = study.baseFacts ?? {};
  const history = [...study.history].sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
  const federal = computeFederalCredit(view, {
    qre: { wages, supplies, computers, contract },
    basicResearchPayments: basicPayments,
    qobpa,
    energyConsortium: energy,
    history,
    ...(bf.firstTaxYearStart ? { firstTaxYearStart: bf.firstTaxYearStart } : {}),
    fixedBase: bf.federalFixedBase
      ? { kind: 'given', fbp: rate(bf.federalFixedBase.percentage), source: bf.federalFixedBase.source }
      : {
          kind: 'history',
          years: [
            ...(bf.basePeriod ?? []).map((y) => ({ year: y.year, ...(y.qre !== undefined ? { qre: y.qre } : {}), ...(y.grossReceipts !== undefined ? { grossReceipts: y.grossReceipts } : {}) })),
            ...history.map((h) => ({
              year: yearBegun(taxPeriod(h.period.start, h.period.end)),
              ...(h.qre !== undefined ? { qre: h.qre } : {}),
              ...(h.grossReceipts !== undefined ? { grossReceipts: h.grossReceipts } : {}),
            })),
          ],
        },
    elections: { method: study.elections.method, section280c: study.elections.section280c },
    employerDifferentialWageCredit: { noEmployerDifferentialWageCredit: true },
  });

  const total = federal.lines['48'] as Val<Cents>;
  const f6765Lines: Record<string, Val<LineValue>> = {};
  for (const [k, v] of Object.entries(federal.lines)) f6765Lines[k] = v as Val<LineValue>;
  const forms: Record<string, FormResult> = { f6765: formOf(law, 'f6765', period, f6765Lines) };

  // Breakdowns (by component, state, employee) from the same per-line rules as the totals
  const components = byComponent(view, fed, status, employees);
  const qreByState = byState(view, study, statesInStudy(study));
  const schedules: NonNullable<StudyResult['schedules']> = {};

  // After line 28: payroll election (Section D, Form 8974), §38(c) and the §39 ledger
  // Line 29 (credits received on Schedules K-1) and line 30, for taxpayers that are not pass-throughs
  const isPT = isPassThrough(study.taxpayer.entityType);
  const received = study.taxFacts.passThroughCreditsReceived;
  let line29: Val<Cents> | undefined;
  if (!isPT) {
    const ex29 = explainer('us.federal.f6765.line29', 'Form 6765 line 29: credit from partnerships, S corporations, estates and trusts', [{ title: 'Form 6765 (Rev. December 2024), line 29' }]);
    let l29: Val<Cents>;
    if (received === undefined) {
      ex29.note('No research credit received on a Schedule K-1 was entered (taxFacts.passThroughCreditsReceived).');
      l29 = ex29.known(ZERO, '$0');
    } else {
      for (const r of received) ex29.input(r.from, r.amount, 'Schedule K-1', 'money');
      l29 = ex29.known(add(ZERO, ...received.map((r) => r.amount)));
    }
    f6765Lines['29'] = l29 as Val<LineValue>;
    const l28 = federal.lines['28'] as Val<Cents>;
    const ex30 = explainer('us.federal.f6765.line30', 'Form 6765 line 30: lines 28 + 29', [{ title: 'Form 6765 (Rev. December 2024), line 30' }]);
    ex30.child(l28);
    ex30.child(l29);
    f6765Lines['30'] = (l28.kind === 'known' && l29.kind === 'known' ? ex30.known(add(l28.value, l29.value)) : l28.kind === 'unknown' ? ex30.unknown(l28.missing) : ex30.na('line 28 is not applicable')) as Val<LineValue>;

    line29 = l29;
  }
  let limits = computeLimits(law, view, study, period, federal.lines['28'] as Val<Cents>, line29 ? { line29 } : {});

  // Lines 29–32 and, for pass-through entities, the owners' shares (issue 8)
  const passThrough = isPT
    ? computePassThrough(law, {
        period,
        options: study.elections.options ?? {},
        name: study.taxpayer.name,
        entityType: study.taxpayer.entityType,
        line28: federal.credit,
        ...(federal.chosen ? { section280c: federal.chosen.section280c } : {}),
        ...(received ? { creditsReceived: received } : {}),
        ...(limits.sectionD.kind === 'na' ? {} : { sectionD: limits.sectionD }),
        owners: study.taxpayer.owners ?? [],
      })
    : undefined;
  if (passThrough) {
    if (passThrough.entity.kind === 'known') for (const k of ['29', '30', '31', '32']) if (passThrough.entity.value.lines[k]) f6765Lines[k] = passThrough.entity.value.lines[k] as Val<LineValue>;
    if (passThrough.schedule) schedules.owners = passThrough.schedule as never;
    // An estate or trust keeps only line 32; that is what its own §38(c) and §39 ledger see
    if (study.taxpayer.entityType === 'estate_or_trust' && passThrough.entity.kind === 'known')
      limits = computeLimits(law, view, study, period, federal.lines['28'] as Val<Cents>, { retained: passThrough.entity.value.retained });
  }
  for (const [k, v] of Object.entries(limits.lines)) f6765Lines[k] = v as Val<LineValue>;
  Object.assign(schedules, limits.schedules);
  if (limits.f8974?.kind === 'known') {
    // The form of the first quarter in the schedule (Part 1 then shows each election as it stood
    // before the quarter); every quarter is in schedule f8974
    const q = limits.f8974.value.quarters[0];
    if (q) {
      const ex = (l: string) => {
        const e = explainer(`us.federal.f8974.line${l}`, `Form 8974 line ${l} (${q.quarter}; every quarter in schedule f8974)`, [{ title: 'Form 8974 (Rev. December 2024)' }]);
        e.child(limits.f8974!.why);
        return e;
      };
      const elections = [
        ...study.history
          .filter((h) => h.payrollElection?.returnFiled !== undefined)
          .sort((a, b) => (a.period.start < b.period.start ? -1 : 1))
          .map((h) => ({ end: h.period.end, filed: h.payrollElection!.returnFiled!, amount: h.payrollElection!.amount, used: h.payrollElection!.usedToDate ?? ZERO })),
        ...(limits.lines['36']?.kind === 'known' && study.taxFacts.returnFiledDate
          ? [{ end: period.end, filed: study.taxFacts.returnFiledDate, amount: limits.lines['36'].value as Cents, used: ZERO }]
          : []),
      ]
        // elections whose credit is used up are no longer listed
        .filter((el) => el.amount > el.used)
        .slice(-5);
      const lines: Record<string, Val<LineValue>> = { quarter: ex('quarter').known(q.quarter) };
      let l6 = ZERO;
      elections.forEach((el, i) => {
        const n = String(i + 1);
        const rem = el.amount > el.used ? sub(el.amount, el.used) : ZERO;
        lines[`${n}a`] = ex(`${n}a`).known(el.end);
        lines[`${n}b`] = ex(`${n}b`).known(study.taxpayer.entityType === 'c_corporation' ? 'Form 1120' : study.taxpayer.entityType === 's_corporation' ? 'Form 1120-S' : study.taxpayer.entityType === 'partnership' ? 'Form 1065' : 'income tax return');
        lines[`${n}c`] = ex(`${n}c`).known(el.filed);
        lines[`${n}d`] = ex(`${n}d`).known(study.taxFacts.payrollCreditOtherEin ?? study.taxpayer.ein ?? '');
        lines[`${n}e`] = ex(`${n}e`).known(roundToDollar(el.amount));
        lines[`${n}f`] = ex(`${n}f`).known(roundToDollar(el.used));
        lines[`${n}g`] = ex(`${n}g`).known(roundToDollar(rem));
        l6 = add(l6, roundToDollar(rem));
      });
      lines['6'] = ex('6').known(l6);
      lines['7'] = ex('7').known(roundToDollar(q.available));
      const ss = study.taxFacts.payrollTaxes?.find((x) => x.quarter === q.quarter)?.socialSecurity;
      lines['11'] = ss === undefined ? ex('11').unknown([`taxFacts.payrollTaxes.${q.quarter}.socialSecurity`]) : ex('11').known(roundToDollar(ss));
      lines['12'] = ex('12').known(roundToDollar(q.socialSecurity));
      lines['17'] = ex('17').known(roundToDollar(q.total));
      forms.f8974 = formOf(law, 'f8974', period, lines);
    }
  }

  // §174 / §174A schedule
  const fl = federal.lines as Record<string, Val<Cents>>;
  const zeroOrNa = (k: string) => fl[k] === undefined || fl[k]!.kind === 'na' || (fl[k]!.kind === 'known' && (fl[k] as { value: Cents }).value === ZERO);
  const l28v = fl['28']!;
  // §174 wages: each person's wages × the measured research share (the 80% rule raises the credit's
  // wage QREs, not the research expenditures)
  const exReWages = explainer('study.s174.wages', 'Wages of research personnel for §174 (measured share)', [{ title: '26 U.S.C. § 174A' }, { title: '26 U.S.C. § 41(b)(2)(B)' }]);
  let reWages: Val<Cents>;
  {
    let t = ZERO;
    const miss: string[] = [];
    for (const e of employees) {
      if (e.result.kind === 'unknown') miss.push(...e.result.missing);
      else if (e.result.kind === 'known') {
        const v = e.result.value;
        // under the 80% rule the wage QRE is all wages; the research expenditure is the measured share
        t = add(t, v.substantiallyAll ? applyRate(v.qualifiedWages, v.qualifiedShare) : v.qualifiedWages);
      }
    }
    exReWages.formula('Σ wages × measured share of qualified-services hours');
    reWages = miss.length ? exReWages.unknown(miss) : exReWages.known(t);
  }
  const s174 = computeSection174(law, study, period, { wages: reWages, supplies, computers }, {
    line28: l28v,
    reducedCreditElected: federal.chosen?.section280c,
    // The §41(a)(1) piece equals line 28 when there is no basic research or energy consortium amount
    credit41a1: l28v.kind === 'known' && ['1', '4', '14', '17'].every(zeroOrNa) ? l28v.value : undefined,
    qreTotal: total,
  });
  if (s174.schedule) schedules.s174 = s174.schedule;

  // Controlled group: the records cover every member; the group credit is allocated by QRE share
  const group = computeGroup(view, study, federal.credit, employees, components, { basicResearch: basicPayments, energy });
  if (group?.schedule) schedules['group.allocation'] = group.schedule;
  {
    const exB = explainer('us.federal.f6765.line_b', 'Form 6765 item B: member of a controlled group', [{ title: '26 U.S.C. § 41(f)(1)' }]);
    f6765Lines.B = exB.known(group !== undefined, group ? 'yes' : 'no');
    const exA = explainer('us.federal.f6765.line_a', 'Form 6765 item A: reduced credit elected under §280C', [{ title: '26 U.S.C. § 280C(c)(2)' }]);
    f6765Lines.A = federal.chosen ? exA.known(federal.chosen.section280c, federal.chosen.section280c ? 'yes' : 'no') : exA.unknown(['the method and §280C choice (an unknown decides it)']);
  }

  // Section E: components with QREs, officers' wages in line 42, and the three questions
  {
    const exE = (l: string, label: string) => explainer(`us.federal.f6765.line${l}`, `Form 6765 line ${l}: ${label}`, [{ title: `Form 6765 (Rev. December 2024), line ${l}` }]);
    const e37 = exE('37', 'business components generating the QREs');
    f6765Lines['37'] = (wages.kind === 'known' ? e37.known(components.filter((c) => c.total > 0).length as never, `${components.filter((c) => c.total > 0).length}`) : e37.unknown(['qre.wages'])) as Val<LineValue>;
    const e38 = exE('38', "officers' wages included on line 42");
    const officers = employees.filter((e) => e.employee.officer);
    const unknownOfficer = officers.find((e) => e.result.kind === 'unknown');
    for (const o of officers) if (o.result.kind === 'known') e38.input(o.employee.name, o.result.value.qualifiedWages, 'employees.csv (officer = true)', 'money');
    f6765Lines['38'] = (unknownOfficer ? e38.unknown(['qualified wages of officer ' + unknownOfficer.employee.id]) : e38.known(roundToDollar(add(ZERO, ...officers.map((o) => (o.result.kind === 'known' ? o.result.value.qualifiedWages : ZERO)))))) as Val<LineValue>;
    const q = study.taxFacts.sectionE ?? {};
    const yn = (l: string, label: string, v: boolean | undefined, fact: string) => {
      const e = exE(l, label);
      return (v === undefined ? e.unknown([`taxFacts.sectionE.${fact}`]) : e.known(v, v ? 'yes' : 'no')) as Val<LineValue>;
    };
    f6765Lines['39'] = yn('39', 'acquired or disposed of a major portion of a trade or business', q.acquisitionOrDisposition, 'acquisitionOrDisposition');
    f6765Lines['40'] = yn('40', 'new categories of expenses included in QREs', q.newCategoriesOfExpenses, 'newCategoriesOfExpenses');
    f6765Lines['41'] = yn('41', 'QREs determined under the ASC 730 Directive', q.asc730Directive, 'asc730Directive');
    if (study.taxpayer.entityType !== 'estate_or_trust') {
      const na = (l: string) => exE(l, 'estates and trusts only').na('only estates and trusts complete lines 31–32') as Val<LineValue>;
      if (!f6765Lines['31']) f6765Lines['31'] = na('31');
      if (!f6765Lines['32']) f6765Lines['32'] = na('32');
    }
    const e33b = exE('33b', 'payroll tax credit reported on a different EIN');
    f6765Lines['33b'] = (study.elections.payrollElection?.elect ? e33b.known(study.taxFacts.payrollCreditOtherEin !== undefined, study.taxFacts.payrollCreditOtherEin ? `yes (${study.taxFacts.payrollCreditOtherEin})` : 'no') : e33b.na('no payroll tax election')) as Val<LineValue>;
  }

  // Section G
  const sectionG = computeSectionG(view, study, components, { '42': wages, '43': supplies, '44': computers, '45': contract, '46': basicContract, '48': total }, study.elections.payrollElection?.elect === true && limits.lines['33a']?.kind === 'known' ? (limits.lines['33a'].value as boolean) : false);
  if (sectionG.schedule) schedules.sectionG = sectionG.schedule;
  forms.f6765 = formOf(law, 'f6765', period, f6765Lines);

  // States: every state of the study from the same sourced records (Idaho in full)
  const states: StudyResult['states'] = {};
  const notes: string[] = [...(federal.notes ?? []), ...foreignNotes];
  const stateVals: Val<unknown>[] = [];
  const factProblems: string[] = [];
  const flagOnly: Val<unknown>[] = [];
  const stateList = statesInStudy(study).filter((st) => study.taxpayer.states.includes(st));
  if (stateList.length) {
    const qualifying = new Set(study.components.filter((c) => c.qualification === 'qualifies').map((c) => c.id));
    const undecided = new Set(study.components.filter((c) => c.qualification === 'needs_information').map((c) => c.id));
    const stHistory = normalisedHistory(history, statesInStudy(study));
    const idQres = sourceQres(view, { state: 'ID', records: study, qualifying, undecided }).byCategory;
    const idahoProblems: string[] = [];
    const idahoFacts = idahoInputFromStudy(study, stHistory, period, s174, idQres, idahoProblems, view);
    for (const p of idahoProblems) notes.push(`Idaho fact not read: ${p}`);
    if (study.stateFacts?.ID?.section174_deducted_share === undefined && view.bool(null, 'us.id.research.hb559_in_force'))
      notes.push('Idaho HB 559: all Idaho QREs are taken as deducted or amortized for Idaho under §174A (Idaho conforms to its expensing); a taxpayer who forgoes the Idaho deduction on part of them enters that part as stateFacts.ID.section174_deducted_share.');
    factProblems.push(...idahoProblems);
    const rows = multistateSummary(law, {
      period,
      records: study,
      qualifying,
      undecided,
      states: stateList,
      entityType: study.taxpayer.entityType as never,
      history: stHistory,
      ...(study.grossReceipts !== undefined ? { grossReceipts: study.grossReceipts } : {}),
      ...(study.grossReceiptsByState ? { grossReceiptsByState: study.grossReceiptsByState } : {}),
      ...(bf.firstTaxYearStart ? { firstTaxYearStart: bf.firstTaxYearStart } : {}),
      federal: {
        qres: total,
        ...(federal.chosen ? { method: federal.chosen.method } : {}),
        credit: federal.credit,
        ...(bf.federalStartUp !== undefined ? { startUp: bf.federalStartUp } : {}),
      },
      ...(study.stateFacts ? { stateFacts: study.stateFacts } : {}),
      idaho: idahoFacts,
      options: study.elections.options ?? {},
    });
    for (const r of rows) {
      states[r.state] = {
        name: stateName(r.state),
        credit: r.credit,
        qre: r.qres.total,
        ...(r.missing.length ? { missing: r.missing } : {}),
        refundable: r.refundable,
        carryforwardYears: r.carryforwardYears,
        ...(r.notes.length ? { note: r.notes.join(' ') } : {}),
      };
      stateVals.push(r.credit);
      // Limits on use (non-Idaho states): the carryforward schedule; their flags, not their missing facts
      const lim = r.result?.limitation;
      if (lim) {
        const cf = stateCarryforwardSchedule(r.state, lim, yearBegun(period));
        if (cf) schedules[`carryforward.${r.state.toLowerCase()}`] = cf as never;
        flagOnly.push(lim.allowed);
        for (const f of lim.flags) flagOnly.push({ kind: 'na', reason: '', why: { rule: '', label: '', value: '', citation: [], params: [], inputs: [], children: [], notes: [], flags: [f] } } as Val<unknown>);
      }
      if (r.state === 'ID' && r.idaho) {
        // Page 2 (the part that set the fixed-base percentage, Part C) and the two start-up boxes
        const c = r.idaho.credit;
        const idLines: Record<string, Val<LineValue>> = { ...(r.idaho.lines as Record<string, Val<LineValue>>) };
        const exP = (part: string) => explainer(`us.id.research.form67.page2.${part}`, `Form 67 page 2 Part ${part}`, [{ title: 'Idaho Form 67, page 2' }]);
        for (const part of ['A', 'B'] as const) {
          if (c.fbpPart === part) idLines[part] = c.fbp as Val<LineValue>;
          else idLines[part] = (c.fbpPart ? exP(part).na(`Part ${c.fbpPart} sets the fixed-base percentage`) : c.fbp.kind === 'unknown' ? exP(part).unknown(c.fbp.missing) : exP(part).na('no fixed-base percentage')) as Val<LineValue>;
        }
        idLines.C = c.avgGrossReceipts as Val<LineValue>;
        const exS1 = explainer('us.id.research.form67.s1', 'Form 67 box: start-up for the federal credit', [{ title: 'Idaho Form 67, header' }]);
        idLines.S1 = (c.startup.federal === undefined ? exS1.unknown(['baseFacts.federalStartUp']) : exS1.known(c.startup.federal, c.startup.federal ? 'yes' : 'no')) as Val<LineValue>;
        const exS2 = explainer('us.id.research.form67.s2', 'Form 67 box: Idaho start-up election (irrevocable)', [{ title: 'IDAPA 35.01.01.721(01)' }]);
        idLines.S2 = exS2.known(c.startup.electionInForce, c.startup.electionInForce ? `yes${c.startup.startupYear ? ` (from ${c.startup.startupYear})` : ''}` : 'no') as Val<LineValue>;
        forms.id67 = formOf(law, 'id-67', period, idLines);
        stateVals.push(...Object.values(r.idaho.lines));
        const disq = disqualifiedSchedule(r.qres);
        if (disq.rows.length) schedules['disqualified.id'] = disq as never;
        if (r.qres.disqualified.length) notes.push(`Idaho: ${r.qres.disqualified.length} federally qualified line(s) are not Idaho QREs (work done outside Idaho); see schedule disqualified.id.`);
        const cf = idahoCarryforwardSchedule(r.idaho);
        if (cf) schedules['carryforward.id'] = cf;
        // Owners' Idaho shares (Form 67 line 20 → each owner's line 17): the same split as the federal owners
        const l20 = r.idaho.lines['20'];
        if (isPT && l20 && (study.taxpayer.owners ?? []).length) {
          const split = ownerShares(view, study.taxpayer.entityType as never, study.taxpayer.owners!, l20, { unit: 'dollar' });
          schedules['owners.id'] = {
            id: 'owners.id',
            title: 'Idaho credit passed to owners (Form 67 line 20 → each owner’s line 17), split as the federal credit',
            citation: [{ title: 'Idaho Code § 63-3029G' }, { title: 'Idaho Form 67, lines 17 and 20' }],
            columns: [
              { key: 'owner', label: 'Owner', kind: 'text' },
              { key: 'basis', label: 'Basis of the share', kind: 'text' },
              { key: 'share', label: 'Idaho credit passed through', kind: 'money' },
            ],
            rows:
              split.kind === 'known'
                ? split.value.rows.map((o) => ({ cells: { owner: study.taxpayer.owners!.find((x) => x.id === o.id)?.name ?? o.id, basis: o.basis, share: o.amount }, source: 'us.federal.passthrough.owner_shares' }))
                : (study.taxpayer.owners ?? []).map((o) => ({ cells: { owner: o.name, basis: 'unknown', share: null }, source: 'us.federal.passthrough.owner_shares' })),
            ...(split.kind === 'known' ? { totals: { share: split.value.total } } : { notes: [split.kind === 'unknown' ? `unknown: ${split.missing.join(', ')}` : split.reason] }),
          };
        }
      }
    }
    // HB 559: when the conservative reading leaves no Idaho credit, show what the other reading gives
    const id = rows.find((r) => r.state === 'ID');
    const opts = study.elections.options ?? {};
    if (id && id.credit.kind === 'known' && id.credit.value === 0 && view.bool(null, 'us.id.research.hb559_in_force') && view.option(null, 'us.id.research.hb559_mode') === 'per_dollar_exclusion') {
      const alt = multistateSummary(law, {
        period,
        records: study,
        qualifying,
        undecided,
        states: ['ID'],
        entityType: study.taxpayer.entityType as never,
        history: stHistory,
        idaho: { ...idahoFacts, options: { ...opts, 'us.id.research.hb559_mode': 'transition_only' } },
        options: { ...opts, 'us.id.research.hb559_mode': 'transition_only' },
      })[0]!;
      if (alt.credit.kind === 'known' && alt.credit.value > 0) {
        const msg = `Under the other reading of HB 559 (us.id.research.hb559_mode = transition_only) the Idaho credit earned would be ${formatDollars(roundToDollar(alt.credit.value))}.`;
        states.ID = { ...states.ID!, note: [msg, states.ID!.note].filter(Boolean).join(' ') };
        notes.push(`Idaho: ${msg}`);
      }
    }
    // The Idaho start-up election, with and without, for this year (earlier years need their own studies)
    if (stateList.includes('ID')) {
      const cmp = idahoStartupComparison(law, [
        {
          input: { ...(idahoFacts as object), period, qres: { wages: idQres.wages, supplies: idQres.supplies, computers: idQres.computers, contract: idQres.contract } } as never,
          ...(study.elections.idahoStartupElection !== undefined ? { elected: study.elections.idahoStartupElection } : {}),
        },
      ], study.elections.idahoStartupElectionYear !== undefined ? { electionYear: study.elections.idahoStartupElectionYear } : {});
      const money = (v: Val<Cents>) => (v.kind === 'known' ? v.value : null);
      schedules['id.startup'] = {
        id: 'id.startup',
        title: 'Idaho start-up election: the credit with and without it (irrevocable once made)',
        citation: [{ title: 'IDAPA 35.01.01.721(01)' }, { title: 'Idaho Code § 63-3029G(2)(b)(ii)' }],
        columns: [
          { key: 'year', label: 'Tax year', kind: 'text' },
          { key: 'without', label: 'Credit without the election', kind: 'money' },
          { key: 'withElection', label: 'Credit with the election', kind: 'money' },
          { key: 'difference', label: 'Difference', kind: 'money' },
          { key: 'actual', label: 'As elected', kind: 'money' },
        ],
        rows: cmp.rows.map((r) => ({ cells: { year: String(r.year), without: money(r.without), withElection: money(r.withElection), difference: money(r.difference), actual: money(r.actual) }, source: 'us.id.research.startup_comparison' })),
        notes: [...cmp.problems.map((p) => `${p.year}: ${p.message}`), 'Earlier years are compared when their studies are in the same store (one study per tax year).'],
      };
    }
    const ms = multistateSchedule(rows);
    const fedRow = ms.rows.find((r) => String(r.cells.jurisdiction).startsWith('Federal'));
    if (fedRow) {
      fedRow.cells.credit = federal.credit.kind === 'known' ? federal.credit.value : null;
      fedRow.cells.status = federal.credit.kind === 'known' ? `Form 6765 line 28 (${federal.chosen?.method === 'regular' ? 'regular credit' : 'ASC'})` : 'unknown (see Form 6765)';
    }
    schedules.multistate = ms as never;
  }

  const allVals: Val<unknown>[] = [...(passThrough ? [passThrough.entity] : []), wages, supplies, computers, contract, basicContract, federal.credit, ...Object.values(f6765Lines), ...stateVals, s174.history, sectionG.requirement, limits.room, limits.ledger, ...(limits.f8974 ? [limits.f8974] : [])];
  const flags = new Map<string, ReturnType<typeof collectFlags>[number]>();
  const flagSources: Val<unknown>[] = [
    ...allVals,
    ...flagOnly,
    limits.sectionD,
    sectionG.table,
    ...(group ? [group.allocation] : []),
  ];
  for (const v of flagSources) for (const f of collectFlags(v.why)) if (!flags.has(f.option)) flags.set(f.option, f);
  for (const f of passThrough?.flags ?? []) if (!flags.has(f.option)) flags.set(f.option, f);

  const chosen = federal.chosen ?? { method: 'asc' as const, section280c: false };
  const cmp = federal.comparisons.find((c) => c.kind === 'known' && c.value.section280c === chosen.section280c);
  return {
    study: {
      id: study.id,
      title: study.title,
      taxpayer: study.taxpayer.name,
      ...(study.taxpayer.ein ? { ein: study.taxpayer.ein } : {}),
      entityType: study.taxpayer.entityType,
      period: { start: period.start, end: period.end },
    },
    qre: {
      wages,
      supplies,
      computers,
      contract,
      basicResearch: basicContract,
      total,
      byComponent: components,
      byState: qreByState,
    },
    employees: employeeResults(study, employees),
    qualification: qualifyStudy(study, {
      law,
      ...(opts.qualificationData ? { data: opts.qualificationData } : {}),
      ...(opts.retainedEvidence ? { retained: opts.retainedEvidence.retained, evidenceProblems: opts.retainedEvidence.problems } : {}),
    }),
    schedules,
    explanations: {
      s174: s174.history.why,
      'irc38.room': limits.room.why,
      'irc39.ledger': limits.ledger.why,
      'section_d': limits.sectionD.why,
      ...(limits.f8974 ? { f8974: limits.f8974.why } : {}),
      sectionG: sectionG.table.why,
      'sectionG.required': sectionG.requirement.why,
      ...(group ? { 'group.allocation': group.allocation.why } : {}),
      ...(passThrough ? { 'passthrough.entity': passThrough.entity.why } : {}),
    },
    federal: {
      credit: federal.credit,
      chosen,
      decided: federal.chosen !== undefined,
      alternatives: federal.alternatives.map((a) => ({ method: a.method, section280c: a.section280c, credit: a.credit })),
      comparison:
        cmp && cmp.kind === 'known'
          ? cmp.value.larger === 'equal'
            ? 'Regular credit and ASC are equal.'
            : `${cmp.value.larger === 'regular' ? 'The regular credit' : 'The ASC'} is larger by ${formatDollars(roundToDollar((cmp.value.difference < 0 ? -cmp.value.difference : cmp.value.difference) as Cents))}${chosen.section280c ? ' (with §280C)' : ' (without §280C)'}.`
          : '',
    },
    states,
    forms,
    flags: [...flags.values()],
    missing: [...new Set([...collectMissing(allVals), ...(passThrough?.missing ?? []), ...factProblems])].sort(),
    notes,
  };
}
