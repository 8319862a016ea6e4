/**
 * The audit file (docs/audit-file.md): one zip an examiner can take away and check without
 * rdcredit — the study report (PDF, HTML), the forms, the workpapers, the evidence ledger manifest
 * and the raw imported files byte for byte, the study folder's evidence files (evidence/…), the
 * result as JSON, a README, and a MANIFEST with the
 * SHA-256 of every member and a root hash over the list.
 *
 *   const zip = buildAuditFile({ result, reportPdf, reportHtml, forms, workpapers, ledger, createdAt });
 *   const { ok, problems } = verifyAuditFile(zip, { expectedRootHash });
 *
 * Members are stored uncompressed, so a changed byte changes exactly that member's hash and the
 * file opens with any zip tool; the order of members is the order of the MANIFEST.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { GENESIS_HASH, sha256Hex, verifyLedger, type LedgerEntry } from '../../evidence/ledger.js';
import { toJsonDocument } from '../../study/compute/output.js';
import type { StudyResult } from '../../study/compute/result.js';
import type { EvidenceItem } from '../../study/model.js';

export const AUDIT_FORMAT = 'rdcredit-audit-v1';
export const MANIFEST_JSON = 'MANIFEST.json';
export const MANIFEST_SHA256 = 'MANIFEST.sha256';
export const README = 'README.txt';
export const LEDGER_MANIFEST = 'ledger/manifest.json';
export const LEDGER_CSV = 'ledger/manifest.csv';
export const EVIDENCE_DIR = 'evidence/';

export interface AuditParts {
  result: StudyResult;
  /** The rendered study report (the report module's output, as bytes). */
  reportPdf?: Uint8Array;
  reportHtml?: Uint8Array | string;
  /** Rendered forms: file name → bytes ("f6765.pdf", "f6765.csv", "id67.json", …). */
  forms?: Record<string, Uint8Array | string>;
  /** The XLSX workpapers (writeWorkpapers). */
  workpapers?: Uint8Array;
  /** A refund-claim packet, when the audit file supports an amended return: file name → bytes. */
  refund?: Record<string, Uint8Array | string>;
  /** The evidence ledger: entries in seq order and the stored bytes of each. */
  ledger: { entries: readonly LedgerEntry[]; blob(sha256: string): Uint8Array | undefined };
  /** Evidence items of the study (for the manifest: what each ledger item is). */
  evidence?: readonly EvidenceItem[];
  /**
   * The study folder's evidence files, byte for byte (each already checked against the SHA-256 its
   * item records: evidenceFiles in src/study/evidence-files.ts). `path` is the item's uri inside the
   * study folder. Each is stored as `evidence/<path>` unless the ledger already holds the same bytes.
   */
  evidenceFiles?: readonly AuditEvidenceFile[];
  /** ISO timestamp written into the manifest (default: none, so equal inputs give equal bytes). */
  createdAt?: string;
  preparedBy?: string;
}

export interface AuditEvidenceFile {
  sha256: string;
  path: string;
  bytes: Uint8Array;
}

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface AuditManifest {
  format: typeof AUDIT_FORMAT;
  createdAt?: string;
  preparedBy?: string;
  study: { id: string; title: string; taxpayer: string; ein?: string; period: { start: string; end: string } };
  /** Hash of the last ledger entry included (the chain's head). */
  ledgerHead: string;
  ledgerEntries: number;
  /** Every member except MANIFEST.json and MANIFEST.sha256, in zip order. */
  files: ManifestFile[];
  /** SHA-256 of the lines "<sha256>  <path>\n" of `files`, in order (the MANIFEST.sha256 text). */
  rootHash: string;
}

export interface LedgerManifestEntry {
  seq: number;
  name: string;
  kind: string;
  sha256: string;
  size: number;
  /** Capture time: when rdcredit received the bytes. */
  receivedAt: string;
  /** The date the item claims for itself. */
  claimedDate?: string;
  prevHash: string;
  hash: string;
  firmId?: string;
  studyId?: string;
  /** Where the bytes are in this zip; absent when the ledger had no bytes for the entry. */
  path?: string;
  /** Evidence items of the study whose content this is. */
  evidenceIds?: string[];
}

export interface LedgerManifest {
  format: 'rdcredit-ledger-manifest-v1';
  head: string;
  entries: LedgerManifestEntry[];
  /** Evidence items of the study, with their ledger entry when captured and `path`, where their bytes are in this zip (ledger/files/… or evidence/…). */
  evidence: { id: string; kind: string; title: string; sha256?: string; capturedAt?: string; claimedDate?: string; ledgerSeq?: number; componentIds: string[]; employeeIds: string[]; uri?: string; path?: string }[];
}

const enc = (x: Uint8Array | string): Uint8Array => (typeof x === 'string' ? strToU8(x) : x);

/** "sha  path" lines, the text of MANIFEST.sha256 (checkable with `sha256sum -c`). */
export function manifestLines(files: readonly ManifestFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export function rootHashOf(files: readonly ManifestFile[]): string {
  return sha256Hex(manifestLines(files));
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'file';
}

/** A zip path for an evidence file: its path in the study folder under evidence/ (no "evidence/evidence/"), each segment made safe. */
function evidenceZipPath(path: string): string {
  const segs = path
    .split(/[\\/]+/)
    .filter((x) => x !== '' && x !== '.')
    .map((x) => (x === '..' ? '_' : safeName(x)));
  if (segs[0] === 'evidence') segs.shift();
  return EVIDENCE_DIR + (segs.join('/') || 'file');
}

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function readme(parts: AuditParts, members: string[]): string {
  const r = parts.result;
  const describe = (p: string): string => {
    if (p === README) return 'this file';
    if (p.startsWith('report/') && p.endsWith('.pdf')) return 'the research credit study report (PDF)';
    if (p.startsWith('report/')) return 'the same report as HTML';
    if (p.startsWith('forms/')) return 'a rendered form (Form 6765, Form 8974, Idaho Form 67) as produced for the return';
    if (p.startsWith('workpapers/')) return 'the XLSX workpapers: schedules with sources, forms with live formulas';
    if (p.startsWith('refund/')) return 'the refund-claim packet: the items of information for a research credit claim for refund';
    if (p === LEDGER_MANIFEST) return 'the evidence ledger: every entry with seq, SHA-256, previous hash, entry hash, capture time and claimed date';
    if (p === LEDGER_CSV) return 'the same ledger entries as CSV';
    if (p.startsWith('ledger/files/')) return 'a raw imported file or evidence item, byte for byte as received';
    if (p.startsWith(EVIDENCE_DIR)) return 'an evidence item from the study folder, byte for byte; its SHA-256 is the one its item records';
    if (p === 'result/result.json') return 'the computed result (QREs, credits, every form line, review flags, missing information)';
    return '';
  };
  const lines = [
    `AUDIT FILE — ${r.study.title}`,
    `${r.study.taxpayer}${r.study.ein ? `, EIN ${r.study.ein}` : ''}; tax year ${r.study.period.start} to ${r.study.period.end}`,
    parts.preparedBy ? `Prepared by ${parts.preparedBy}${parts.createdAt ? ` on ${parts.createdAt}` : ''}` : parts.createdAt ? `Prepared on ${parts.createdAt}` : '',
    '',
    'WHAT IS IN THIS FILE',
    ...members.map((m) => `  ${m}${describe(m) ? ` — ${describe(m)}` : ''}`),
    `  ${MANIFEST_SHA256} — the SHA-256 of every file above, one line each`,
    `  ${MANIFEST_JSON} — the same list with sizes, the root hash and the ledger head`,
    '',
    'HOW TO VERIFY (no rdcredit needed)',
    `  1. Unzip, then in the unzipped folder run:  sha256sum -c ${MANIFEST_SHA256}`,
    '     Every line must say OK. A changed file fails; a removed file is reported missing.',
    `  2. The root hash is the SHA-256 of ${MANIFEST_SHA256} itself:  sha256sum ${MANIFEST_SHA256}`,
    `     It must equal "rootHash" in ${MANIFEST_JSON} and the root hash the preparer recorded`,
    '     with the return or report (that outside record is what makes a rewritten manifest detectable).',
    `  3. No file may be in the zip that is not listed, and the files appear in the zip in the listed order.`,
    '  4. The evidence ledger is a hash chain. For each entry in ledger/manifest.json, in seq order:',
    '       - seq runs 1, 2, 3, … without gaps; prevHash equals the previous entry\'s hash (the first: 64 zeros);',
    '       - hash = SHA-256 of the JSON array ["rdcredit-ledger-v1", seq, prevHash, receivedAt, name, kind,',
    '         claimedDate or null, sha256, size, firmId or null, studyId or null] (no spaces);',
    '       - the file at "path" hashes to sha256 and has "size" bytes.',
    '     receivedAt is when rdcredit captured the item; claimedDate is the date the item claims for itself.',
    `  5. Each evidence item in ${LEDGER_MANIFEST} with a "path": the file at that path hashes to the item\'s sha256.`,
    '  6. Or run:  rdcredit verify <this zip>   (prints a pass/fail line for each check).',
    '',
    'Amounts in the forms are whole dollars; "unknown" (or null in JSON) means a fact is missing and is listed',
    'under "missing" in result/result.json — it is never a zero.',
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n') + '\n';
}

/** Builds the audit zip. Deterministic: the same parts give the same bytes. */
export function buildAuditFile(parts: AuditParts): Uint8Array {
  const files: [string, Uint8Array][] = [];
  if (parts.reportPdf) files.push(['report/study-report.pdf', parts.reportPdf]);
  if (parts.reportHtml !== undefined) files.push(['report/study-report.html', enc(parts.reportHtml)]);
  for (const [name, bytes] of Object.entries(parts.forms ?? {}).sort(([a], [b]) => a.localeCompare(b))) files.push([`forms/${safeName(name)}`, enc(bytes)]);
  if (parts.workpapers) files.push(['workpapers/workpapers.xlsx', parts.workpapers]);
  for (const [name, bytes] of Object.entries(parts.refund ?? {}).sort(([a], [b]) => a.localeCompare(b))) files.push([`refund/${safeName(name)}`, enc(bytes)]);

  const bySha = new Map<string, EvidenceItem[]>();
  for (const e of parts.evidence ?? []) if (e.sha256) bySha.set(e.sha256, [...(bySha.get(e.sha256) ?? []), e]);
  const entries: LedgerManifestEntry[] = [];
  const raw: [string, Uint8Array][] = [];
  const seen = new Map<string, string>();
  for (const e of parts.ledger.entries) {
    const bytes = parts.ledger.blob(e.sha256);
    let path = seen.get(e.sha256);
    if (!path && bytes) {
      path = `ledger/files/${String(e.seq).padStart(6, '0')}-${safeName(e.name)}`;
      seen.set(e.sha256, path);
      raw.push([path, bytes]);
    }
    const ev = bySha.get(e.sha256)?.map((x) => x.id);
    entries.push({
      seq: e.seq,
      name: e.name,
      kind: e.kind,
      sha256: e.sha256,
      size: e.size,
      receivedAt: e.receivedAt,
      ...(e.claimedDate !== undefined ? { claimedDate: e.claimedDate } : {}),
      prevHash: e.prevHash,
      hash: e.hash,
      ...(e.firmId !== undefined ? { firmId: e.firmId } : {}),
      ...(e.studyId !== undefined ? { studyId: e.studyId } : {}),
      ...(path ? { path } : {}),
      ...(ev?.length ? { evidenceIds: ev } : {}),
    });
  }
  // The study folder's evidence files whose bytes the ledger does not already hold.
  const evidenceRaw: [string, Uint8Array][] = [];
  const taken = new Set<string>();
  for (const f of [...(parts.evidenceFiles ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (seen.has(f.sha256)) continue;
    let path = evidenceZipPath(f.path);
    if (taken.has(path)) path = evidenceZipPath(`${f.sha256.slice(0, 12)}-${f.path.replace(/[\\/]+/g, '_')}`);
    taken.add(path);
    seen.set(f.sha256, path);
    evidenceRaw.push([path, f.bytes]);
  }
  const head = parts.ledger.entries.length ? parts.ledger.entries[parts.ledger.entries.length - 1]!.hash : GENESIS_HASH;
  const seqOf = new Map(parts.ledger.entries.map((e) => [e.sha256, e.seq]));
  const lm: LedgerManifest = {
    format: 'rdcredit-ledger-manifest-v1',
    head,
    entries,
    evidence: (parts.evidence ?? []).map((e) => ({
      id: e.id,
      kind: e.kind,
      title: e.title,
      ...(e.sha256 ? { sha256: e.sha256 } : {}),
      ...(e.capturedAt ? { capturedAt: e.capturedAt } : {}),
      ...(e.claimedDate ? { claimedDate: e.claimedDate } : {}),
      ...(e.sha256 && seqOf.has(e.sha256) ? { ledgerSeq: seqOf.get(e.sha256)! } : {}),
      componentIds: e.componentIds,
      employeeIds: e.employeeIds,
      ...(e.uri ? { uri: e.uri } : {}),
      ...(e.sha256 && seen.has(e.sha256) ? { path: seen.get(e.sha256)! } : {}),
    })),
  };
  files.push([LEDGER_MANIFEST, strToU8(JSON.stringify(lm, null, 2) + '\n')]);
  const cols = ['seq', 'name', 'kind', 'sha256', 'size', 'receivedAt', 'claimedDate', 'prevHash', 'hash', 'path', 'evidenceIds'] as const;
  const csv = [cols.join(','), ...entries.map((e) => cols.map((c) => csvCell(c === 'evidenceIds' ? e.evidenceIds?.join(' ') : e[c])).join(','))].join('\n') + '\n';
  files.push([LEDGER_CSV, strToU8(csv)]);
  files.push(...raw);
  files.push(...evidenceRaw);
  files.push(['result/result.json', strToU8(JSON.stringify(toJsonDocument(parts.result), null, 2) + '\n')]);

  const members = [README, ...files.map(([p]) => p)];
  const all: [string, Uint8Array][] = [[README, strToU8(readme(parts, members))], ...files];
  const list: ManifestFile[] = all.map(([path, bytes]) => ({ path, size: bytes.byteLength, sha256: sha256Hex(bytes) }));
  const r = parts.result.study;
  const manifest: AuditManifest = {
    format: AUDIT_FORMAT,
    ...(parts.createdAt ? { createdAt: parts.createdAt } : {}),
    ...(parts.preparedBy ? { preparedBy: parts.preparedBy } : {}),
    study: { id: r.id, title: r.title, taxpayer: r.taxpayer, ...(r.ein ? { ein: r.ein } : {}), period: r.period },
    ledgerHead: head,
    ledgerEntries: parts.ledger.entries.length,
    files: list,
    rootHash: rootHashOf(list),
  };
  const zip: Zippable = {};
  const mtime = new Date('1980-01-01T00:00:00Z');
  for (const [p, b] of all) zip[p] = [b, { level: 0, mtime }];
  zip[MANIFEST_SHA256] = [strToU8(manifestLines(list)), { level: 0, mtime }];
  zip[MANIFEST_JSON] = [strToU8(JSON.stringify(manifest, null, 2) + '\n'), { level: 0, mtime }];
  return zipSync(zip);
}

export type AuditProblemKind =
  | 'unreadable'
  | 'manifest_missing'
  | 'manifest_invalid'
  | 'root_hash'
  | 'root_hash_expected'
  | 'sha256_list'
  | 'file_changed'
  | 'file_missing'
  | 'file_added'
  | 'order'
  | 'ledger_manifest'
  | 'ledger'
  | 'ledger_head'
  | 'evidence_file';

export interface AuditProblem {
  kind: AuditProblemKind;
  path?: string;
  message: string;
}

export interface AuditCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  problems: AuditProblem[];
  /** One line per check, for a pass/fail list. */
  checks: AuditCheck[];
  manifest?: AuditManifest;
}

/**
 * Verifies an audit zip: every listed file present with its size and SHA-256, nothing added,
 * the zip order equal to the list, the root hash (and `expectedRootHash`, recorded elsewhere),
 * MANIFEST.sha256 equal to the list, and the evidence ledger's chain (seq, links, entry hashes,
 * raw files) ending at the head the manifest names.
 */
export function verifyAuditFile(bytes: Uint8Array, opts: { expectedRootHash?: string } = {}): AuditVerifyResult {
  const problems: AuditProblem[] = [];
  const checks: AuditCheck[] = [];
  const check = (name: string, found: AuditProblem[]) => {
    problems.push(...found);
    checks.push({ name, ok: found.length === 0, ...(found.length ? { detail: found.map((p) => p.message).join('; ') } : {}) });
  };
  let zip: Record<string, Uint8Array>;
  try {
    zip = unzipSync(bytes);
  } catch (e) {
    check('the zip can be read', [{ kind: 'unreadable', message: `not a readable zip: ${(e as Error).message}` }]);
    return { ok: false, problems, checks };
  }
  const mbytes = zip[MANIFEST_JSON];
  if (!mbytes) {
    check('MANIFEST.json is present', [{ kind: 'manifest_missing', message: 'MANIFEST.json is missing' }]);
    return { ok: false, problems, checks };
  }
  let manifest: AuditManifest;
  try {
    manifest = JSON.parse(strFromU8(mbytes)) as AuditManifest;
    if (manifest.format !== AUDIT_FORMAT || !Array.isArray(manifest.files)) throw new Error(`format is not ${AUDIT_FORMAT}`);
  } catch (e) {
    check('MANIFEST.json is valid', [{ kind: 'manifest_invalid', message: `MANIFEST.json cannot be read: ${(e as Error).message}` }]);
    return { ok: false, problems, checks };
  }

  const root = rootHashOf(manifest.files);
  check('root hash matches the file list', root === manifest.rootHash ? [] : [{ kind: 'root_hash', message: `the file list hashes to ${root.slice(0, 16)}…, not to the recorded root hash ${String(manifest.rootHash).slice(0, 16)}… (the manifest was edited or reordered)` }]);
  if (opts.expectedRootHash !== undefined)
    check('root hash is the one recorded outside the file', manifest.rootHash === opts.expectedRootHash ? [] : [{ kind: 'root_hash_expected', message: `root hash ${String(manifest.rootHash).slice(0, 16)}… is not the expected ${opts.expectedRootHash.slice(0, 16)}…` }]);
  const shaList = zip[MANIFEST_SHA256];
  check(
    'MANIFEST.sha256 lists the same files and hashes',
    shaList && strFromU8(shaList) === manifestLines(manifest.files) ? [] : [{ kind: 'sha256_list', path: MANIFEST_SHA256, message: shaList ? 'MANIFEST.sha256 differs from the list in MANIFEST.json' : 'MANIFEST.sha256 is missing' }],
  );

  const fileProblems: AuditProblem[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const b = zip[f.path];
    if (!b) fileProblems.push({ kind: 'file_missing', path: f.path, message: `${f.path} is listed but not in the zip (removed)` });
    else if (b.byteLength !== f.size || sha256Hex(b) !== f.sha256) fileProblems.push({ kind: 'file_changed', path: f.path, message: `${f.path} does not hash to its listed SHA-256 (changed)` });
  }
  check('every listed file is present and unchanged', fileProblems);
  const members = Object.keys(zip).filter((p) => p !== MANIFEST_JSON && p !== MANIFEST_SHA256 && !p.endsWith('/'));
  check(
    'no file was added',
    members.filter((p) => !listed.has(p)).map((p) => ({ kind: 'file_added' as const, path: p, message: `${p} is in the zip but not in the manifest (added)` })),
  );
  const inZip = members.filter((p) => listed.has(p));
  const inList = manifest.files.map((f) => f.path).filter((p) => p in zip);
  const firstDiff = inZip.findIndex((p, i) => p !== inList[i]);
  check('files are in the listed order', firstDiff < 0 ? [] : [{ kind: 'order', path: inZip[firstDiff], message: `the zip holds ${inZip[firstDiff]} where the manifest lists ${inList[firstDiff]} (reordered)` }]);

  // the evidence ledger
  const lb = zip[LEDGER_MANIFEST];
  let lm: LedgerManifest | undefined;
  try {
    if (lb) lm = JSON.parse(strFromU8(lb)) as LedgerManifest;
  } catch {
    lm = undefined;
  }
  if (!lm || !Array.isArray(lm.entries)) check('ledger manifest is present', [{ kind: 'ledger_manifest', path: LEDGER_MANIFEST, message: 'ledger/manifest.json is missing or not valid JSON' }]);
  else {
    const entries: LedgerEntry[] = lm.entries.map((e) => ({
      seq: e.seq,
      receivedAt: e.receivedAt,
      name: e.name,
      kind: e.kind,
      ...(e.claimedDate !== undefined ? { claimedDate: e.claimedDate } : {}),
      sha256: e.sha256,
      size: e.size,
      ...(e.firmId !== undefined ? { firmId: e.firmId } : {}),
      ...(e.studyId !== undefined ? { studyId: e.studyId } : {}),
      prevHash: e.prevHash,
      hash: e.hash,
    }));
    const pathOf = new Map(lm.entries.filter((e) => e.path).map((e) => [e.sha256, e.path!]));
    const v = verifyLedger(entries, (sha) => {
      const p = pathOf.get(sha);
      return p ? zip[p] : undefined;
    }, { expectedHead: manifest.ledgerHead });
    check(`evidence ledger chain (${entries.length} entries)`, v.problems.map((p) => ({ kind: p.kind === 'head_mismatch' ? ('ledger_head' as const) : ('ledger' as const), path: LEDGER_MANIFEST, message: `ledger: ${p.message}` })));
    const items = Array.isArray(lm.evidence) ? lm.evidence.filter((e) => e.path) : [];
    const evProblems: AuditProblem[] = [];
    for (const e of items) {
      const b = zip[e.path!];
      if (!b) evProblems.push({ kind: 'evidence_file', path: e.path!, message: `evidence ${e.id}: ${e.path} is not in the zip` });
      else if (sha256Hex(b) !== e.sha256) evProblems.push({ kind: 'evidence_file', path: e.path!, message: `evidence ${e.id}: ${e.path} does not hash to the item's recorded SHA-256 (changed)` });
    }
    check(`evidence files match their items' SHA-256 (${items.length} items)`, evProblems);
  }
  return { ok: problems.length === 0, problems, checks, manifest };
}
