/**
 * The evidence ledger and import log of a study folder, kept as plain files under
 * `<study>/.rdcredit/`:
 *
 *   ledger/entries.jsonl        one LedgerEntry per line (the hash chain), appended only
 *   ledger/blobs/<sha256>       the bytes, named by their SHA-256 (written once, never rewritten)
 *   imports.jsonl               one ImportLogEntry per line: which ledger file was imported into
 *                               the study, with the options used, so its rows can be rebuilt
 *
 * Appends take a lock file (`ledger/lock`, created exclusively) so two processes cannot extend the
 * chain at once. A line is written with one append call ending in a newline; a torn last line (a
 * crash mid-write) is ignored on reading and verification then reports nothing lost from before it.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger, type LedgerEntry, type LedgerStorage, type LedgerTx } from './ledger.js';

/** One file imported into a study (the raw bytes are the ledger entry `ledgerSeq`, content `sha256`). */
export interface ImportLogEntry {
  studyId: string;
  /** 1, 2, 3… per study. */
  seq: number;
  sha256: string;
  ledgerSeq: number;
  /** File name as imported. */
  name: string;
  /** Import kind (time, payroll, w2, ledger, contractors, cloud, mlflow, git). */
  kind: string;
  /** Header profile that matched (e.g. rdcredit-time). */
  profile: string;
  /** The importer options used (kind, profile, year, acceptSkip, delimiter, encoding, and the component map's content). */
  options: Record<string, unknown>;
  /** When the bytes were received (ISO 8601). */
  receivedAt: string;
  /** Number of records merged into the study, by list (time, employees, evidence, …). */
  records: Record<string, number>;
}

/** Where a study's import log lives (a file next to the folder ledger, or the store's raw_import table). */
export interface ImportLog {
  list(studyId: string): Promise<ImportLogEntry[]>;
  /** Appends one entry; refuses a second entry for the same study and sha256. */
  append(entry: Omit<ImportLogEntry, 'seq'>): Promise<ImportLogEntry>;
}

/** A ledger and an import log: what `rdcredit import` writes to and `rebuildFromLedger` reads. */
export interface EvidenceTarget {
  readonly ledger: Ledger;
  readonly imports: ImportLog;
}

function readJsonl<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // a torn last line from an interrupted append: not part of the record
    }
  }
  return out;
}

/** Runs `fn` holding an exclusive lock file (waits up to ~10 s for another process). */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than a minute was left by a crashed process.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) rmSync(lock, { force: true });
      else if (Date.now() - start > 10_000) throw new Error(`the ledger at ${lock} is locked by another process`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export class FileLedgerStorage implements LedgerStorage {
  private chain: Promise<unknown> = Promise.resolve();
  constructor(readonly dir: string) {}

  private get entriesPath(): string {
    return join(this.dir, 'entries.jsonl');
  }
  private blobPath(sha: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`not a SHA-256: ${sha}`);
    return join(this.dir, 'blobs', sha);
  }

  exclusive<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      mkdirSync(join(this.dir, 'blobs'), { recursive: true });
      return withLock(join(this.dir, 'lock'), async () => {
        const list = readJsonl<LedgerEntry>(this.entriesPath);
        const pending: { entry: LedgerEntry; bytes: Uint8Array }[] = [];
        const all = () => [...list, ...pending.map((p) => p.entry)];
        const out = await fn({
          head: async () => all()[all().length - 1],
          findBySha: async (sha) => all().find((e) => e.sha256 === sha),
          insert: async (entry, bytes) => {
            pending.push({ entry, bytes });
          },
        });
        // Commit: blobs first (each written to a temporary name, then renamed), then the entries in one append.
        for (const { entry, bytes } of pending) {
          const p = this.blobPath(entry.sha256);
          if (existsSync(p)) continue;
          writeFileSync(`${p}.tmp`, bytes);
          renameSync(`${p}.tmp`, p);
        }
        if (pending.length) appendFileSync(this.entriesPath, pending.map((p) => JSON.stringify(p.entry) + '\n').join(''));
        return out;
      });
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async entries(): Promise<LedgerEntry[]> {
    return readJsonl<LedgerEntry>(this.entriesPath);
  }

  async blob(sha: string): Promise<Uint8Array | undefined> {
    const p = this.blobPath(sha);
    return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
  }
}

export class FileImportLog implements ImportLog {
  constructor(readonly path: string) {}
  async list(studyId: string): Promise<ImportLogEntry[]> {
    return readJsonl<ImportLogEntry>(this.path).filter((e) => e.studyId === studyId);
  }
  async append(entry: Omit<ImportLogEntry, 'seq'>): Promise<ImportLogEntry> {
    const mine = await this.list(entry.studyId);
    if (mine.some((e) => e.sha256 === entry.sha256)) throw new Error(`${entry.name} (${entry.sha256.slice(0, 12)}…) is already in the import log of study ${entry.studyId}`);
    const full: ImportLogEntry = { ...entry, seq: mine.length + 1 };
    appendFileSync(this.path, JSON.stringify(full) + '\n');
    return full;
  }
}

/** The ledger and import log of a study folder, under `<study>/.rdcredit/`. */
export function folderEvidence(studyDir: string): EvidenceTarget & { dir: string } {
  const dir = join(studyDir, '.rdcredit');
  mkdirSync(dir, { recursive: true });
  return { dir, ledger: new Ledger(new FileLedgerStorage(join(dir, 'ledger'))), imports: new FileImportLog(join(dir, 'imports.jsonl')) };
}
