/**
 * Reads the quick check's data: sub-sector profiles, the questionnaire and the record advice
 * (data/quickcheck/*.yaml), and the state credit registry (law/states/registry.yaml).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { defaultLawDir } from '../../law/index.js';
import { parseStateCreditRegistry, type StateCreditEntry } from '../../rules/states/registry.js';
import { ProfilesFileSchema, QuestionnaireSchema, RecordsFileSchema, type Profile, type Question, type RecordAdvice } from './schema.js';

export function defaultQuickCheckDir(): string {
  // src/assist/quickcheck/data.ts → <repo>/data/quickcheck
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'quickcheck');
}

export interface QuickCheckData {
  profiles: Profile[];
  questions: Question[];
  records: RecordAdvice[];
  registry: StateCreditEntry[];
}

function yamlAt(path: string): unknown {
  return parse(readFileSync(path, 'utf8'));
}

export function loadQuickCheckData(dir: string = defaultQuickCheckDir(), lawDir: string = defaultLawDir()): QuickCheckData {
  return {
    profiles: ProfilesFileSchema.parse(yamlAt(join(dir, 'profiles.yaml'))).profiles,
    questions: QuestionnaireSchema.parse(yamlAt(join(dir, 'questionnaire.yaml'))).questions,
    records: RecordsFileSchema.parse(yamlAt(join(dir, 'records.yaml'))).records,
    registry: parseStateCreditRegistry(yamlAt(join(lawDir, 'states', 'registry.yaml'))),
  };
}
