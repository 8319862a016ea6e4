/**
 * The qualification report: per business component, the four-part test, the §41(d)(4)
 * exclusions, the substantially-all measurement with shrink-back, the evidence and its
 * contemporaneity, and the named readiness checks. Produced by `qualifyStudy` and rendered by
 * the CLI, the report, the workpapers and the web app. This is a contract: extend it, do not
 * break it.
 */
import type { Citation, Explanation } from '../../explain/types.js';

export type TestStatus = 'met' | 'not_met' | 'needs_information';

export type FourPartTest = 'permitted_purpose' | 'technological_uncertainty' | 'technological_in_nature' | 'process_of_experimentation';

export interface FourPartResult {
  test: FourPartTest;
  status: TestStatus;
  /** Plain-language reasons, each traceable to an answer or an evidence item. */
  reasons: string[];
  citations: Citation[];
  /** Evidence items the result relies on. */
  evidenceIds: string[];
}

export type ExclusionId =
  | 'after_commercial_production'
  | 'adaptation'
  | 'duplication'
  | 'surveys_studies'
  | 'internal_use_software'
  | 'foreign_research'
  | 'social_sciences'
  | 'funded_research';

export interface ExclusionResult {
  exclusion: ExclusionId;
  /** true = the exclusion applies (costs excluded), false = it does not, 'unknown' = needs information. */
  applies: boolean | 'unknown';
  reason: string;
  citations: Citation[];
  /** The exclusion removes part of the component's activities (from a date, a foreign part, funded amounts, a dual-function subset). */
  partial?: { note: string; from?: string };
  evidenceIds?: string[];
}

export interface SubstantiallyAllResult {
  /** How the share was measured, written for the output ("hours of direct research flagged as experimentation / all hours on the component"). */
  method: string;
  basis: 'hours' | 'cost' | 'none';
  /** Share of activities that are a process of experimentation, decimal string; null = not measurable. */
  share: string | null;
  threshold: string;
  passes: boolean | null;
  /** When the component fails: the sub-component the engine shrank back to, or null when none passes. */
  shrinkBack?: { to: string | null; share: string | null; note: string };
  /** Measured amounts (hours, or cents for cost) as decimal strings: all, flagged experimentation, not flagged either way. */
  measured?: { total: string; experimentation: string; unflagged: string };
  /** An ancestor component that passes as a whole and so covers this one's activities. */
  coveredBy?: string;
  /** The measurement's explanation tree (threshold parameter with its citation, inputs, notes). */
  explanation?: Explanation;
}

export interface EvidenceUse {
  id: string;
  kind: string;
  title: string;
  sha256?: string;
  claimedDate?: string;
  /** Dated inside the tax year (true), after it (false), or undated (null). */
  contemporaneous: boolean | null;
  /** Finer: before the tax year (contemporaneous with research that began earlier), during, after, undated. */
  timing?: 'before' | 'during' | 'after' | 'undated';
  capturedAt?: string;
  /** Why it is linked to the component: listed on the item, or cited by an interview answer (question ids). */
  linkedBy?: string[];
}

export interface ReadinessCheck {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail' | 'na';
  message: string;
  /** IRS guidance, Form 6765 Section G, IDAPA 35.01.01.723, or a court case. */
  citation: Citation[];
  componentId?: string;
  /** Weight in the score (from data/qualification/readiness.yaml). */
  weight?: number;
}

export interface ComponentQualification {
  componentId: string;
  name: string;
  result: 'qualifies' | 'does_not_qualify' | 'needs_information';
  reasons: string[];
  tests: FourPartResult[];
  exclusions: ExclusionResult[];
  substantiallyAll: SubstantiallyAllResult;
  evidence: EvidenceUse[];
  /** 0–100, from the named checks. */
  readiness: { score: number; checks: ReadinessCheck[] };
  parentId?: string;
  /** The qualification the study records now (entered or decided), and the last recorded decision on it. */
  recorded?: 'qualifies' | 'does_not_qualify' | 'needs_information';
  lastDecision?: { result: string; by: string; at: string; why: string };
  /** Required interview questions with no answer. */
  openQuestions?: string[];
}

/** A problem with the study's qualification data (an answer to an unknown question, a bad parent id…). */
export interface QualificationProblem {
  severity: 'error' | 'warning';
  message: string;
  componentId?: string;
  questionId?: string;
}

export interface QualificationReport {
  components: ComponentQualification[];
  /** Study-wide readiness: 0–100 with the checks that decided it. */
  readiness: { score: number; checks: ReadinessCheck[] };
  /** The tax year the contemporaneity is judged against. */
  period?: { start: string; end: string };
  /** Substantially-all threshold used (decimal string), from the law file. */
  threshold?: string;
  /** Problems in the interviews and the component tree; answers with errors are ignored. */
  problems?: QualificationProblem[];
  /** Version of the interview definition the answers were checked against. */
  interviewVersion?: number;
}
