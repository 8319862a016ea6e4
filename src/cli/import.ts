/**
 * `rdcredit import <study> <file>`: parse and validate the file, merge its rows into the study folder
 * (and the store with --db), all or nothing; keep the raw bytes in the study's ledger
 * (<study>/.rdcredit/) and, with --db, in the store's ledger. Re-importing the same bytes changes
 * nothing ("already imported").
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderEvidence, type EvidenceTarget } from '../evidence/file-ledger.js';
import { planImport, progressBar, type ImportKind } from '../importers/index.js';
import { openStore, type Store } from '../store/index.js';
import { readStudyFolder, STUDY_FILES, studyFolderFiles, type Diagnostic } from '../study/folder/index.js';
import type { Study } from '../study/model.js';

export interface ImportCliOptions {
  kind?: string;
  profile?: string;
  acceptSkip?: number[];
  /** PGlite data directory, or a postgres:// URL: also save the study and keep the bytes there. */
  db?: string;
  /** Component map (YAML): projects/tags/accounts/evidence → components. */
  map?: string;
  /** SHA-256 prefixes of earlier imports whose rows this file replaces. */
  replace?: string[];
  /** Payroll and ledger: keep only this calendar year. */
  year?: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}${d.row !== undefined ? `:${d.row}` : ''}${d.column ? ` [${d.column}]` : ''}`;
  const detail = [d.value !== undefined && d.value !== '' ? `found "${d.value}"` : '', d.expected && d.severity === 'error' ? `expected ${d.expected}` : ''].filter(Boolean).join('; ');
  return `${d.severity}: ${where}: ${d.message}${detail && !d.message.includes(d.expected ?? '\u0000') ? ` (${detail})` : ''}`;
}

/**
 * Writes the study's files to a staging folder, checks that the staged folder reads without errors,
 * and returns a function that moves the files into place (one rename per file).
 */
function stage(study: Study, dir: string): { diagnostics: Diagnostic[]; apply(): void; discard(): void } {
  const staging = join(dir, '.rdcredit', `staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const files = studyFolderFiles(study);
  for (const [name, text] of files) writeFileSync(join(staging, name), text);
  const check = readStudyFolder(staging);
  const diagnostics = check.diagnostics.filter((d) => d.severity === 'error');
  return {
    diagnostics,
    apply() {
      for (const name of files.keys()) renameSync(join(staging, name), join(dir, name));
      for (const name of STUDY_FILES) if (!files.has(name) && existsSync(join(dir, name))) rmSync(join(dir, name));
      rmSync(staging, { recursive: true, force: true });
    },
    discard() {
      rmSync(staging, { recursive: true, force: true });
    },
  };
}

/** Runs the import; returns the exit code (0 imported or already imported, 2 rejected or invalid study). */
export async function runImport(studyDir: string, file: string, opts: ImportCliOptions): Promise<number> {
  const read = readStudyFolder(studyDir);
  if (!read.study) {
    for (const d of read.diagnostics) console.error(formatDiagnostic(d));
    console.error(`${studyDir}: the study folder has errors; fix them before importing`);
    return 2;
  }
  const folder = folderEvidence(studyDir);
  const bar = progressBar(file);
  const plan = await planImport(
    read.study,
    file,
    {
      ...(opts.kind ? { kind: opts.kind as ImportKind } : {}),
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.acceptSkip ? { acceptSkip: opts.acceptSkip } : {}),
      ...(opts.map ? { componentMap: opts.map } : {}),
      ...(opts.replace ? { replace: opts.replace } : {}),
      ...(opts.year !== undefined ? { year: opts.year } : {}),
      onProgress: bar.update,
    },
    folder,
  );
  bar.stop();
  for (const d of plan.diagnostics) (d.severity === 'info' ? console.log : console.error)(formatDiagnostic(d));
  if (plan.status !== 'imported') {
    console.log(`${file}: ${plan.message}`);
    return plan.status === 'already_imported' ? 0 : 2;
  }
  const staged = stage(plan.study, studyDir);
  if (staged.diagnostics.length) {
    staged.discard();
    for (const d of staged.diagnostics) console.error(formatDiagnostic(d));
    console.error(`${file}: rejected: the study would not be valid after the import; nothing was imported`);
    return 2;
  }
  let store: Store | undefined;
  try {
    const targets: EvidenceTarget[] = [folder];
    if (opts.db) {
      store = await openStore(/^postgres(ql)?:\/\//.test(opts.db) ? { url: opts.db } : { dataDir: opts.db });
      await store.migrate();
      targets.push(store);
    }
    await plan.commit(targets, async (s) => {
      if (store) await store.saveStudy(s);
      staged.apply();
    });
  } catch (e) {
    staged.discard();
    throw e;
  } finally {
    await store?.close();
  }
  console.log(`${file}: ${plan.message}`);
  return 0;
}
