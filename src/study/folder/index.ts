/**
 * The study folder: the portable, human-editable form of a `Study` (docs/study-format.md).
 *
 * - {@link readStudyFolder}`(dir)` → `{ study?, diagnostics }`: validates everything and reports
 *   each problem with file, row, column, value and what was expected; no study when any error.
 * - {@link writeStudyFolder}`(study, dir)`: canonical form; reading it back gives a deep-equal Study.
 * - {@link initStudyFolder}`(dir, opts)`: a new folder from templates (commented study.yaml, CSV headers).
 */
export { readStudyFolder, clean, STUDY_YAML, type Diagnostic, type ReadResult, type Severity } from './read.js';
export { writeStudyFolder, studyYamlText, tableText, studyFolderFiles, STUDY_FILES } from './write.js';
export { INTERVIEWS_YAML, QUALIFICATION_LOG_YAML, recordsYamlText } from './records-yaml.js';
export { initStudyFolder, studyYamlTemplate, StudyFolderExistsError, type InitOptions } from './init.js';
export { TABLES, type TableSpec, type ColumnSpec } from './tables.js';
export { parseCsv, writeCsv, CsvSyntaxError, type CsvRecord } from './csv.js';
export { formatMoney, location as locationCodec, money as moneyCodec, date as dateCodec } from './values.js';
