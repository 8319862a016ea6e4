/**
 * Writing a study folder in canonical form: study.yaml (money as plain decimal strings, every
 * scalar a string) and every CSV file with its full header, rows in the study's order.
 * `readStudyFolder(dir)` after `writeStudyFolder(study, dir)` gives back a deep-equal Study.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Cents } from '../../money/cents.js';
import type { Study } from '../model.js';
import { writeCsv } from './csv.js';
import { STUDY_YAML } from './read.js';
import { INTERVIEWS_YAML, QUALIFICATION_LOG_YAML, recordsYamlText } from './records-yaml.js';
import { TABLES, getPath, type TableSpec } from './tables.js';
import { formatMoney } from './values.js';

const PLAIN_NUMBERS = new Set(['year', 'idahoBusinessSince', 'formatVersion', 'section174aCapitalizeMonths']);

function toStrings(v: unknown, key = ''): unknown {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return PLAIN_NUMBERS.has(key) ? String(v) : formatMoney(v as Cents);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => toStrings(x));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const s = toStrings(x, k);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  throw new Error(`cannot write ${String(v)} to study.yaml`);
}

const YAML_HEADER = `# rdcredit study — see docs/study-format.md for every key.
# Money is dollars and cents ("1234.56"); dates are YYYY-MM-DD; an empty or absent value means "not known".
`;

/** The study.yaml text of a study (everything except the CSV tables). */
export function studyYamlText(study: Study): string {
  const meta = study;
  const ordered = {
    formatVersion: meta.formatVersion,
    id: meta.id,
    title: meta.title,
    firm: meta.firm,
    client: meta.client,
    taxpayer: meta.taxpayer,
    grossReceipts: meta.grossReceipts,
    grossReceiptsByState: meta.grossReceiptsByState,
    history: meta.history,
    taxFacts: meta.taxFacts,
    elections: meta.elections,
    baseFacts: meta.baseFacts,
    stateFacts: meta.stateFacts,
  };
  return YAML_HEADER + YAML.stringify(toStrings(ordered), { schema: 'failsafe', lineWidth: 0 });
}

/** The CSV text of one table of a study. */
export function tableText(spec: TableSpec, study: Study): string {
  let records: unknown[];
  if (spec.key === 'wageAdjustments') records = study.employees.flatMap((e) => (e.wageAdjustments ?? []).map((a) => ({ employeeId: e.id, ...a })));
  else records = study[spec.key] ?? [];
  const rows = records.map((r) =>
    spec.columns.map((c) => {
      const v = getPath(r, c.path);
      return v === undefined ? '' : c.codec.format(v);
    }),
  );
  return writeCsv(
    spec.columns.map((c) => c.name),
    rows,
  );
}

/**
 * The files of a study in canonical form, name → text. Optional files (evidence.csv,
 * interviews.yaml, qualification-log.yaml) are present only when the study has the field.
 */
export function studyFolderFiles(study: Study): Map<string, string> {
  const out = new Map<string, string>();
  out.set(STUDY_YAML, studyYamlText(study));
  for (const spec of TABLES) if (!spec.optional || study[spec.key as keyof Study] !== undefined) out.set(spec.file, tableText(spec, study));
  if (study.interviews) out.set(INTERVIEWS_YAML, recordsYamlText(INTERVIEWS_YAML, study.interviews));
  if (study.qualificationLog) out.set(QUALIFICATION_LOG_YAML, recordsYamlText(QUALIFICATION_LOG_YAML, study.qualificationLog));
  return out;
}

/** Every file name the format knows, optional ones included. */
export const STUDY_FILES: readonly string[] = [STUDY_YAML, ...TABLES.map((t) => t.file), INTERVIEWS_YAML, QUALIFICATION_LOG_YAML];

/**
 * Writes `study` to `dir` (created if needed) in canonical form, overwriting study.yaml and the
 * study's CSV files; other files in the folder are left alone. An optional file the study does
 * not have (e.g. no `evidence`) is not written, and an old copy of it is removed so that the
 * folder reads back as the study written.
 */
export function writeStudyFolder(study: Study, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const files = studyFolderFiles(study);
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  for (const name of STUDY_FILES) if (!files.has(name) && existsSync(join(dir, name))) rmSync(join(dir, name));
}
