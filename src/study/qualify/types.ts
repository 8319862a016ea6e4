/**
 * The qualification report: per business component, the four-part test, the §41(d)(4)
 * exclusions, the substantially-all measurement with shrink-back, the evidence and its
 * contemporaneity, and the named readiness checks. Produced by `qualifyStudy` and rendered by
 * the CLI, the report, the workpapers and the web app. This is a contract: extend it, do not
 * break it.
 */
import type { Citation } from '../../explain/types.js';

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
}

export interface EvidenceUse {
  id: string;
  kind: string;
  title: string;
  sha256?: string;
  claimedDate?: string;
  /** Dated inside the tax year (true), after it (false), or undated (null). */
  contemporaneous: boolean | null;
}

export interface ReadinessCheck {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail' | 'na';
  message: string;
  /** IRS guidance, Form 6765 Section G, IDAPA 35.01.01.723, or a court case. */
  citation: Citation[];
  componentId?: string;
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
}

export interface QualificationReport {
  components: ComponentQualification[];
  /** Study-wide readiness: 0–100 with the checks that decided it. */
  readiness: { score: number; checks: ReadinessCheck[] };
}
