/**
 * Allocation-free hot-path helpers: an interner that maps field bytes to small integer ids
 * (decoding each distinct value to a string once) and a hash table keyed by tuples of small
 * integers with integer accumulators. Used by the time importer to aggregate millions of rows.
 */

/** Maps byte ranges (or strings) to dense ids 0, 1, 2, … ; `value(id)` is the decoded string. */
export class Interner {
  private arena: Buffer = Buffer.allocUnsafe(1 << 16);
  private arenaLen = 0;
  private offs = new Int32Array(1024);
  private lens = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  private table = new Int32Array(2048).fill(-1);
  private mask = 2047;
  private readonly values: string[] = [];
  /** Per-id cached derived data owned by the caller (e.g. a parsed date). */
  readonly meta: unknown[] = [];

  get size(): number {
    return this.values.length;
  }

  value(id: number): string {
    return this.values[id]!;
  }

  internBytes(buf: Uint8Array, s: number, e: number, decode: (b: Uint8Array, s: number, e: number) => string): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const len = e - s;
    let slot = h & this.mask;
    const table = this.table;
    for (;;) {
      const id = table[slot]!;
      if (id < 0) break;
      if (this.hashes[id] === h && this.lens[id] === len) {
        const o = this.offs[id]!;
        const a = this.arena;
        let k = 0;
        while (k < len && a[o + k] === buf[s + k]) k++;
        if (k === len) return id;
      }
      slot = (slot + 1) & this.mask;
    }
    return this.add(slot, h, buf, s, e, decode(buf, s, e));
  }

  internString(text: string): number {
    const b = Buffer.from(text, 'utf8');
    return this.internBytes(b, 0, b.length, () => text);
  }

  private add(slot: number, h: number, buf: Uint8Array, s: number, e: number, text: string): number {
    const id = this.values.length;
    const len = e - s;
    if (this.arenaLen + len > this.arena.length) {
      const n = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaLen + len));
      this.arena.copy(n, 0, 0, this.arenaLen);
      this.arena = n;
    }
    this.arena.set(buf.subarray(s, e), this.arenaLen);
    if (id >= this.offs.length) {
      this.offs = grow(this.offs);
      this.lens = grow(this.lens);
      this.hashes = grow(this.hashes);
    }
    this.offs[id] = this.arenaLen;
    this.lens[id] = len;
    this.hashes[id] = h;
    this.arenaLen += len;
    this.values.push(text);
    this.table[slot] = id;
    if ((id + 1) * 2 > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.table = new Int32Array(size).fill(-1);
    for (let id = 0; id < this.values.length; id++) {
      let slot = this.hashes[id]! & this.mask;
      while (this.table[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = id;
    }
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const n = new Int32Array(a.length * 2);
  n.set(a);
  return n;
}

/**
 * Open-addressing hash table from a tuple of `width` non-negative int32s to an entry index,
 * with one float64 accumulator (`sums`, exact for integers below 2^53) and a count per entry.
 */
export class TupleTable {
  keys: Int32Array;
  sums: Float64Array;
  counts: Float64Array;
  size = 0;
  private table: Int32Array;
  private mask: number;

  constructor(readonly width: number, initial = 1024) {
    this.keys = new Int32Array(initial * width);
    this.sums = new Float64Array(initial);
    this.counts = new Float64Array(initial);
    this.table = new Int32Array(initial * 2).fill(-1);
    this.mask = initial * 2 - 1;
  }

  private hash(k: ArrayLike<number>, base: number): number {
    let h = 0x9e3779b9 | 0;
    for (let i = 0; i < this.width; i++) h = Math.imul(h ^ k[base + i]!, 0x85ebca6b) ^ (h >>> 13);
    return h;
  }

  /** Entry index of the tuple in `k` (creating it with sum 0 when new). `k` is reused by callers. */
  find(k: Int32Array): number {
    const w = this.width;
    let slot = this.hash(k, 0) & this.mask;
    for (;;) {
      const e = this.table[slot]!;
      if (e < 0) break;
      const b = e * w;
      let i = 0;
      while (i < w && this.keys[b + i] === k[i]) i++;
      if (i === w) return e;
      slot = (slot + 1) & this.mask;
    }
    const e = this.size++;
    if (e * w >= this.keys.length) {
      const nk = new Int32Array(this.keys.length * 2);
      nk.set(this.keys);
      this.keys = nk;
      const ns = new Float64Array(this.sums.length * 2);
      ns.set(this.sums);
      this.sums = ns;
      const nc = new Float64Array(this.counts.length * 2);
      nc.set(this.counts);
      this.counts = nc;
    }
    const base = e * w;
    for (let i = 0; i < w; i++) this.keys[base + i] = k[i]!;
    this.table[slot] = e;
    if (this.size * 2 > this.mask) this.rehash();
    return e;
  }

  /** Replaces an empty table's content with `n` entries given as arrays (keys: n × width), indexing them in one pass. */
  adopt(keys: Int32Array, sums: Float64Array, counts: Float64Array, n: number): void {
    if (this.size !== 0) throw new Error('adopt: the table is not empty');
    let cap = 1024;
    while (cap < n) cap *= 2;
    this.keys = new Int32Array(cap * this.width);
    this.keys.set(keys.subarray(0, n * this.width));
    this.sums = new Float64Array(cap);
    this.sums.set(sums.subarray(0, n));
    this.counts = new Float64Array(cap);
    this.counts.set(counts.subarray(0, n));
    this.size = n;
    this.mask = cap * 2 - 1;
    this.table = new Int32Array(cap * 2).fill(-1);
    for (let e = 0; e < n; e++) {
      let slot = this.hash(this.keys, e * this.width) & this.mask;
      while (this.table[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = e;
    }
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.table = new Int32Array(size).fill(-1);
    for (let e = 0; e < this.size; e++) {
      let slot = this.hash(this.keys, e * this.width) & this.mask;
      while (this.table[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.table[slot] = e;
    }
  }

  key(e: number, i: number): number {
    return this.keys[e * this.width + i]!;
  }
}
