/**
 * The time importer's aggregation table: a group key of four non-negative int32s (employee,
 * outcome, location, month) → a sum (exact integer milliseconds, below 2^53) and an entry count.
 *
 * Open addressing with linear probing where each 32-byte slot holds the key, the sum and the
 * count together, so adding a row touches one cache line (a table of separate key, index, sum and
 * count arrays touches four: with a million groups that was most of the cost of a row).
 * Slot layout: int32 0–3 = key (key 0 = -1 marks an empty slot), float64 2 = sum, float64 3 = count.
 */
const SLOT_INTS = 8;
const SLOT_F64 = 4;

export class GroupTable {
  private ints: Int32Array;
  private f64: Float64Array;
  private mask: number;
  /** Groups in the table. */
  size = 0;

  constructor(initialSlots = 1 << 14) {
    let cap = 16;
    while (cap < initialSlots) cap *= 2;
    this.mask = cap - 1;
    const buf = new ArrayBuffer(cap * SLOT_INTS * 4);
    this.ints = new Int32Array(buf).fill(-1);
    this.f64 = new Float64Array(buf);
  }

  private static hash(a: number, b: number, c: number, d: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(c, 0xc2b2ae3d) ^ Math.imul(d, 0x27d4eb2f);
    h = Math.imul(h ^ (h >>> 13), 0x297a2d39);
    return h ^ (h >>> 16);
  }

  /** Adds `sum` and `count` to the group (a, b, c, d), creating it when new. */
  add(a: number, b: number, c: number, d: number, sum: number, count: number): void {
    const ints = this.ints;
    const mask = this.mask;
    let s = GroupTable.hash(a, b, c, d) & mask;
    for (;;) {
      const i = s * SLOT_INTS;
      const k0 = ints[i]!;
      if (k0 === a && ints[i + 1] === b && ints[i + 2] === c && ints[i + 3] === d) {
        const f = s * SLOT_F64;
        this.f64[f + 2]! += sum;
        this.f64[f + 3]! += count;
        return;
      }
      if (k0 === -1) {
        ints[i] = a;
        ints[i + 1] = b;
        ints[i + 2] = c;
        ints[i + 3] = d;
        const f = s * SLOT_F64;
        this.f64[f + 2] = sum;
        this.f64[f + 3] = count;
        if (++this.size * 4 > (mask + 1) * 3) this.grow();
        return;
      }
      s = (s + 1) & mask;
    }
  }

  private grow(): void {
    const oldInts = this.ints;
    const oldF64 = this.f64;
    const slots = this.mask + 1;
    const cap = slots * 2;
    const buf = new ArrayBuffer(cap * SLOT_INTS * 4);
    const ints = new Int32Array(buf).fill(-1);
    const f64 = new Float64Array(buf);
    const mask = cap - 1;
    for (let o = 0; o < slots; o++) {
      const i = o * SLOT_INTS;
      if (oldInts[i] === -1) continue;
      let s = GroupTable.hash(oldInts[i]!, oldInts[i + 1]!, oldInts[i + 2]!, oldInts[i + 3]!) & mask;
      while (ints[s * SLOT_INTS] !== -1) s = (s + 1) & mask;
      const j = s * SLOT_INTS;
      ints[j] = oldInts[i]!;
      ints[j + 1] = oldInts[i + 1]!;
      ints[j + 2] = oldInts[i + 2]!;
      ints[j + 3] = oldInts[i + 3]!;
      f64[s * SLOT_F64 + 2] = oldF64[o * SLOT_F64 + 2]!;
      f64[s * SLOT_F64 + 3] = oldF64[o * SLOT_F64 + 3]!;
    }
    this.ints = ints;
    this.f64 = f64;
    this.mask = mask;
  }

  /** Slots in the table (a power of two); slot `s` is in use when `slotInts[s * 8] !== -1`. */
  get capacity(): number {
    return this.mask + 1;
  }
  /** The slots as int32s: 8 per slot, the key in the first 4. */
  get slotInts(): Int32Array {
    return this.ints;
  }
  /** The slots as float64s: 4 per slot, the sum at 2 and the count at 3. */
  get slotF64(): Float64Array {
    return this.f64;
  }

  /** The groups as dense arrays (4 key ints per group), in slot order. */
  entries(): { keys: Int32Array<ArrayBuffer>; sums: Float64Array<ArrayBuffer>; counts: Float64Array<ArrayBuffer> } {
    const n = this.size;
    const keys = new Int32Array(n * 4);
    const sums = new Float64Array(n);
    const counts = new Float64Array(n);
    const ints = this.ints;
    const f64 = this.f64;
    let e = 0;
    for (let s = 0; s <= this.mask; s++) {
      const i = s * SLOT_INTS;
      if (ints[i] === -1) continue;
      keys[e * 4] = ints[i]!;
      keys[e * 4 + 1] = ints[i + 1]!;
      keys[e * 4 + 2] = ints[i + 2]!;
      keys[e * 4 + 3] = ints[i + 3]!;
      sums[e] = f64[s * SLOT_F64 + 2]!;
      counts[e] = f64[s * SLOT_F64 + 3]!;
      e++;
    }
    return { keys, sums, counts };
  }
}
