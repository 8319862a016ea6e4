/**
 * Streaming, byte-level CSV reader (RFC 4180).
 *
 * Reads a file in chunks from `fs.createReadStream` (never the whole file), hashes the raw bytes
 * with SHA-256 in the same pass, detects the encoding (UTF-8 with or without BOM, UTF-16 LE/BE
 * with BOM, Windows-1252 when the bytes are not valid UTF-8), sniffs the delimiter (comma,
 * semicolon, tab), and splits records and fields directly on the bytes: a field is a pair of
 * offsets into the current buffer, decoded to a string only when asked (`text`) or interned to
 * an integer id (`intern`). One `CsvRow` object is reused for every record.
 *
 * Row numbers are the 1-based physical line where the record starts (the header is line 1 in a
 * plain file), so they match what an editor shows.
 */
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { Interner } from './intern.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A record as seen by importers; implemented by the CSV and XLSX readers. */
export interface Row {
  /** Number of fields in this record. */
  readonly count: number;
  /** 1-based line (CSV) or sheet row (XLSX) where the record starts. */
  readonly line: number;
  /** A syntax problem found in this record (e.g. an unterminated quote), if any. */
  readonly error: string | undefined;
  /** Field text ('' for a missing field). */
  text(i: number): string;
  /** Field as an interned id (same bytes → same id). */
  intern(i: number, t: Interner): number;
  /** True when the field is absent or empty (after trimming spaces). */
  blank(i: number): boolean;
}

export interface CsvOptions {
  delimiter?: ',' | ';' | '\t';
  /** Force an encoding (skips detection). */
  encoding?: TextEncodingName;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Called once per pass when the encoding and delimiter are known, before the first row. */
  onSniff?: (info: { encoding: TextEncodingName; delimiter: string }) => void;
  /** Chunk size in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Read only bytes [start, end) of the file (a worker's range; `start` must be a record start). */
  start?: number;
  end?: number;
}

export interface CsvInfo {
  sha256: string;
  bytes: number;
  encoding: TextEncodingName | 'xlsx';
  bom: boolean;
  delimiter: string;
  /** Human-readable notes, e.g. the Windows-1252 fallback. */
  notes: string[];
  /** Physical lines consumed (line breaks, plus a last line without one). */
  lines: number;
}

/** Thrown inside a pass when bytes turn out not to be UTF-8 after rows were already delivered. */
export class EncodingRestart extends Error {
  constructor(readonly offset: number) {
    super(`invalid UTF-8 near byte ${offset}`);
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

// Windows-1252 0x80–0x9F (Node's TextDecoder treats "windows-1252" as Latin-1).
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export function decodeCp1252(b: Uint8Array, s: number, e: number): string {
  let out = '';
  let runStart = s;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c >= 0x80 && c <= 0x9f) {
      if (i > runStart) out += Buffer.from(b.buffer, b.byteOffset + runStart, i - runStart).toString('latin1');
      out += String.fromCharCode(CP1252_HIGH[c - 0x80]!);
      runStart = i + 1;
    }
  }
  if (e > runStart) out += Buffer.from(b.buffer, b.byteOffset + runStart, e - runStart).toString('latin1');
  return out;
}

export function decodeUtf8(b: Uint8Array, s: number, e: number): string {
  return (b as Buffer).toString('utf8', s, e);
}

export class CsvRow implements Row {
  buf: Buffer = Buffer.alloc(0);
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 0 unquoted, 1 quoted, 2 quoted with doubled quotes inside. */
  quoted = new Uint8Array(64);
  count = 0;
  line = 0;
  error: string | undefined = undefined;
  constructor(public decode: (b: Uint8Array, s: number, e: number) => string) {}

  text(i: number): string {
    if (i < 0 || i >= this.count) return '';
    const t = this.decode(this.buf, this.starts[i]!, this.ends[i]!);
    return this.quoted[i] === 2 ? t.replace(/""/g, '"') : t;
  }

  intern(i: number, t: Interner): number {
    if (i < 0 || i >= this.count) return t.internString('');
    if (this.quoted[i] === 2) return t.internString(this.text(i));
    return t.internBytes(this.buf, this.starts[i]!, this.ends[i]!, this.decode);
  }

  blank(i: number): boolean {
    if (i < 0 || i >= this.count) return true;
    const b = this.buf;
    for (let k = this.starts[i]!; k < this.ends[i]!; k++) if (b[k] !== 0x20 && b[k] !== 0x09) return false;
    return true;
  }

  grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(n);
    e.set(this.ends);
    this.ends = e;
    const q = new Uint8Array(n);
    q.set(this.quoted);
    this.quoted = q;
  }
}

/** Sniffs the delimiter from the first lines of decoded (UTF-8 or single-byte) text. */
export function sniffDelimiter(b: Uint8Array): ',' | ';' | '\t' {
  const cands = [0x2c, 0x3b, 0x09];
  const counts: number[][] = [[], [], []];
  let inQ = false;
  let line = [0, 0, 0];
  let lines = 0;
  const limit = Math.min(b.length, 65536);
  for (let i = 0; i < limit && lines < 6; i++) {
    const c = b[i]!;
    if (c === QUOTE) inQ = !inQ;
    else if (!inQ && (c === LF || c === CR)) {
      if (c === CR && b[i + 1] === LF) i++;
      for (let k = 0; k < 3; k++) counts[k]!.push(line[k]!);
      line = [0, 0, 0];
      lines++;
    } else if (!inQ) {
      const k = cands.indexOf(c);
      if (k >= 0) line[k]!++;
    }
  }
  if (lines < 6 && line.some((x) => x > 0)) for (let k = 0; k < 3; k++) counts[k]!.push(line[k]!);
  // Prefer a delimiter that appears in the header and the same number of times on each line.
  let best = -1;
  let bestScore = 0;
  for (let k = 0; k < 3; k++) {
    const c = counts[k]!;
    const h = c[0] ?? 0;
    if (h === 0) continue;
    const consistent = c.every((x) => x === h);
    const score = h + (consistent ? 1000 : 0);
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best === 1 ? ';' : best === 2 ? '\t' : ',';
}

/** Length of an incomplete UTF-8 sequence at the end of `b` (0–3). */
function incompleteTail(b: Uint8Array, end: number): number {
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const c = b[end - k]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte
    if (c < 0x80) return 0;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return need > k ? k : 0;
  }
  return 0;
}

/**
 * Streams `path` and calls `onRow` for every record (header included). `start` is called at the
 * beginning of each pass and returns the row callback: when UTF-8 turns out to be invalid after
 * rows were delivered, the pass restarts in Windows-1252 and `start` is called again so the
 * caller can reset its state.
 */
export async function readCsv(path: string, opts: CsvOptions, start: () => (row: Row) => void): Promise<CsvInfo> {
  try {
    return await pass(path, opts, start());
  } catch (e) {
    if (e instanceof EncodingRestart && !opts.encoding) {
      const info = await pass(path, { ...opts, encoding: 'windows-1252' }, start());
      info.notes.push(`bytes are not valid UTF-8 (first invalid sequence near byte ${e.offset}); read as Windows-1252`);
      return info;
    }
    throw e;
  }
}

async function pass(path: string, opts: CsvOptions, onRow: (row: Row) => void): Promise<CsvInfo> {
  const total = (opts.end ?? statSync(path).size) - (opts.start ?? 0);
  const hash = createHash('sha256');
  const notes: string[] = [];
  let encoding: TextEncodingName | undefined = opts.encoding;
  let bom = false;
  let delimiter = opts.delimiter;
  let d = 0x2c;
  let bytesRead = 0;
  let carry: Buffer | undefined;
  let pendingUtf8: Buffer | undefined; // incomplete UTF-8 sequence carried across chunks (validation only)
  let u16: InstanceType<typeof TextDecoder> | undefined;
  const row = new CsvRow(decodeUtf8);
  let line = 1;
  let first = true;

  const parse = (b: Buffer, final: boolean): number => {
    const len = b.length;
    row.buf = b;
    let pos = 0;
    while (pos < len) {
      let nf = 0;
      let i = pos;
      let nl = 0;
      let err: string | undefined;
      for (;;) {
        if (nf === row.starts.length) row.grow();
        if (i < len && b[i] === QUOTE) {
          let j = i + 1;
          let q = 1;
          let closed = false;
          while (j < len) {
            const c = b[j]!;
            if (c === QUOTE) {
              if (j + 1 < len) {
                if (b[j + 1] === QUOTE) {
                  q = 2;
                  j += 2;
                  continue;
                }
                closed = true;
                break;
              }
              if (!final) return pos; // cannot tell "" from " at the buffer's end
              closed = true;
              break;
            }
            if (c === LF) nl++;
            j++;
          }
          if (!closed) {
            if (!final) return pos;
            err = 'unterminated quoted field';
          }
          row.starts[nf] = i + 1;
          row.ends[nf] = j;
          row.quoted[nf] = q;
          nf++;
          i = closed ? j + 1 : j;
          if (i < len) {
            const c = b[i]!;
            if (c !== d && c !== LF && c !== CR) {
              err = 'text after a closing quote';
              while (i < len && b[i] !== d && b[i] !== LF && b[i] !== CR) i++;
            }
          }
        } else {
          let j = i;
          while (j < len) {
            const c = b[j]!;
            if (c === d || c === LF || c === CR) break;
            j++;
          }
          row.starts[nf] = i;
          row.ends[nf] = j;
          row.quoted[nf] = 0;
          nf++;
          i = j;
        }
        if (i >= len) {
          if (!final) return pos;
          emit(nf, nl, err);
          return len;
        }
        const c = b[i]!;
        if (c === d) {
          i++;
          if (i >= len && !final) return pos;
          continue;
        }
        if (c === CR) {
          if (i + 1 >= len && !final) return pos;
          i += b[i + 1] === LF ? 2 : 1;
        } else i++;
        emit(nf, nl, err);
        pos = i;
        break;
      }
    }
    return pos;
  };

  const emit = (nf: number, nl: number, err: string | undefined): void => {
    if (!(nf === 1 && row.quoted[0] === 0 && row.ends[0] === row.starts[0])) {
      row.count = nf;
      row.line = line;
      row.error = err;
      onRow(row);
    }
    line += 1 + nl;
  };

  const feed = (chunk: Buffer, final: boolean): void => {
    if (first) {
      first = false;
      if (!delimiter) delimiter = sniffDelimiter(chunk);
      d = delimiter.charCodeAt(0);
      if (encoding === 'windows-1252') row.decode = decodeCp1252;
      opts.onSniff?.({ encoding: encoding ?? 'utf-8', delimiter });
    }
    const b = carry && carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const used = parse(b, final);
    carry = used < b.length ? Buffer.from(b.subarray(used)) : undefined;
  };

  const validate = (chunk: Buffer, final: boolean, offset: number): void => {
    let b = chunk;
    if (pendingUtf8) b = Buffer.concat([pendingUtf8, chunk]);
    const tail = final ? 0 : incompleteTail(b, b.length);
    const body = b.subarray(0, b.length - tail);
    if (!isUtf8(body)) throw new EncodingRestart(offset);
    pendingUtf8 = tail ? Buffer.from(b.subarray(b.length - tail)) : undefined;
  };

  const stream = createReadStream(path, {
    highWaterMark: opts.chunkSize ?? 1 << 20,
    ...(opts.start !== undefined ? { start: opts.start } : {}),
    ...(opts.end !== undefined ? { end: opts.end - 1 } : {}),
  });
  for await (const raw of stream as AsyncIterable<Buffer>) {
    hash.update(raw);
    let chunk = raw;
    const offset = bytesRead;
    bytesRead += raw.length;
    if (offset === 0) {
      if (!encoding) {
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) encoding = 'utf-8';
        else if (chunk[0] === 0xff && chunk[1] === 0xfe) encoding = 'utf-16le';
        else if (chunk[0] === 0xfe && chunk[1] === 0xff) encoding = 'utf-16be';
        else {
          const tail = incompleteTail(chunk, chunk.length);
          if (isUtf8(chunk.subarray(0, chunk.length - tail))) encoding = 'utf-8';
          else {
            encoding = 'windows-1252';
            notes.push('bytes are not valid UTF-8; read as Windows-1252');
          }
        }
      }
      if (encoding === 'utf-8' && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        bom = true;
        chunk = chunk.subarray(3);
      }
      if (encoding === 'utf-16le' || encoding === 'utf-16be') {
        bom = (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff);
        u16 = new TextDecoder(encoding);
      }
    }
    if (u16) chunk = Buffer.from(u16.decode(chunk, { stream: true }), 'utf8');
    else if (encoding === 'utf-8' && !opts.encoding) validate(chunk, false, offset);
    feed(chunk, false);
    opts.onProgress?.(bytesRead, total);
  }
  if (u16) {
    const rest = u16.decode();
    if (rest) feed(Buffer.from(rest, 'utf8'), false);
  }
  if (encoding === 'utf-8' && !opts.encoding && pendingUtf8) validate(Buffer.alloc(0), true, bytesRead);
  if (first) feed(Buffer.alloc(0), true);
  else if (carry && carry.length) feed(Buffer.alloc(0), true);
  if (bytesRead === 0) opts.onProgress?.(0, total);
  return { sha256: hash.digest('hex'), bytes: bytesRead, encoding: encoding ?? 'utf-8', bom, delimiter: delimiter ?? ',', notes, lines: line - 1 };
}
