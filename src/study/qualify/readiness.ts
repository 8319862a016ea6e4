/**
 * The logic of the named readiness checks (data/qualification/readiness.yaml holds their
 * titles, weights, parameters and citations). Each check looks at one component (or the whole
 * study) and returns pass / warn / fail / na with a message that says what it saw.
 */
import { addRate, cmpRate, rate, ratio, RATE_ZERO, rateToDecimal, type Rate } from '../../money/rate.js';
import { pct, Q, type Answer, type ComponentEvaluation, type MeasureResult, type Problem } from '../../rules/qualification/index.js';
import type { BusinessComponent, EvidenceItem, Study, TimeRecord } from '../model.js';
import type { ReadinessCheckDef } from './definitions.js';
import type { EvidenceUse, ReadinessCheck } from './types.js';

export interface ComponentContext {
  study: Study;
  period: { start: string; end: string };
  component: BusinessComponent;
  /** The component and every sub-component below it. */
  subtree: ReadonlySet<string>;
  /** Time records on the component or its sub-components. */
  time: readonly TimeRecord[];
  answers: ReadonlyMap<string, Answer>;
  problems: readonly Problem[];
  openQuestions: readonly string[];
  measure: MeasureResult;
  evaluation: ComponentEvaluation;
  evidence: readonly EvidenceUse[];
  evidenceItems: readonly EvidenceItem[];
  /** Evidence ids cited by answers that are not in the ledger. */
  missingEvidence: readonly string[];
  /** SHA-256 values whose bytes are kept (ledger or matching study-folder file); undefined = not known (no study folder). */
  retained?: ReadonlySet<string>;
  /** Evidence items whose study-folder file does not hash to the recorded value. */
  evidenceProblems: readonly { id: string; message: string }[];
}

type Outcome = { status: ReadinessCheck['status']; message: string };
type ComponentDetector = (ctx: ComponentContext, def: ReadinessCheckDef) => Outcome;
type StudyDetector = (study: Study, components: readonly { id: string; engine: string; recorded: string }[], def: ReadinessCheckDef) => Outcome;

/** Hours as an exact rate (hours are recorded as decimal numbers). */
export function hoursRate(h: number): Rate {
  const s = String(h);
  return rate(/e/i.test(s) ? h.toFixed(9) : s);
}
const sumHours = (rs: readonly TimeRecord[]): Rate => rs.reduce((a, r) => addRate(a, hoursRate(r.hours)), RATE_ZERO);
const h = (r: Rate): string => rateToDecimal(r, 2).replace(/\.?0+$/, '') || '0';
const share = (part: Rate, total: Rate): Rate => ratio(part.num * total.den, part.den * total.num);
const param = (def: ReadinessCheckDef, key: string): Rate => {
  const v = def.params?.[key];
  if (v === undefined) throw new Error(`readiness check ${def.id} needs the parameter ${key}`);
  return rate(v);
};

/** Time records by employee, computed once per study (the executive check reads every officer's whole year). */
const byEmployeeCache = new WeakMap<Study, Map<string, TimeRecord[]>>();
function timeByEmployee(study: Study): Map<string, TimeRecord[]> {
  let m = byEmployeeCache.get(study);
  if (!m) {
    m = new Map();
    for (const r of study.time) {
      const l = m.get(r.employeeId);
      if (l) l.push(r);
      else m.set(r.employeeId, [r]);
    }
    byEmployeeCache.set(study, m);
  }
  return m;
}

const RUN_KINDS = new Set(['experiment_run', 'training_run', 'benchmark', 'lab_notebook', 'adr', 'design_doc', 'pull_request', 'commit']);
const TECHNICAL_ROLES = new Set(['researcher', 'engineer', 'scientist', 'technician']);

export const COMPONENT_CHECKS: Record<string, ComponentDetector> = {
  time_records(ctx) {
    const total = sumHours(ctx.time);
    if (cmpRate(total, RATE_ZERO) > 0) return { status: 'pass', message: `${h(total)} hours of time records on the component.` };
    return { status: 'fail', message: 'No time records on the component: wages cannot be tied to qualified services on it.' };
  },

  estimate_basis(ctx, def) {
    const total = sumHours(ctx.time);
    if (cmpRate(total, RATE_ZERO) === 0) return { status: 'na', message: 'No time records.' };
    const weak = sumHours(ctx.time.filter((r) => r.basis === 'estimate' || r.basis === undefined));
    if (cmpRate(weak, RATE_ZERO) === 0) return { status: 'pass', message: 'All hours come from time entries or a documented survey.' };
    const s = share(weak, total);
    const msg = `${h(weak)} of ${h(total)} hours (${pct(s)}) are estimates or have no recorded basis.`;
    return cmpRate(s, param(def, 'fail_share')) > 0 ? { status: 'fail', message: `${msg} Record the basis of every estimate, or replace it with activity data.` } : { status: 'warn', message: msg };
  },

  substantially_all_measured(ctx) {
    const m = ctx.measure;
    if (m.coveredBy) return { status: 'pass', message: `Measured at ${m.coveredBy}, which passes as a whole.` };
    if (m.passes === true) return { status: 'pass', message: `${pct(m.share)} experimentation by ${m.basis}.` };
    if (m.passes === false && m.shrinkBack?.to) return { status: 'warn', message: `${pct(m.share)} is below the threshold; shrunk back to ${m.shrinkBack.to} (${pct(m.shrinkBack.share)}).` };
    if (m.passes === false) return { status: 'fail', message: `${pct(m.share)} is below the threshold and no sub-component passes.` };
    return { status: 'fail', message: m.basis === 'none' ? 'Nothing to measure: no time and no costs on the component.' : `Undecided: ${h(m.unflagged)} ${m.basis === 'hours' ? 'hours' : 'cents'} are not flagged as experimentation or not.` };
  },

  uncertainty_contemporaneous(ctx) {
    const ans = ctx.answers.get(Q.uncertaintyDocumentedOn);
    const date = typeof ans?.value === 'string' ? ans.value : undefined;
    if (date && date > ctx.period.end) return { status: 'fail', message: `The uncertainty was first documented on ${date}, after the tax year ended (${ctx.period.end}).` };
    const cited = new Set([Q.uncertaintyKind, Q.uncertaintyStatement, Q.uncertaintyAtOutset, Q.uncertaintyDocumentedOn].flatMap((q) => ctx.answers.get(q)?.evidenceIds ?? []));
    const citedUses = ctx.evidence.filter((e) => cited.has(e.id));
    const timely = citedUses.filter((e) => e.contemporaneous === true);
    if (date && timely.length) return { status: 'pass', message: `Documented on ${date}; ${timely.length} contemporaneous item(s) cited.` };
    if (date) return { status: 'warn', message: `Documented on ${date}, but no evidence item dated in or before the tax year is cited for it.` };
    if (timely.length) return { status: 'pass', message: `${timely.length} contemporaneous item(s) cited for the uncertainty.` };
    if (citedUses.length) return { status: 'fail', message: 'The evidence cited for the uncertainty is dated after the tax year or undated.' };
    return { status: 'warn', message: `No date (${Q.uncertaintyDocumentedOn}) and no evidence for when the uncertainty was documented.` };
  },

  experimentation_record(ctx) {
    const hyp = ctx.answers.get(Q.hypotheses);
    const alt = ctx.answers.get(Q.alternatives);
    const res = ctx.answers.get(Q.results);
    if (!hyp || !alt || !res) return { status: 'fail', message: 'Hypotheses, alternatives and results are not all recorded.' };
    const runs = ctx.evidenceItems.filter((e) => RUN_KINDS.has(e.kind));
    const failed = runs.filter((e) => e.outcome === 'failure').length;
    if (runs.length === 0) return { status: 'warn', message: 'Hypotheses, alternatives and results are answered, but no run log, benchmark, ADR or design document backs them.' };
    return { status: 'pass', message: `${runs.length} experiment artefact(s)${failed ? `, ${failed} of them failed runs` : ''}.` };
  },

  routine_engineering(ctx) {
    const routine = ctx.answers.get(Q.routine)?.value;
    const method = ctx.answers.get(Q.method)?.value;
    if (routine === true) return { status: 'fail', message: 'Answered: mainly known design parameters, code compliance or standard design stages.' };
    if (Array.isArray(method) && method.length > 0 && method.every((m) => m === 'none')) return { status: 'fail', message: 'No method of evaluating alternatives.' };
    if (routine === false) return { status: 'pass', message: 'Answered: not routine design or code compliance.' };
    return { status: 'warn', message: `Not answered (${Q.routine}).` };
  },

  technical_staff(ctx) {
    const staff = ctx.answers.get(Q.technicalStaff)?.value;
    if (staff === false) return { status: 'fail', message: 'Answered: no technically trained people performed or directed the experimentation.' };
    const people = new Set(ctx.time.filter((r) => r.activity !== 'non_qualified').map((r) => r.employeeId));
    const roles = ctx.study.employees.filter((e) => people.has(e.id)).map((e) => e.role);
    if (roles.some((r) => r !== undefined && TECHNICAL_ROLES.has(r))) return { status: 'pass', message: 'Engineers, scientists, researchers or technicians recorded time on the component.' };
    if (staff === true) return { status: 'pass', message: 'Answered: technically trained people did the work.' };
    return { status: 'warn', message: 'No one with a technical role recorded research time on the component.' };
  },

  executive_wages(ctx, def) {
    const onComponent = new Set(ctx.time.map((r) => r.employeeId));
    const execs = ctx.study.employees.filter((e) => onComponent.has(e.id) && (e.officer || e.role === 'executive'));
    if (execs.length === 0) return { status: 'na', message: 'No officer or executive recorded time on the component.' };
    const high = param(def, 'high_share');
    const flagged: string[] = [];
    let weakBasis = false;
    for (const e of execs) {
      const all = timeByEmployee(ctx.study).get(e.id) ?? [];
      const total = sumHours(all);
      if (cmpRate(total, RATE_ZERO) === 0) continue;
      const q = share(sumHours(all.filter((r) => r.activity !== 'non_qualified')), total);
      if (cmpRate(q, high) >= 0) {
        flagged.push(`${e.name} (${pct(q)})`);
        if (all.some((r) => r.basis !== 'time_entries')) weakBasis = true;
      }
    }
    if (flagged.length === 0) return { status: 'pass', message: `Officers and executives on the component are below ${pct(high)} qualified time.` };
    return weakBasis
      ? { status: 'fail', message: `Officers or executives at a high qualified share without contemporaneous time entries: ${flagged.join(', ')}.` }
      : { status: 'warn', message: `Officers or executives at a high qualified share (time entries kept; show the direct research, supervision or support): ${flagged.join(', ')}.` };
  },

  funded_or_customer_specific(ctx) {
    const ex = ctx.evaluation.exclusions;
    const funded = ex.find((e) => e.exclusion === 'funded_research')!;
    const adaptation = ex.find((e) => e.exclusion === 'adaptation')!;
    if (funded.applies === true) return { status: 'fail', message: funded.reason };
    if (adaptation.applies === true) return { status: 'fail', message: adaptation.reason };
    if (funded.applies === 'unknown' || adaptation.applies === 'unknown') return { status: 'warn', message: 'Funding or customer adaptation not reviewed yet.' };
    if (funded.partial) return { status: 'warn', message: funded.partial.note };
    return { status: 'pass', message: 'Not funded by another person and not a customer adaptation.' };
  },

  judgment_sample(ctx) {
    const surveyed = ctx.time.filter((r) => r.basis === 'survey');
    if (surveyed.length === 0) return { status: 'na', message: 'No hours come from surveys.' };
    const people = new Set(surveyed.map((r) => r.employeeId));
    const answers = ctx.evidenceItems.filter((e) => (e.kind === 'survey_answer' || e.kind === 'interview_note') && e.sha256);
    const covered = [...people].filter((p) => answers.some((a) => a.employeeIds.includes(p)));
    if (covered.length === 0) return { status: 'fail', message: `${h(sumHours(surveyed))} hours come from surveys, and no survey answer or interview note is kept in the ledger.` };
    if (covered.length < people.size) return { status: 'warn', message: `Survey answers kept for ${covered.length} of ${people.size} surveyed people; document how the sample was chosen.` };
    return { status: 'pass', message: `Survey answers kept for all ${people.size} surveyed people.` };
  },

  raw_inputs(ctx) {
    if (ctx.missingEvidence.length) return { status: 'fail', message: `Answers cite evidence that is not in the ledger: ${ctx.missingEvidence.join(', ')}.` };
    const items = ctx.evidenceItems;
    if (items.length === 0) return { status: 'fail', message: 'No evidence items are linked to the component.' };
    const ids = new Set(items.map((e) => e.id));
    const changed = ctx.evidenceProblems.filter((p) => ids.has(p.id));
    if (changed.length)
      return { status: 'fail', message: `${changed.length} evidence item(s) do not match their recorded content hash (the file was changed or replaced): ${[...new Set(changed.map((p) => p.id))].join(', ')}.` };
    const unhashed = items.filter((e) => !e.sha256);
    const hashed = items.length - unhashed.length;
    const notCaptured = unhashed.length ? ` ${unhashed.length} of ${items.length} evidence item(s) are described but not captured (no content hash): ${unhashed.map((e) => e.id).join(', ')}.` : '';
    if (!ctx.retained) return { status: 'warn', message: `${hashed} of ${items.length} evidence item(s) carry a content hash; capture not verified (run from a study folder).${notCaptured}` };
    const retained = ctx.retained;
    const lost = items.filter((e) => e.sha256 && !retained.has(e.sha256.toLowerCase()));
    const notKept = lost.length ? ` ${lost.length} of ${items.length} evidence item(s) have a content hash but their bytes are neither in the ledger nor in the study folder: ${lost.map((e) => e.id).join(', ')}.` : '';
    if (lost.length && lost.length === hashed) return { status: 'fail', message: `None of the component's evidence is kept byte for byte.${notKept}${notCaptured}` };
    if (unhashed.length || lost.length) return { status: 'warn', message: (notKept + notCaptured).trim() };
    return { status: 'pass', message: `${items.length} evidence item(s), all kept byte for byte (their bytes are in the ledger or the study folder and match the recorded content hash).` };
  },

  contemporaneous_evidence(ctx) {
    if (ctx.evidence.length === 0) return { status: 'na', message: 'No evidence to date.' };
    const timely = ctx.evidence.filter((e) => e.contemporaneous === true).length;
    const after = ctx.evidence.filter((e) => e.contemporaneous === false).length;
    const undated = ctx.evidence.filter((e) => e.contemporaneous === null).length;
    const msg = `${timely} dated in or before the tax year, ${after} after it, ${undated} undated.`;
    if (timely === 0) return { status: 'fail', message: msg };
    if (after || undated) return { status: 'warn', message: msg };
    return { status: 'pass', message: msg };
  },

  idaho_location(ctx) {
    if (!ctx.study.taxpayer.states.includes('ID')) return { status: 'na', message: 'No Idaho credit claimed.' };
    const research = ctx.time.filter((r) => r.activity !== 'non_qualified');
    const unknown = research.filter((r) => !r.location || (r.location.country === 'US' && !r.location.state));
    const outside = research.filter((r) => r.location && r.location.state !== undefined && r.location.state !== 'ID');
    const foreign = research.filter((r) => r.location && r.location.country !== 'US');
    if (unknown.length) return { status: 'fail', message: `${h(sumHours(unknown))} research hours have no work location: they cannot be verified as Idaho research.` };
    if (outside.length || foreign.length)
      return { status: 'pass', message: `${h(sumHours([...outside, ...foreign]))} research hours were outside Idaho; their location keeps them out of Idaho QREs.` };
    return { status: 'pass', message: 'All research hours are located in Idaho.' };
  },

  section_g_information(ctx) {
    const info = ctx.component.informationSought?.trim();
    return info ? { status: 'pass', message: 'Information sought to be discovered is stated.' } : { status: 'fail', message: 'No information sought to be discovered (Section G line 49(f)).' };
  },

  individuals_identified(ctx) {
    const people = new Set([...ctx.time.filter((r) => r.activity !== 'non_qualified').map((r) => r.employeeId), ...ctx.evidenceItems.flatMap((e) => e.employeeIds)]);
    return people.size ? { status: 'pass', message: `${people.size} individual(s) identified.` } : { status: 'fail', message: 'No individual is identified as having performed the research.' };
  },

  interview_complete(ctx) {
    const errors = ctx.problems.filter((p) => p.severity === 'error');
    if (errors.length) return { status: 'fail', message: `${errors.length} invalid answer(s): ${errors.map((e) => e.message).join('; ')}.` };
    if (ctx.openQuestions.length) return { status: 'warn', message: `Unanswered: ${ctx.openQuestions.join(', ')}.` };
    return { status: 'pass', message: 'Every required question answered.' };
  },
};

export const STUDY_CHECKS: Record<string, StudyDetector> = {
  components_identified(study) {
    const ids = new Set(study.components.map((c) => c.id));
    const loose = study.time.filter((r) => r.activity !== 'non_qualified' && (r.componentId === undefined || !ids.has(r.componentId)));
    if (loose.length === 0) return { status: 'pass', message: 'Every research hour is recorded on a business component.' };
    return { status: 'fail', message: `${h(sumHours(loose))} hours of research activity are on no (known) business component.` };
  },

  decisions_recorded(study, components) {
    const log = study.qualificationLog ?? [];
    const undecided = components.filter((c) => c.engine !== c.recorded && !log.some((d) => d.componentId === c.id));
    if (undecided.length === 0) return { status: 'pass', message: 'Every recorded result matches the assessment or carries a recorded decision.' };
    return { status: 'warn', message: `Recorded result differs from the assessment with no recorded decision: ${undecided.map((c) => `${c.id} (recorded ${c.recorded}, assessed ${c.engine})`).join(', ')}.` };
  },
};

export function runComponentChecks(defs: readonly ReadinessCheckDef[], ctx: ComponentContext): ReadinessCheck[] {
  return defs
    .filter((d) => d.scope === 'component')
    .map((d) => {
      const fn = COMPONENT_CHECKS[d.id];
      if (!fn) throw new Error(`readiness check ${d.id} has no logic in src/study/qualify/readiness.ts`);
      const o = fn(ctx, d);
      return { id: d.id, title: d.title, status: o.status, message: o.message, citation: d.citations, componentId: ctx.component.id, weight: d.weight };
    });
}

export function runStudyChecks(defs: readonly ReadinessCheckDef[], study: Study, components: readonly { id: string; engine: string; recorded: string }[]): ReadinessCheck[] {
  return defs
    .filter((d) => d.scope === 'study')
    .map((d) => {
      const fn = STUDY_CHECKS[d.id];
      if (!fn) throw new Error(`readiness check ${d.id} has no logic in src/study/qualify/readiness.ts`);
      const o = fn(study, components, d);
      return { id: d.id, title: d.title, status: o.status, message: o.message, citation: d.citations, weight: d.weight };
    });
}
