/**
 * A map from pairs of int32 (a trie node and a child's key, a caller and a callee) to int32
 * values ≥ 0, by open addressing over one typed array. It serves loops that look pairs up
 * millions of times, where a Map's hashing and boxing of number keys costs several times more.
 */
export class PairMap {
  /** Slots of [a, b, value + 1]; value + 1 = 0 marks an empty slot. */
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  /** `expected`: roughly how many pairs will be stored. */
  constructor(expected = 1024) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(3 * size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let h = hash(a, b) & mask; ; h = (h + 1) & mask) {
      const at = 3 * h;
      const v = slots[at + 2];
      if (v === 0) return -1;
      if (slots[at] === a && slots[at + 1] === b) return v - 1;
    }
  }

  /** Stores value (0 ≤ value < 2³¹ − 1) for (a, b), replacing what was there. */
  set(a: number, b: number, value: number): void {
    this.store(a, b, value, true);
  }

  /** The value stored for (a, b), or, when there is none, -1 after storing `value` for it. */
  putIfAbsent(a: number, b: number, value: number): number {
    return this.store(a, b, value, false);
  }

  private store(a: number, b: number, value: number, replace: boolean): number {
    // value + 1 = 0 would mark the slot empty while counting it.
    if (!(value >= 0 && value < 0x7fffffff)) throw new RangeError(`PairMap value ${value}`);
    const slots = this.slots;
    const mask = this.mask;
    for (let h = hash(a, b) & mask; ; h = (h + 1) & mask) {
      const at = 3 * h;
      const v = slots[at + 2];
      if (v !== 0 && (slots[at] !== a || slots[at + 1] !== b)) continue;
      if (v !== 0 && !replace) return v - 1;
      slots[at] = a;
      slots[at + 1] = b;
      slots[at + 2] = value + 1;
      if (v === 0 && ++this.count * 2 > mask) this.grow();
      return -1;
    }
  }

  forEach(visit: (a: number, b: number, value: number) => void): void {
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += 3) {
      if (slots[at + 2] !== 0) visit(slots[at], slots[at + 1], slots[at + 2] - 1);
    }
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(3 * size);
    const mask = size - 1;
    for (let i = 0; i < old.length; i += 3) {
      if (old[i + 2] === 0) continue;
      let h = hash(old[i], old[i + 1]) & mask;
      while (slots[3 * h + 2] !== 0) h = (h + 1) & mask;
      slots[3 * h] = old[i];
      slots[3 * h + 1] = old[i + 1];
      slots[3 * h + 2] = old[i + 2];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}
