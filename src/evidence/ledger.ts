/**
 * The evidence ledger: every imported file (and later every evidence item) kept byte for byte,
 * addressed by SHA-256, in an append-only hash chain. Each entry's hash covers the previous
 * entry's hash, its own fields and the content hash, so a changed blob, a removed, reordered or
 * edited entry is detected by {@link verifyLedger}, which names the entry.
 *
 * The ledger logic is here; where the entries and blobs live is a {@link LedgerStorage}
 * (the store implements it over PostgreSQL/PGlite; tests may use {@link MemoryLedgerStorage}).
 */
import { createHash } from 'node:crypto';

/** Hash of "no previous entry". */
export const GENESIS_HASH = '0'.repeat(64);

export interface LedgerEntryFields {
  /** Position in the chain, 1-based, without gaps. */
  seq: number;
  /** When the bytes were received (ISO 8601 instant, as recorded). */
  receivedAt: string;
  /** File name as received. */
  name: string;
  /** What it is: an import kind (time, payroll, w2, cloud, …) or an evidence kind. */
  kind: string;
  /** The date the item claims for itself (document date, export date), as written; undefined = none. */
  claimedDate?: string;
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string;
  size: number;
  firmId?: string;
  studyId?: string;
  prevHash: string;
}

export interface LedgerEntry extends LedgerEntryFields {
  hash: string;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The hash of an entry: SHA-256 over a fixed, versioned serialisation of its fields. */
export function entryHash(f: LedgerEntryFields): string {
  const canonical = JSON.stringify([
    'rdcredit-ledger-v1',
    f.seq,
    f.prevHash,
    f.receivedAt,
    f.name,
    f.kind,
    f.claimedDate ?? null,
    f.sha256,
    f.size,
    f.firmId ?? null,
    f.studyId ?? null,
  ]);
  return sha256Hex(canonical);
}

export type LedgerProblemKind = 'out_of_order' | 'missing_entry' | 'chain_broken' | 'entry_edited' | 'blob_missing' | 'blob_changed' | 'head_mismatch';

export interface LedgerProblem {
  kind: LedgerProblemKind;
  /** The entry concerned (its recorded seq) and its position in the list given. */
  seq: number;
  index: number;
  name?: string;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  problems: LedgerProblem[];
}

/**
 * Verifies a ledger, pure: `entries` in stored order (by seq), `blobOf(sha)` the stored bytes.
 * Checks that seqs run 1, 2, 3… (a gap = a removed entry; a step back = reordered), that each
 * entry links to the previous one's hash, that each entry's hash matches its fields (an edited
 * field), and that each blob's bytes still hash to the entry's sha256 (a changed blob).
 * `expectedHead`, the last hash recorded elsewhere (a report, a filed return), also catches a
 * rewrite of the whole chain or the removal of the last entries.
 */
export function verifyLedger(entries: readonly LedgerEntry[], blobOf: (sha256: string) => Uint8Array | undefined, opts: { expectedHead?: string } = {}): VerifyResult {
  const problems: LedgerProblem[] = [];
  let prev: LedgerEntry | undefined;
  entries.forEach((e, index) => {
    const at = { seq: e.seq, index, name: e.name };
    const expectedSeq = prev ? prev.seq + 1 : 1;
    if (prev && e.seq <= prev.seq) problems.push({ kind: 'out_of_order', ...at, message: `entry ${e.seq} (${e.name}) comes after entry ${prev.seq}: entries were reordered` });
    else if (e.seq !== expectedSeq) problems.push({ kind: 'missing_entry', ...at, message: `entry ${e.seq} (${e.name}) follows ${prev ? `entry ${prev.seq}` : 'the start'}: ${e.seq - expectedSeq} entr${e.seq - expectedSeq === 1 ? 'y is' : 'ies are'} missing before it` });
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (e.prevHash !== expectedPrev) problems.push({ kind: 'chain_broken', ...at, message: `entry ${e.seq} (${e.name}) does not link to the entry before it (previous hash ${e.prevHash.slice(0, 12)}…, expected ${expectedPrev.slice(0, 12)}…)` });
    if (entryHash(e) !== e.hash) problems.push({ kind: 'entry_edited', ...at, message: `entry ${e.seq} (${e.name}): its fields no longer match its hash (a field was edited)` });
    const bytes = blobOf(e.sha256);
    if (!bytes) problems.push({ kind: 'blob_missing', ...at, message: `entry ${e.seq} (${e.name}): the content ${e.sha256.slice(0, 12)}… is missing` });
    else if (sha256Hex(bytes) !== e.sha256 || bytes.byteLength !== e.size) problems.push({ kind: 'blob_changed', ...at, message: `entry ${e.seq} (${e.name}): the stored bytes no longer hash to ${e.sha256.slice(0, 12)}… (the content was changed)` });
    prev = e;
  });
  const head = entries.length ? entries[entries.length - 1]!.hash : GENESIS_HASH;
  if (opts.expectedHead !== undefined && opts.expectedHead !== head) {
    const last = entries[entries.length - 1];
    problems.push({ kind: 'head_mismatch', seq: last?.seq ?? 0, index: entries.length - 1, message: `the ledger ends at ${head.slice(0, 12)}…, not at the expected head ${opts.expectedHead.slice(0, 12)}… (entries removed from the end, or the chain rewritten)` });
  }
  return { ok: problems.length === 0, entries: entries.length, problems };
}

/** Operations the ledger needs from storage inside one exclusive transaction. */
export interface LedgerTx {
  head(): Promise<LedgerEntry | undefined>;
  /** The first entry with this content, if any. */
  findBySha(sha256: string): Promise<LedgerEntry | undefined>;
  /** Inserts the blob (unless present) and the entry, atomically with the rest of the transaction. */
  insert(entry: LedgerEntry, bytes: Uint8Array): Promise<void>;
}

export interface LedgerStorage {
  /** Runs `fn` with exclusive access to the chain (no concurrent append). */
  exclusive<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T>;
  entries(): Promise<LedgerEntry[]>;
  blob(sha256: string): Promise<Uint8Array | undefined>;
}

export interface AppendInput {
  name: string;
  kind: string;
  claimedDate?: string;
  /** Default: now. */
  receivedAt?: string;
  firmId?: string;
  studyId?: string;
}

export interface AppendResult {
  entry: LedgerEntry;
  /** True when the same bytes were already in the ledger: nothing was added, `entry` is the first one. */
  alreadyPresent: boolean;
}

function chained(head: LedgerEntry | undefined, sha256: string, size: number, input: AppendInput): LedgerEntry {
  const fields: LedgerEntryFields = {
    seq: head ? head.seq + 1 : 1,
    receivedAt: input.receivedAt ?? new Date().toISOString(),
    name: input.name,
    kind: input.kind,
    ...(input.claimedDate !== undefined ? { claimedDate: input.claimedDate } : {}),
    sha256,
    size,
    ...(input.firmId !== undefined ? { firmId: input.firmId } : {}),
    ...(input.studyId !== undefined ? { studyId: input.studyId } : {}),
    prevHash: head ? head.hash : GENESIS_HASH,
  };
  return { ...fields, hash: entryHash(fields) };
}

export class Ledger {
  constructor(private readonly storage: LedgerStorage) {}

  /** Appends `bytes` as a new entry, or reports it as already present (same SHA-256). */
  async append(bytes: Uint8Array, input: AppendInput): Promise<AppendResult> {
    const sha256 = sha256Hex(bytes);
    return this.storage.exclusive(async (tx) => {
      const existing = await tx.findBySha(sha256);
      if (existing) return { entry: existing, alreadyPresent: true };
      const entry = chained(await tx.head(), sha256, bytes.byteLength, input);
      await tx.insert(entry, bytes);
      return { entry, alreadyPresent: false };
    });
  }

  /**
   * Appends several items in one exclusive transaction (all or none), in order. Items whose bytes
   * are already in the ledger (or repeat an earlier item of the same call) add no entry.
   */
  async appendMany(items: readonly { bytes: Uint8Array; input: AppendInput }[]): Promise<AppendResult[]> {
    return this.storage.exclusive(async (tx) => {
      const out: AppendResult[] = [];
      const added = new Map<string, LedgerEntry>();
      let head = await tx.head();
      for (const { bytes, input } of items) {
        const sha256 = sha256Hex(bytes);
        const existing = added.get(sha256) ?? (await tx.findBySha(sha256));
        if (existing) {
          out.push({ entry: existing, alreadyPresent: true });
          continue;
        }
        const entry = chained(head, sha256, bytes.byteLength, input);
        await tx.insert(entry, bytes);
        added.set(sha256, entry);
        head = entry;
        out.push({ entry, alreadyPresent: false });
      }
      return out;
    });
  }

  entries(): Promise<LedgerEntry[]> {
    return this.storage.entries();
  }

  blob(sha256: string): Promise<Uint8Array | undefined> {
    return this.storage.blob(sha256);
  }

  /** Every entry in order and the stored bytes of each content hash (read once per hash). */
  async snapshot(): Promise<{ entries: LedgerEntry[]; blobs: Map<string, Uint8Array> }> {
    const entries = await this.storage.entries();
    const blobs = new Map<string, Uint8Array>();
    for (const e of entries) {
      if (blobs.has(e.sha256)) continue;
      const b = await this.storage.blob(e.sha256);
      if (b) blobs.set(e.sha256, b);
    }
    return { entries, blobs };
  }

  /** Reads everything and runs {@link verifyLedger}. */
  async verify(opts: { expectedHead?: string } = {}): Promise<VerifyResult> {
    const { entries, blobs } = await this.snapshot();
    return verifyLedger(entries, (s) => blobs.get(s), opts);
  }
}

/** In-memory storage, for tests and dry runs. */
export class MemoryLedgerStorage implements LedgerStorage {
  readonly list: LedgerEntry[] = [];
  readonly blobs = new Map<string, Uint8Array>();
  private lock: Promise<unknown> = Promise.resolve();
  exclusive<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T> {
    const run = this.lock.then(() =>
      fn({
        head: async () => this.list[this.list.length - 1],
        findBySha: async (s) => this.list.find((e) => e.sha256 === s),
        insert: async (e, b) => {
          if (!this.blobs.has(e.sha256)) this.blobs.set(e.sha256, new Uint8Array(b));
          this.list.push(e);
        },
      }),
    );
    this.lock = run.catch(() => undefined);
    return run;
  }
  async entries(): Promise<LedgerEntry[]> {
    return [...this.list];
  }
  async blob(s: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(s);
  }
}
