/**
 * Which of a study's evidence items are really kept byte for byte. An item with a content hash
 * (`sha256` in evidence.csv) is only a claim until its bytes can be produced: they are retained
 * when the evidence ledger holds a blob with that hash, or when the file its `uri` names inside
 * the study folder exists and hashes to exactly that value. A file that is there but hashes to
 * something else is a problem (named by the item's id), and that file is never counted.
 *
 *   const { retained, problems } = retainedEvidence(dir, study, ledgerShas);
 *   qualifyStudy(study, { law, retained, evidenceProblems: problems });
 *   const files = evidenceFiles(dir, study);   // the bytes, for the audit file
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { folderEvidence } from '../evidence/file-ledger.js';
import { sha256Hex, type LedgerEntry } from '../evidence/ledger.js';
import type { EvidenceItem, Study } from './model.js';

/** An evidence item whose file in the study folder does not match its recorded content hash. */
export interface EvidenceFileProblem {
  /** The evidence item's id. */
  id: string;
  message: string;
}

export interface RetainedEvidence {
  /** SHA-256 values whose bytes are kept (in the ledger, or as a matching file in the study folder). */
  retained: Set<string>;
  problems: EvidenceFileProblem[];
}

/** One evidence file of the study folder whose bytes match the item's recorded hash. */
export interface EvidenceFile {
  sha256: string;
  /** The path inside the study folder, with forward slashes (the item's `uri`). */
  path: string;
  bytes: Uint8Array;
  /** Evidence items with this content. */
  ids: string[];
}

/**
 * The path inside the study folder an item's `uri` names, or undefined when the uri is not a
 * relative path inside the folder (a URL, an absolute path, or one that climbs out with `..`).
 */
export function evidencePath(studyDir: string, uri: string | undefined): string | undefined {
  if (!uri || /^[a-z][a-z0-9+.-]*:/i.test(uri) || isAbsolute(uri) || uri.startsWith('/') || uri.startsWith('\\')) return undefined;
  const root = resolve(studyDir);
  const full = resolve(root, ...uri.split(/[\\/]+/));
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

interface Scan {
  matched: Map<string, { path: string; bytes?: Uint8Array; ids: string[] }>;
  problems: EvidenceFileProblem[];
}

function scan(studyDir: string, evidence: readonly EvidenceItem[], keepBytes: boolean): Scan {
  const matched: Scan['matched'] = new Map();
  const problems: EvidenceFileProblem[] = [];
  const hashOf = new Map<string, string>(); // path → sha256 of its bytes, read once
  for (const e of evidence) {
    if (!e.sha256) continue;
    const path = evidencePath(studyDir, e.uri);
    if (!path) continue;
    const full = resolve(studyDir, ...path.split('/'));
    if (!existsSync(full) || !statSync(full).isFile()) continue;
    let sha = hashOf.get(path);
    let bytes: Uint8Array | undefined;
    if (sha === undefined || (keepBytes && !matched.has(sha))) {
      bytes = readFileSync(full);
      sha = sha256Hex(bytes);
      hashOf.set(path, sha);
    }
    const want = e.sha256.toLowerCase();
    if (sha !== want) {
      problems.push({ id: e.id, message: `evidence ${e.id}: the file ${path} hashes to ${sha.slice(0, 12)}…, not to the recorded ${want.slice(0, 12)}… (the file was changed or replaced)` });
      continue;
    }
    const m = matched.get(sha);
    if (m) {
      if (!m.ids.includes(e.id)) m.ids.push(e.id);
    } else matched.set(sha, { path, ...(keepBytes && bytes ? { bytes } : {}), ids: [e.id] });
  }
  return { matched, problems };
}

/**
 * The evidence of `study` whose bytes are kept: every item's sha256 found in `ledgerShas`, plus
 * every item whose file (its `uri`, inside `studyDir`) hashes to its sha256. Items whose file
 * hashes differently are listed in `problems` and are not retained through that file.
 */
export function retainedEvidence(studyDir: string, study: Pick<Study, 'evidence'>, ledgerShas?: ReadonlySet<string>): RetainedEvidence {
  const evidence = study.evidence ?? [];
  const retained = new Set<string>();
  for (const e of evidence) if (e.sha256 && ledgerShas?.has(e.sha256.toLowerCase())) retained.add(e.sha256.toLowerCase());
  const { matched, problems } = scan(studyDir, evidence, false);
  for (const sha of matched.keys()) retained.add(sha);
  return { retained, problems };
}

/** The study folder's evidence files that match their items' hashes, with their bytes, in path order (for the audit file). */
export function evidenceFiles(studyDir: string, study: Pick<Study, 'evidence'>): { files: EvidenceFile[]; problems: EvidenceFileProblem[] } {
  const { matched, problems } = scan(studyDir, study.evidence ?? [], true);
  const files = [...matched].map(([sha256, m]) => ({ sha256, path: m.path, bytes: m.bytes!, ids: m.ids })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}

/** The content hashes of ledger entries whose stored bytes are there and hash to the entry's sha256. */
export function keptShas(entries: readonly Pick<LedgerEntry, 'sha256'>[], blob: (sha256: string) => Uint8Array | undefined): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    if (out.has(e.sha256)) continue;
    const b = blob(e.sha256);
    if (b && sha256Hex(b) === e.sha256) out.add(e.sha256);
  }
  return out;
}

/** The content hashes kept in a study folder's own ledger (`.rdcredit/ledger`); empty when the folder has none (nothing is created). */
export async function folderLedgerShas(studyDir: string): Promise<Set<string>> {
  if (!existsSync(join(studyDir, '.rdcredit', 'ledger'))) return new Set();
  const { entries, blobs } = await folderEvidence(studyDir).ledger.snapshot();
  return keptShas(entries, (s) => blobs.get(s));
}
