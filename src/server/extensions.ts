/**
 * Small interfaces through which the server uses modules that other parts of rdcredit provide:
 * the qualification engine (four-part-test interview and report), the quick check, and file
 * downloads (report, forms, workpapers, audit file). Each is optional: a route whose provider is
 * absent answers 501 with what is missing, and the web app hides the feature.
 */
import type { Law } from '../law/law.js';
import type { StudyResult } from '../study/compute/result.js';
import type { Study } from '../study/model.js';
import type { QualificationReport } from '../study/qualify/types.js';

export interface InterviewQuestion {
  id: string;
  /** The part of the four-part test (or exclusion) the question serves; "general" otherwise. */
  section: string;
  text: string;
  help?: string;
  /** multi: several of `choices`; list: free-text items (one per line); date: YYYY-MM-DD. */
  type: 'yes_no' | 'text' | 'choice' | 'multi' | 'list' | 'number' | 'date';
  required?: boolean;
  choices?: { value: string; label: string }[];
}

export interface QualificationProvider {
  /** The interview asked for every business component. */
  questions(): InterviewQuestion[];
  /**
   * Evaluates every component from its records, interview answers and evidence. `kept` holds the
   * SHA-256 values whose bytes are really in the store's ledger (see Workspace.keptEvidence): the
   * "raw inputs retained" check passes only for those; without it the check cannot verify capture.
   */
  qualify(law: Law, study: Study, kept?: ReadonlySet<string>): QualificationReport;
}

export interface QuickCheckProvider {
  /** JSON Schema of the input (shown by the web app as a form). */
  inputSchema(): unknown;
  run(law: Law, input: unknown): unknown;
}

export interface DownloadContext {
  law: Law;
  study: Study;
  result: StudyResult;
  qualification?: QualificationReport;
}

export interface DownloadProvider {
  id: string;
  title: string;
  contentType: string;
  fileName(study: Study): string;
  render(ctx: DownloadContext): Promise<Uint8Array | string> | Uint8Array | string;
}

export interface Extensions {
  qualification?: QualificationProvider;
  quickCheck?: QuickCheckProvider;
  downloads?: DownloadProvider[];
}
