/**
 * The four-part test and the §41(d)(4) exclusions for one business component, from its
 * interview answers, its facts and its substantially-all measure. Pure.
 *
 * Each test is met, not met, or needs information; each exclusion applies, does not, or is
 * unknown. The component qualifies only when every test is met and no exclusion applies or is
 * unknown; it does not qualify when a test is not met or an exclusion applies; otherwise it needs
 * information. See docs/qualification.md for the reading of each answer.
 */
import type { Citation } from '../../explain/types.js';
import { cmpRate, ratio, RATE_ZERO, rateToDecimal, type Rate } from '../../money/rate.js';
import { C } from './citations.js';
import { Q } from './questions.js';
import type { Answer, ComponentEvaluation, ComponentEvaluationInput, ExclusionOutcome, Status, TestId, TestOutcome } from './types.js';

type Answers = ReadonlyMap<string, Answer>;

const bool = (a: Answers, q: string): boolean | undefined => {
  const v = a.get(q)?.value;
  return typeof v === 'boolean' ? v : undefined;
};
const list = (a: Answers, q: string): string[] | undefined => {
  const v = a.get(q)?.value;
  return Array.isArray(v) ? v : undefined;
};
const text = (a: Answers, q: string): string | undefined => {
  const v = a.get(q)?.value;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
};
const num = (a: Answers, q: string): number | undefined => {
  const v = a.get(q)?.value;
  return typeof v === 'number' ? v : undefined;
};
const evidenceOf = (a: Answers, qs: string[]): string[] => [...new Set(qs.flatMap((q) => a.get(q)?.evidenceIds ?? []))];
const inherited = (a: Answers, q: string, componentId: string): string => {
  const from = a.get(q)?.from;
  return from && from !== componentId ? ` (answer given for ${from})` : '';
};

function outcome(test: TestId, status: Status, reasons: string[], citations: Citation[], evidenceIds: string[]): TestOutcome {
  return { test, status, reasons, citations, evidenceIds };
}

const PERMITTED = ['function', 'performance', 'reliability', 'quality'];
const HARD_SCIENCES = ['computer_science', 'engineering', 'physical_sciences', 'biological_sciences'];
const SOFT = ['social_sciences', 'economics_or_business', 'arts_humanities'];
const SYSTEMATIC = ['modeling', 'simulation', 'systematic_trial_and_error', 'other_systematic'];

export function permittedPurpose(a: Answers, id: string): TestOutcome {
  const cites = [C.d3, C.d1B];
  const ev = evidenceOf(a, [Q.purpose, Q.improvement, Q.componentUse]);
  const purposes = list(a, Q.purpose);
  const use = bool(a, Q.componentUse);
  const reasons: string[] = [];
  if (use === false) return outcome('permitted_purpose', 'not_met', ['The information is not intended to be useful in developing a new or improved business component held for sale, lease or license or used in the trade or business (§41(d)(1)(B)(ii)).'], cites, ev);
  if (purposes) {
    const ok = purposes.filter((p) => PERMITTED.includes(p));
    if (ok.length === 0 && purposes.includes('style_cosmetic_seasonal'))
      return outcome('permitted_purpose', 'not_met', ['The only purpose given is style, taste, cosmetic or seasonal design, which §41(d)(3)(B) excludes.'], cites, ev);
    if (ok.length > 0) {
      reasons.push(`Purpose: new or improved ${ok.join(', ')}${inherited(a, Q.purpose, id)}.`);
      if (purposes.includes('style_cosmetic_seasonal')) reasons.push('The style or cosmetic part of the work is not a permitted purpose and does not count toward it.');
      const imp = text(a, Q.improvement);
      if (imp) reasons.push(`Improvement sought: ${imp}`);
      if (use === undefined) return outcome('permitted_purpose', 'needs_information', [...reasons, `Answer ${Q.componentUse}: is the result to be sold, leased, licensed or used in the business?`], cites, ev);
      return outcome('permitted_purpose', 'met', reasons, cites, ev);
    }
    return outcome('permitted_purpose', 'needs_information', ['No purpose among function, performance, reliability or quality was given; say which one the work improves.'], cites, ev);
  }
  return outcome('permitted_purpose', 'needs_information', [`Answer ${Q.purpose}: which of function, performance, reliability or quality the work sought to improve.`], cites, ev);
}

export function technologicalUncertainty(a: Answers, id: string, periodEnd: string): TestOutcome {
  const cites = [C.d1A, C.reg174];
  const ev = evidenceOf(a, [Q.uncertaintyKind, Q.uncertaintyStatement, Q.uncertaintyAtOutset, Q.uncertaintyDocumentedOn]);
  const kinds = list(a, Q.uncertaintyKind);
  const atOutset = bool(a, Q.uncertaintyAtOutset);
  const statement = text(a, Q.uncertaintyStatement);
  if (atOutset === false)
    return outcome('technological_uncertainty', 'not_met', ['The information available at the outset established the capability, the method and the design: there was no uncertainty to eliminate (Reg. §1.174-2(a)(1)).'], cites, ev);
  if (kinds) {
    const tech = kinds.filter((k) => k !== 'business_only');
    if (tech.length === 0) return outcome('technological_uncertainty', 'not_met', ['The uncertainty given is business risk only (cost, schedule, market), not uncertainty about capability, method or design.'], cites, ev);
    const reasons = [`Uncertainty about ${tech.join(', ')} at the outset${inherited(a, Q.uncertaintyKind, id)}.`];
    if (statement) reasons.push(`Stated as: ${statement}`);
    const documented = text(a, Q.uncertaintyDocumentedOn);
    if (documented) reasons.push(documented > periodEnd ? `The uncertainty was first documented on ${documented}, after the tax year ended: a record made after the fact.` : `First documented on ${documented}.`);
    const missing: string[] = [];
    if (atOutset === undefined) missing.push(`${Q.uncertaintyAtOutset} (did the information available at the outset fail to establish it?)`);
    if (!statement) missing.push(`${Q.uncertaintyStatement} (what exactly was unknown)`);
    if (missing.length) return outcome('technological_uncertainty', 'needs_information', [...reasons, `Answer ${missing.join('; ')}.`], cites, ev);
    return outcome('technological_uncertainty', 'met', reasons, cites, ev);
  }
  return outcome('technological_uncertainty', 'needs_information', [`Answer ${Q.uncertaintyKind}: was the capability, the method or the appropriate design uncertain at the outset?`], cites, ev);
}

export function technologicalInNature(a: Answers, id: string): TestOutcome {
  const cites = [C.d1B, C.regTech];
  const ev = evidenceOf(a, [Q.sciences, Q.principles]);
  const sci = list(a, Q.sciences);
  if (!sci || sci.length === 0) return outcome('technological_in_nature', 'needs_information', [`Answer ${Q.sciences}: which sciences the work fundamentally relies on.`], cites, ev);
  const hard = sci.filter((s) => HARD_SCIENCES.includes(s));
  const principles = text(a, Q.principles);
  if (hard.length > 0) {
    const reasons = [`Relies on ${hard.join(', ').replaceAll('_', ' ')}${inherited(a, Q.sciences, id)}.`];
    if (principles) reasons.push(`Principles: ${principles}`);
    return outcome('technological_in_nature', 'met', reasons, cites, ev);
  }
  if (sci.every((s) => SOFT.includes(s)))
    return outcome('technological_in_nature', 'not_met', ['The work relies only on the social sciences, economics or business, or the arts or humanities, not on the physical or biological sciences, engineering or computer science.'], cites, ev);
  return outcome(
    'technological_in_nature',
    'needs_information',
    ['Mathematics alone is not one of the sciences §41(d)(1)(B)(i) names; say which of computer science, engineering, or the physical or biological sciences the mathematics serves.'],
    cites,
    ev,
  );
}

export function processOfExperimentation(input: ComponentEvaluationInput): TestOutcome {
  const a = input.answers;
  const id = input.facts.id;
  const cites = [C.d1C, C.regPoe, C.regSubAll];
  const ev = evidenceOf(a, [Q.hypotheses, Q.alternatives, Q.method, Q.trials, Q.failures, Q.results, Q.routine]);
  const reasons: string[] = [];
  const missing: string[] = [];
  let qualitative: Status = 'met';
  const routine = bool(a, Q.routine);
  const method = list(a, Q.method);
  const alternatives = list(a, Q.alternatives);
  if (routine === true) {
    qualitative = 'not_met';
    reasons.push('The activities were mainly the application of known design parameters, code or standard compliance, or a fixed sequence of standard design stages: reciting process steps is not a process of experimentation (Phoenix Design Group; Siemer Milling).');
  }
  if (method && method.length > 0 && method.every((m) => m === 'none')) {
    qualitative = 'not_met';
    reasons.push('No method of evaluating alternatives (modelling, simulation, systematic trial and error) was used.');
  }
  if (alternatives && alternatives.length === 0 && qualitative !== 'not_met') {
    qualitative = 'not_met';
    reasons.push('No alternative was identified to eliminate the uncertainty (Reg. §1.41-4(a)(5)).');
  }
  if (qualitative === 'met') {
    const hyp = text(a, Q.hypotheses);
    const res = text(a, Q.results);
    if (!hyp) missing.push(`${Q.hypotheses} (the hypotheses tested)`);
    if (!alternatives) missing.push(`${Q.alternatives} (the alternatives evaluated)`);
    if (!method) missing.push(`${Q.method} (how the alternatives were evaluated)`);
    if (!res) missing.push(`${Q.results} (the results of the trials)`);
    if (routine === undefined) missing.push(`${Q.routine} (whether the work was routine design or code compliance)`);
    if (alternatives && alternatives.length > 0) reasons.push(`${alternatives.length} alternative(s) evaluated${inherited(a, Q.alternatives, id)}: ${alternatives.join('; ')}.`);
    const sys = (method ?? []).filter((m) => SYSTEMATIC.includes(m));
    if (sys.length) reasons.push(`Method: ${sys.join(', ').replaceAll('_', ' ')}.`);
    const trials = num(a, Q.trials);
    const failures = num(a, Q.failures);
    if (trials !== undefined) reasons.push(`${trials} trial(s)${failures !== undefined ? `, ${failures} of which failed` : ''}.`);
    else if (failures !== undefined) reasons.push(`${failures} failed trial(s).`);
    if (missing.length) qualitative = 'needs_information';
  }

  // The measure: substantially all of the activities (Little Sandy Coal).
  const m = input.measure;
  const t = `${rateToDecimal(input.threshold, 4)}`;
  let quantitative: Status;
  if (m.coveredBy) {
    quantitative = 'met';
    reasons.push(`Substantially all: measured at ${m.coveredBy}, which contains this component and passes as a whole.`);
  } else if (m.passes === true) {
    quantitative = 'met';
    reasons.push(`Substantially all: ${pct(m.share)} of the activities (${m.basis}) are experimentation, at least ${pct(input.threshold)}.`);
  } else if (m.passes === false) {
    quantitative = 'not_met';
    reasons.push(`Substantially all not met: ${pct(m.share)} of the activities (${m.basis}) are experimentation, below ${pct(input.threshold)}.`);
    if (m.shrinkBack) reasons.push(m.shrinkBack.note);
  } else {
    quantitative = 'needs_information';
    reasons.push(
      m.basis === 'none'
        ? 'Substantially all cannot be measured: no time records and no costs on the component.'
        : `Substantially all undecided: ${pct(m.share)} is flagged experimentation and ${pct(shareOf(m.unflagged, m.total))} is not flagged either way; flag those records (threshold ${t}).`,
    );
  }
  const status: Status = qualitative === 'not_met' || quantitative === 'not_met' ? 'not_met' : qualitative === 'needs_information' || quantitative === 'needs_information' ? 'needs_information' : 'met';
  if (missing.length) reasons.push(`Answer ${missing.join('; ')}.`);
  return outcome('process_of_experimentation', status, reasons, [...cites, ...(m.shrinkBack ? [C.regShrink] : [])], ev);
}

function shareOf(part: Rate, total: Rate): Rate | null {
  return cmpRate(total, RATE_ZERO) === 0 ? null : ratio(part.num * total.den, part.den * total.num);
}

/** "79.99%" (exact to 1/100 of a percent, half up) or "unknown". */
export function pct(r: Rate | null): string {
  if (!r) return 'unknown';
  const s = rateToDecimal(ratio(r.num * 100n, r.den), 2).replace(/\.?0+$/, '');
  return `${s}%`;
}

// ---------------------------------------------------------------- exclusions

function yesNoExclusion(a: Answers, q: string, exclusion: ExclusionOutcome['exclusion'], cite: Citation[], yes: string, no: string, ask: string): ExclusionOutcome {
  const b = bool(a, q);
  const ev = evidenceOf(a, [q]);
  if (b === true) return { exclusion, applies: true, reason: yes, citations: cite, evidenceIds: ev };
  if (b === false) return { exclusion, applies: false, reason: no, citations: cite, evidenceIds: ev };
  return { exclusion, applies: 'unknown', reason: `Answer ${q}: ${ask}`, citations: cite };
}

export function afterCommercialProduction(input: ComponentEvaluationInput): ExclusionOutcome {
  const a = input.answers;
  const cites = [C.d4A, C.regCommercial];
  const date = input.facts.commercialProductionDate ?? text(a, Q.cpDate);
  const reached = bool(a, Q.cpReached);
  const ev = evidenceOf(a, [Q.cpReached, Q.cpDate]);
  const base = { exclusion: 'after_commercial_production' as const, citations: cites, evidenceIds: ev };
  const { start, end } = input.period;
  if (date) {
    if (date <= start) return { ...base, applies: true, reason: `Commercial production began on ${date}, on or before the first day of the tax year: the year's work on the component is after commercial production.` };
    if (date > end) return { ...base, applies: false, reason: `Commercial production began on ${date}, after the tax year.` };
    return {
      ...base,
      applies: false,
      reason: `Commercial production began on ${date}, inside the tax year: work from that date is excluded, work before it is not.`,
      partial: { note: `Activities on or after ${date} are excluded; only time and costs before that date may be qualified research.`, from: date },
    };
  }
  if (reached === false) return { ...base, applies: false, reason: 'The component had not reached commercial production (ready for sale or use, or meeting its basic functional and economic requirements).' };
  if (reached === true) return { ...base, applies: 'unknown', reason: `Commercial production was reached; answer ${Q.cpDate} with the date it began.` };
  return { ...base, applies: 'unknown', reason: `Answer ${Q.cpReached}: had the component reached commercial production, and when?` };
}

export function internalUseSoftware(input: ComponentEvaluationInput): ExclusionOutcome {
  const a = input.answers;
  const cites = [C.d4E, C.regIus];
  const cls = (text(a, Q.iusClass) as ComponentEvaluationInput['facts']['softwareClass']) ?? input.facts.softwareClass;
  const ev = evidenceOf(a, [Q.iusClass, Q.iusInnovative, Q.iusEconomicRisk, Q.iusNotAvailable, Q.iusThirdPartySubset]);
  const base = { exclusion: 'internal_use_software' as const, citations: cites, evidenceIds: ev };
  if (!cls) {
    if (input.facts.type !== 'software') return { ...base, applies: false, reason: `The component is a ${input.facts.type}, not software.` };
    return { ...base, applies: 'unknown', reason: `Give the software class (${Q.iusClass} or the component's software class): developed for sale or third-party interaction, internal use, dual function or excepted.` };
  }
  if (cls === 'non_ius') return { ...base, applies: false, reason: 'Software developed to be sold, leased or licensed, or to let third parties interact with the taxpayer: not internal-use software.' };
  if (cls === 'excepted') return { ...base, applies: false, reason: 'Software for use in qualified research or in a qualifying production process: excepted from the internal-use rule (§41(d)(4)(E)).' };
  const hti = [bool(a, Q.iusInnovative), bool(a, Q.iusEconomicRisk), bool(a, Q.iusNotAvailable)];
  const names = ['innovative', 'significant economic risk', 'not commercially available'];
  if (hti.every((x) => x === true))
    return { ...base, applies: false, reason: `${cls === 'ius' ? 'Internal-use' : 'Dual-function'} software that meets all three parts of the high threshold of innovation test (innovative, significant economic risk, not commercially available).` };
  if (cls === 'dual_function' && bool(a, Q.iusThirdPartySubset) === true)
    return {
      ...base,
      applies: false,
      reason: 'Dual-function software with an identifiable third-party subset: that subset is tested as software that is not internal use.',
      partial: { note: 'Only the identifiable third-party subset may qualify; the general and administrative part is internal-use software (Reg. §1.41-4(c)(6)(vi); the 25% safe harbor applies when no subset can be separated and third-party use is at least 10%).' },
    };
  const failed = names.filter((_, i) => hti[i] === false);
  if (failed.length)
    return { ...base, applies: true, reason: `${cls === 'ius' ? 'Internal-use' : 'Dual-function (presumed internal-use)'} software that fails the high threshold of innovation test: not ${failed.join(', not ')}.` };
  const open = names.filter((_, i) => hti[i] === undefined);
  return { ...base, applies: 'unknown', reason: `${cls === 'ius' ? 'Internal-use' : 'Dual-function'} software: answer the high threshold of innovation questions (${open.join(', ')}).` };
}

export function foreignResearch(input: ComponentEvaluationInput): ExclusionOutcome {
  const a = input.answers;
  const cites = [C.d4F];
  const ans = text(a, Q.foreign);
  const h = input.facts.hoursByPlace;
  const base = { exclusion: 'foreign_research' as const, citations: cites, evidenceIds: evidenceOf(a, [Q.foreign]) };
  const foreignHours = cmpRate(h.foreign, RATE_ZERO) > 0;
  const usHours = cmpRate(h.us, RATE_ZERO) > 0;
  const unknownHours = cmpRate(h.unknown, RATE_ZERO) > 0;
  if (ans === 'all' || (foreignHours && !usHours && !unknownHours)) return { ...base, applies: true, reason: 'The research was conducted outside the United States, Puerto Rico and the U.S. possessions.' };
  if (ans === 'part' || foreignHours)
    return {
      ...base,
      applies: false,
      reason: `Part of the research was conducted outside the United States${foreignHours ? ` (${hoursText(h.foreign)} hours in the time records)` : ''}; that part is excluded.`,
      partial: { note: 'Time and costs of research conducted outside the United States are excluded.' },
    };
  if (ans === 'none') return { ...base, applies: false, reason: unknownHours ? 'Answered: all research was done in the United States (some time records have no location).' : 'All research was conducted in the United States.' };
  if (usHours && !unknownHours) return { ...base, applies: false, reason: 'Every time record on the component is located in the United States.' };
  return { ...base, applies: 'unknown', reason: `Answer ${Q.foreign}, or record where the work was done: ${unknownHours ? `${hoursText(h.unknown)} hours have no location` : 'there are no located time records'}.` };
}

function hoursText(r: Rate): string {
  return rateToDecimal(r, 2).replace(/\.?0+$/, '');
}

export function fundedResearch(a: Answers): ExclusionOutcome {
  const cites = [C.d4H, C.regFunded];
  const funded = bool(a, Q.funded);
  const rights = bool(a, Q.fundedRights);
  const contingent = bool(a, Q.fundedContingent);
  const base = { exclusion: 'funded_research' as const, citations: cites, evidenceIds: evidenceOf(a, [Q.funded, Q.fundedRights, Q.fundedContingent]) };
  if (funded === false) return { ...base, applies: false, reason: 'No grant, contract or other person pays for the research.' };
  if (funded === undefined) return { ...base, applies: 'unknown', reason: `Answer ${Q.funded}: does a customer, grant or government pay for this research?` };
  if (rights === false) return { ...base, applies: true, reason: 'Another person pays for the research and the taxpayer keeps no substantial rights in the results: fully funded (Betz).' };
  if (rights === true && contingent === true) return { ...base, applies: false, reason: 'Payment depends on the success of the research, so the taxpayer bears the risk, and it keeps substantial rights: not funded.' };
  if (rights === true && contingent === false)
    return {
      ...base,
      applies: false,
      reason: 'The taxpayer keeps substantial rights but is paid whether or not the research succeeds: the research is funded to the extent of the payments.',
      partial: { note: 'Qualified research expenses are reduced by the funding received (Reg. §1.41-4A(d)(3)); allocate it to the component.' },
    };
  return {
    ...base,
    applies: 'unknown',
    reason: `Another person pays for the research; answer ${rights === undefined ? Q.fundedRights : ''}${rights === undefined && contingent === undefined ? ' and ' : ''}${contingent === undefined ? Q.fundedContingent : ''}. Until it is determined, Reg. §1.41-4A(d)(5) treats the research as funded.`,
  };
}

export function evaluateExclusions(input: ComponentEvaluationInput): ExclusionOutcome[] {
  const a = input.answers;
  const sci = list(a, Q.sciences);
  const social = yesNoExclusion(
    a,
    Q.socialSciences,
    'social_sciences',
    [C.d4G],
    'The research is in the social sciences, arts or humanities.',
    'The research is not in the social sciences, arts or humanities.',
    'is the research in the social sciences, arts or humanities?',
  );
  const onlySoft = sci && sci.length > 0 && sci.every((s) => SOFT.includes(s));
  return [
    afterCommercialProduction(input),
    yesNoExclusion(
      a,
      Q.adaptation,
      'adaptation',
      [C.d4B],
      "The work adapts an existing business component to a particular customer's requirement or need.",
      "The work is not the adaptation of an existing component to a customer's requirement.",
      "does the work adapt an existing business component to a particular customer's requirement?",
    ),
    yesNoExclusion(
      a,
      Q.duplication,
      'duplication',
      [C.d4C],
      'The work reproduces an existing business component from examination, plans, specifications or public information.',
      'The work does not duplicate an existing business component.',
      'does the work reproduce an existing component from its plans, specifications or public information?',
    ),
    yesNoExclusion(
      a,
      Q.surveys,
      'surveys_studies',
      [C.d4D],
      'The work is an efficiency survey, a management study, market research, routine data collection or routine quality-control testing.',
      'The work is not a survey, management study, market research, routine data collection or routine testing.',
      'is the work an efficiency survey, management study, market research, routine data collection or routine quality-control testing?',
    ),
    internalUseSoftware(input),
    foreignResearch(input),
    onlySoft && social.applies !== true ? { ...social, applies: true, reason: 'The sciences given are only social sciences, economics or business, or the arts or humanities.' } : social,
    fundedResearch(a),
  ];
}

/** The whole evaluation of one component. */
export function evaluateComponent(input: ComponentEvaluationInput): ComponentEvaluation {
  const a = input.answers;
  const id = input.facts.id;
  const tests = [permittedPurpose(a, id), technologicalUncertainty(a, id, input.period.end), technologicalInNature(a, id), processOfExperimentation(input)];
  const exclusions = evaluateExclusions(input);
  const reasons: string[] = [];
  const excluded = exclusions.filter((e) => e.applies === true);
  const failed = tests.filter((t) => t.status === 'not_met');
  const open = tests.filter((t) => t.status === 'needs_information');
  const unknownEx = exclusions.filter((e) => e.applies === 'unknown');
  for (const e of excluded) reasons.push(`Excluded (${e.exclusion.replaceAll('_', ' ')}): ${e.reason}`);
  for (const t of failed) reasons.push(`${t.test.replaceAll('_', ' ')} not met: ${t.reasons.join(' ')}`);
  let result: ComponentEvaluation['result'];
  if (excluded.length || failed.length) result = 'does_not_qualify';
  else if (open.length || unknownEx.length) {
    result = 'needs_information';
    for (const t of open) reasons.push(`${t.test.replaceAll('_', ' ')} needs information: ${t.reasons.join(' ')}`);
    for (const e of unknownEx) reasons.push(`${e.exclusion.replaceAll('_', ' ')} unknown: ${e.reason}`);
  } else {
    result = 'qualifies';
    reasons.push('All four tests are met and no §41(d)(4) exclusion applies.');
  }
  for (const e of exclusions) if (e.partial && e.applies !== true) reasons.push(`Partly excluded (${e.exclusion.replaceAll('_', ' ')}): ${e.partial.note}`);
  return { componentId: id, result, reasons, tests, exclusions };
}

