/**
 * A form or schedule ready to print: every surface (JSON, CSV, PDF, the report) renders this
 * one shape, built from the StudyResult by `buildForms`. Amounts are whole dollars as the form
 * prints them (src/money/rounding.ts); an unknown line keeps its status and prints "unknown".
 */
import type { Citation } from '../explain/types.js';
import type { Schedule } from '../study/compute/result.js';

/** known: a value; unknown: inputs missing; na: not applicable; not_computed: the engine does not fill this line. */
export type LineStatus = 'known' | 'unknown' | 'na' | 'not_computed';

export interface PrintedLine {
  /** The line number as printed on this revision. */
  line: string;
  /** The engine's line id (current numbering) the amount comes from, when it differs from `line`. */
  engineLine?: string;
  label: string;
  kind: 'money' | 'rate' | 'flag' | 'text';
  status: LineStatus;
  /** Whole dollars (money), decimal text (rate), boolean (flag) or text; null unless known. */
  value: number | string | boolean | null;
  /** What the form shows: "1,234", "3%", "Yes", "unknown", "n/a", "not computed". */
  display: string;
  missing?: string[];
  reason?: string;
}

export interface PrintedSection {
  id: string;
  title: string;
  lines: PrintedLine[];
}

export interface PrintedForm {
  /** "f6765", "f8974", "id67", or a schedule id ("s174", "carryforward.federal", …). */
  id: string;
  kind: 'form' | 'schedule';
  /** "Form 6765", "Form 8974", "Idaho Form 67", "Schedule". */
  formNumber: string;
  title: string;
  revision: string;
  taxpayer: { name: string; ein?: string };
  period: { start: string; end: string };
  sections: PrintedSection[];
  /** Tables printed with the form (Section G, the quarters of Form 8974) or that are the schedule. */
  tables: Schedule[];
  notes: string[];
  citations: Citation[];
}
