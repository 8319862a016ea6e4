/**
 * Evidence: the append-only, hash-chained ledger of everything received (src/evidence/ledger.ts).
 *
 * - {@link Ledger}: `append(bytes, { name, kind, claimedDate?, receivedAt?, firmId?, studyId? })`
 *   → `{ entry, alreadyPresent }`; `entries()`; `blob(sha)`; `verify()`.
 * - {@link verifyLedger}: the pure check that names each changed blob, removed, reordered or edited entry.
 * - {@link LedgerStorage}: where entries and blobs live (the store provides one: `store.ledger`).
 */
export {
  Ledger,
  MemoryLedgerStorage,
  verifyLedger,
  entryHash,
  sha256Hex,
  GENESIS_HASH,
  type AppendInput,
  type AppendResult,
  type LedgerEntry,
  type LedgerEntryFields,
  type LedgerProblem,
  type LedgerProblemKind,
  type LedgerStorage,
  type LedgerTx,
  type VerifyResult,
} from './ledger.js';
export { FileLedgerStorage, FileImportLog, folderEvidence, type EvidenceTarget, type ImportLog, type ImportLogEntry } from './file-ledger.js';
