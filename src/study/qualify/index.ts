/**
 * Qualification of a study's business components: the adapter from a Study to the pure rules
 * (src/rules/qualification), the evidence and its contemporaneity, and the readiness checks.
 *
 *   const report = qualifyStudy(study, { law });              // QualificationReport
 *   const next = recordDecision(study, 'SGA', 'qualifies', 'J. Reviewer', 'four-part test reviewed', '2026-03-01T10:00:00Z');
 */
import { explainer } from '../../explain/build.js';
import type { ParamUse } from '../../explain/types.js';
import { loadLaw } from '../../law/loader.js';
import type { Law } from '../../law/law.js';
import { addRate, ratio, RATE_ZERO, rateToDecimal, type Rate } from '../../money/rate.js';
import { taxPeriod } from '../../periods/tax-period.js';
import {
  componentTree,
  evaluateComponent,
  evidenceTiming,
  measureSubstantiallyAll,
  missingRequired,
  readinessScore,
  validateAnswers,
  type Answer,
  type MeasureLine,
  type MeasureResult,
  type Problem,
} from '../../rules/qualification/index.js';
import type { EvidenceFileProblem } from '../evidence-files.js';
import type { BusinessComponent, EvidenceItem, Study } from '../model.js';
import { loadQualificationData, type QualificationData } from './definitions.js';
import { hoursRate, runComponentChecks, runStudyChecks, type ComponentContext } from './readiness.js';
import type { ComponentQualification, EvidenceUse, QualificationReport, ReadinessCheck, SubstantiallyAllResult } from './types.js';

export * from './types.js';
export { loadQualificationData, defaultQualificationDir, type QualificationData, type ReadinessCheckDef } from './definitions.js';
export { renderQualificationText } from './render.js';

export const SUBSTANTIALLY_ALL_PARAM = 'us.federal.irc41.qualified_research.substantially_all';

export interface QualifyOptions {
  /** The law (default: the repository's law directory). */
  law?: Law;
  /** The interview definition and readiness checks (default: data/qualification). */
  data?: QualificationData;
  /**
   * SHA-256 values whose bytes are known to be kept (in the evidence ledger, or as a matching file
   * in the study folder: see retainedEvidence in src/study/evidence-files.ts). The check "Raw inputs
   * retained in the ledger" passes only for items whose hash is here; without it the check cannot
   * see the bytes and says "capture not verified" (warn), never pass.
   */
  retained?: ReadonlySet<string>;
  /** Evidence items whose file in the study folder does not hash to the recorded value (the check fails, naming them). */
  evidenceProblems?: readonly EvidenceFileProblem[];
}

const dec = (r: Rate, places = 6): string => {
  const s = rateToDecimal(r, places);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
};

/** The experimentation flag of a cost line, where the model carries one (supplies, computers and contracts may gain it). */
function costFlag(x: object): boolean | undefined {
  const v = (x as { experimentation?: unknown }).experimentation;
  return typeof v === 'boolean' ? v : undefined;
}

function toSubstantiallyAll(m: MeasureResult, threshold: Rate): SubstantiallyAllResult {
  const out: SubstantiallyAllResult = {
    method: m.method,
    basis: m.basis,
    share: m.share ? dec(m.share) : null,
    threshold: dec(threshold),
    passes: m.coveredBy ? true : m.passes,
    measured: { total: dec(m.total, 2), experimentation: dec(m.experimentation, 2), unflagged: dec(m.unflagged, 2) },
    explanation: m.why,
  };
  if (m.coveredBy) out.coveredBy = m.coveredBy;
  if (m.shrinkBack) out.shrinkBack = { to: m.shrinkBack.to, share: m.shrinkBack.share ? dec(m.shrinkBack.share) : null, note: m.shrinkBack.note };
  return out;
}

/** Runs the four-part test, the exclusions, substantially-all, evidence and readiness for every component. Pure apart from reading the default law and data files. */
export function qualifyStudy(study: Study, opts: QualifyOptions = {}): QualificationReport {
  const law = opts.law ?? loadLaw();
  const data = opts.data ?? loadQualificationData();
  const period = taxPeriod(study.taxpayer.period.start, study.taxpayer.period.end);
  const view = law.for(period, study.elections.options ?? {});
  const tx = explainer('qualification.threshold', 'Substantially-all threshold', []);
  const threshold = view.rate(tx, SUBSTANTIALLY_ALL_PARAM);
  const thresholdUse: ParamUse | undefined = tx.build('').params[0];

  const problems: Problem[] = [];
  const components = study.components;
  const byId = new Map(components.map((c) => [c.id, c]));
  const { parent, children, problems: treeProblems } = componentTree(components);
  problems.push(...treeProblems);

  // Evidence ledger.
  const evidence = study.evidence ?? [];
  const evidenceById = new Map<string, EvidenceItem>();
  for (const e of evidence) {
    if (evidenceById.has(e.id)) problems.push({ severity: 'error', message: `evidence id ${e.id} is used twice` });
    else evidenceById.set(e.id, e);
    for (const c of e.componentIds) if (!byId.has(c)) problems.push({ severity: 'warning', message: `evidence ${e.id} is linked to unknown component ${c}` });
  }
  const evidenceIds = new Set(evidenceById.keys());

  // Answers, checked against the definition, then inherited down the tree.
  const own = new Map<string, Map<string, Answer>>();
  const answerProblems = new Map<string, Problem[]>();
  for (const iv of study.interviews ?? []) {
    if (!byId.has(iv.componentId)) {
      problems.push({ severity: 'error', componentId: iv.componentId, message: `interview for unknown component ${iv.componentId}` });
      continue;
    }
    const prev = own.get(iv.componentId);
    if (prev) problems.push({ severity: 'error', componentId: iv.componentId, message: `more than one interview for ${iv.componentId}; the answers are merged, first answer wins` });
    const r = validateAnswers(
      data.interview,
      iv.componentId,
      iv.answers.map((a) => ({ question: a.question, value: a.value, ...(a.evidenceIds ? { evidenceIds: a.evidenceIds } : {}), ...(a.note !== undefined ? { note: a.note } : {}) })),
      evidenceIds,
    );
    const merged = prev ?? new Map<string, Answer>();
    for (const [k, v] of r.answers) if (!merged.has(k)) merged.set(k, v);
    own.set(iv.componentId, merged);
    answerProblems.set(iv.componentId, [...(answerProblems.get(iv.componentId) ?? []), ...r.problems]);
    problems.push(...r.problems);
  }
  const effectiveAnswers = (id: string): Map<string, Answer> => {
    const out = new Map(own.get(id) ?? []);
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) for (const [k, v] of own.get(p) ?? []) if (!out.has(k)) out.set(k, v);
    return out;
  };
  const subtreeOf = (id: string): Set<string> => {
    const s = new Set<string>([id]);
    const stack = [id];
    while (stack.length) for (const c of children.get(stack.pop()!) ?? []) if (!s.has(c)) (s.add(c), stack.push(c));
    return s;
  };

  // Substantially all, over the tree.
  const hours: MeasureLine[] = study.time
    .filter((r) => r.componentId !== undefined)
    .map((r) => ({ componentId: r.componentId!, amount: hoursRate(r.hours), ...(r.experimentation !== undefined ? { experimentation: r.experimentation } : {}) }));
  const costs: MeasureLine[] = [...study.supplies, ...study.computers, ...study.contracts]
    .filter((x) => x.componentId !== undefined)
    .map((x) => {
      const f = costFlag(x);
      return { componentId: x.componentId!, amount: ratio(BigInt(x.amount)), ...(f !== undefined ? { experimentation: f } : {}) };
    });
  const { results: measures, problems: measureProblems } = measureSubstantiallyAll({ components, hours, costs, threshold, ...(thresholdUse ? { thresholdUse } : {}) });
  problems.push(...measureProblems.filter((p) => !treeProblems.some((t) => t.message === p.message)));

  const log = study.qualificationLog ?? [];
  const checks = data.readiness;
  const out: ComponentQualification[] = [];
  const timeByComponent = new Map<string, typeof study.time>();
  for (const r of study.time) if (r.componentId !== undefined) (timeByComponent.get(r.componentId) ?? timeByComponent.set(r.componentId, []).get(r.componentId)!).push(r);
  for (const c of components) {
    const subtree = subtreeOf(c.id);
    const time = [...subtree].flatMap((id) => timeByComponent.get(id) ?? []);
    const place = { us: RATE_ZERO, foreign: RATE_ZERO, unknown: RATE_ZERO };
    for (const r of time) {
      const k = !r.location ? 'unknown' : r.location.country === 'US' ? 'us' : 'foreign';
      place[k] = addRate(place[k], hoursRate(r.hours));
    }
    const answers = effectiveAnswers(c.id);
    const measure = measures.get(c.id)!;
    const facts = {
      id: c.id,
      name: c.name,
      type: c.type,
      hoursByPlace: place,
      ...(c.softwareClass ? { softwareClass: c.softwareClass } : {}),
      ...(c.commercialProductionDate ? { commercialProductionDate: c.commercialProductionDate } : {}),
    };
    const evaluation = evaluateComponent({ period, facts, answers, measure, threshold });

    // Evidence linked to the component (or a sub-component), or cited by one of its answers.
    const citedBy = new Map<string, string[]>();
    for (const a of answers.values()) for (const e of a.evidenceIds) citedBy.set(e, [...(citedBy.get(e) ?? []), a.question]);
    const linked = evidence.filter((e) => e.componentIds.some((x) => subtree.has(x)) || citedBy.has(e.id));
    const uses: EvidenceUse[] = linked.map((e) => {
      const t = evidenceTiming(period, { ...(e.claimedDate ? { claimedDate: e.claimedDate } : {}), ...(e.capturedAt ? { capturedAt: e.capturedAt } : {}) });
      const u: EvidenceUse = { id: e.id, kind: e.kind, title: e.title, contemporaneous: t.contemporaneous, timing: t.timing };
      if (e.sha256) u.sha256 = e.sha256;
      if (e.claimedDate) u.claimedDate = e.claimedDate;
      if (e.capturedAt) u.capturedAt = e.capturedAt;
      const by = [...(e.componentIds.some((x) => subtree.has(x)) ? ['linked'] : []), ...(citedBy.get(e.id) ?? [])];
      if (by.length) u.linkedBy = by;
      return u;
    });
    const missingEvidence = [...citedBy.keys()].filter((e) => !evidenceIds.has(e));
    const openQuestions = missingRequired(data.interview, answers).map((q) => q.id);

    const ctx: ComponentContext = {
      study,
      period,
      component: c,
      subtree,
      time,
      answers,
      problems: answerProblems.get(c.id) ?? [],
      openQuestions,
      measure,
      evaluation,
      evidence: uses,
      evidenceItems: linked,
      missingEvidence,
      ...(opts.retained ? { retained: opts.retained } : {}),
      evidenceProblems: opts.evidenceProblems ?? [],
    };
    const rchecks = runComponentChecks(checks, ctx);
    const cq: ComponentQualification = {
      componentId: c.id,
      name: c.name,
      result: evaluation.result,
      reasons: evaluation.reasons,
      tests: evaluation.tests.map((t) => ({ test: t.test, status: t.status, reasons: t.reasons, citations: t.citations, evidenceIds: t.evidenceIds })),
      exclusions: evaluation.exclusions.map((e) => ({ ...e })),
      substantiallyAll: toSubstantiallyAll(measure, threshold),
      evidence: uses,
      readiness: { score: scoreOf(rchecks), checks: rchecks },
      recorded: c.qualification,
      openQuestions,
    };
    if (c.parentId !== undefined) cq.parentId = c.parentId;
    const last = [...log].reverse().find((d) => d.componentId === c.id);
    if (last) cq.lastDecision = { result: last.result, by: last.by, at: last.at, why: last.why };
    out.push(cq);
  }

  const studyChecks = runStudyChecks(
    checks,
    study,
    out.map((c) => ({ id: c.componentId, engine: c.result, recorded: c.recorded ?? 'needs_information' })),
  );
  const pooled: ReadinessCheck[] = [...studyChecks, ...out.flatMap((c) => c.readiness.checks)];
  return {
    components: out,
    readiness: { score: scoreOf(pooled), checks: studyChecks },
    period: { start: period.start, end: period.end },
    threshold: dec(threshold),
    problems,
    interviewVersion: data.interview.version,
  };
}

function scoreOf(checks: readonly ReadinessCheck[]): number {
  return readinessScore(checks.map((c) => ({ status: c.status, weight: c.weight ?? 1 }))) ?? 0;
}

/**
 * Records a person's decision on a component's qualification: returns a new Study whose
 * component carries the result (and the reason), with a QualificationDecision appended to the
 * log. The study passed in is not changed; earlier log entries are kept as they were.
 */
export function recordDecision(study: Study, componentId: string, result: BusinessComponent['qualification'], by: string, why: string, at: string): Study {
  const component = study.components.find((c) => c.id === componentId);
  if (!component) throw new Error(`recordDecision: no component ${componentId} in study ${study.id}`);
  if (!['qualifies', 'does_not_qualify', 'needs_information'].includes(result)) throw new Error(`recordDecision: unknown result ${String(result)}`);
  if (by.trim() === '') throw new Error('recordDecision: a decision needs the name of who made it');
  if (why.trim() === '') throw new Error('recordDecision: a decision needs a reason');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(at) || Number.isNaN(Date.parse(at)))
    throw new Error(`recordDecision: "at" must be an ISO 8601 timestamp with an offset, got "${at}"`);
  const decision = { componentId, result, previous: component.qualification, by, at, why };
  return {
    ...study,
    components: study.components.map((c) => (c.id === componentId ? { ...c, qualification: result, qualificationReason: why } : c)),
    qualificationLog: [...(study.qualificationLog ?? []), decision],
  };
}
