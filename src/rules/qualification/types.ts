/**
 * Input and output types of the qualification rules (pure). The study adapter
 * (src/study/qualify) builds these from a Study; the rules never see the Study itself.
 */
import type { Citation, Explanation } from '../../explain/types.js';
import type { Rate } from '../../money/rate.js';
import type { TaxPeriod } from '../../periods/tax-period.js';

/** The four tests of §41(d)(1) as the interview groups them. */
export type TestId = 'permitted_purpose' | 'technological_uncertainty' | 'technological_in_nature' | 'process_of_experimentation';

/** The §41(d)(4) exclusions. */
export type ExclusionKey =
  | 'after_commercial_production'
  | 'adaptation'
  | 'duplication'
  | 'surveys_studies'
  | 'internal_use_software'
  | 'foreign_research'
  | 'social_sciences'
  | 'funded_research';

export const TEST_IDS: readonly TestId[] = ['permitted_purpose', 'technological_uncertainty', 'technological_in_nature', 'process_of_experimentation'];
export const EXCLUSION_KEYS: readonly ExclusionKey[] = [
  'after_commercial_production',
  'adaptation',
  'duplication',
  'surveys_studies',
  'internal_use_software',
  'foreign_research',
  'social_sciences',
  'funded_research',
];

export type AnswerType = 'yes_no' | 'choice' | 'list' | 'text' | 'date' | 'number';

export interface QuestionDef {
  id: string;
  /** The test or exclusion the question belongs to. */
  section: TestId | ExclusionKey;
  text: string;
  help: string;
  type: AnswerType;
  /** For choice and list: the allowed values and what each means. A list without options takes free text items. */
  options?: Record<string, string>;
  required: boolean;
  /** Required only when another question has this answer. */
  requiredWhen?: { question: string; equals: string | boolean };
  citations: Citation[];
}

export interface SectionDef {
  id: TestId | ExclusionKey;
  kind: 'test' | 'exclusion';
  title: string;
  citations: Citation[];
}

export interface InterviewDefinition {
  version: number;
  title: string;
  sections: SectionDef[];
  questions: QuestionDef[];
}

export type AnswerValue = string | number | boolean | string[];

/** One answer as the rules see it, after validation (type-checked, evidence ids listed). */
export interface Answer {
  question: string;
  value: AnswerValue;
  evidenceIds: string[];
  /** The component the answer was given for (a sub-component inherits its ancestors' answers). */
  from: string;
  note?: string;
}

export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  componentId?: string;
  questionId?: string;
}

export type Status = 'met' | 'not_met' | 'needs_information';

export interface TestOutcome {
  test: TestId;
  status: Status;
  reasons: string[];
  citations: Citation[];
  evidenceIds: string[];
}

export interface ExclusionOutcome {
  exclusion: ExclusionKey;
  applies: boolean | 'unknown';
  reason: string;
  citations: Citation[];
  /** The exclusion removes part of the component's activities, not all of it. */
  partial?: { note: string; from?: string };
  evidenceIds?: string[];
}

/** One measured line for the substantially-all test: hours of time, or cost. */
export interface MeasureLine {
  componentId: string;
  /** Hours or cents, exact. */
  amount: Rate;
  /** true = an element of a process of experimentation, false = not, undefined = not recorded. */
  experimentation?: boolean;
}

export interface ComponentNode {
  id: string;
  parentId?: string;
}

export interface MeasureResult {
  componentId: string;
  basis: 'hours' | 'cost' | 'none';
  method: string;
  total: Rate;
  experimentation: Rate;
  unflagged: Rate;
  /** experimentation / total (unflagged counted in the denominator only); null when nothing is measured. */
  share: Rate | null;
  /** Decision on the component's own measure: true ≥ threshold even if every unflagged unit is not experimentation; false below it even if every unflagged unit is. */
  passes: boolean | null;
  /** Nearest ancestor whose measure passes: then this component's activities are part of a component that passes as a whole. */
  coveredBy?: string;
  /** When the component fails: the most significant descendant that passes, or null. */
  shrinkBack?: { to: string | null; share: Rate | null; note: string };
  why: Explanation;
}

/** Facts of one component the tests and exclusions read (besides the answers). */
export interface ComponentFacts {
  id: string;
  name: string;
  type: string;
  softwareClass?: 'non_ius' | 'ius' | 'dual_function' | 'excepted';
  commercialProductionDate?: string;
  /** Hours on the component (and its sub-components) by where the work was done. */
  hoursByPlace: { us: Rate; foreign: Rate; unknown: Rate };
}

export interface ComponentEvaluationInput {
  period: TaxPeriod;
  facts: ComponentFacts;
  /** Answer per question id (already inherited from ancestors where the component has none). */
  answers: ReadonlyMap<string, Answer>;
  measure: MeasureResult;
  /** Threshold for substantially all (read from the law by the caller). */
  threshold: Rate;
}

export interface ComponentEvaluation {
  componentId: string;
  result: 'qualifies' | 'does_not_qualify' | 'needs_information';
  reasons: string[];
  tests: TestOutcome[];
  exclusions: ExclusionOutcome[];
}
