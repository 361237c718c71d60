// Append-only typed arrays: the decoder cannot know counts before it has seen the data.

import { ProfileError } from '../errors';

type NumericArray = Int32Array | Float64Array | Uint8Array;

/**
 * The most bytes one field may hold (as much as the 2 GiB inflate cap could give it). Past it
 * a hostile or broken file gets a clear error instead of an allocation failure or a crash.
 */
export const MAX_GROWABLE_BYTES = 2 ** 31;

/** A typed array that doubles its capacity as values are appended. */
class Growable<T extends NumericArray> {
  data: T;
  length = 0;
  private readonly make: (capacity: number) => T;

  constructor(make: (capacity: number) => T, capacity: number) {
    this.make = make;
    this.data = make(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  /** Appends src[start, end). */
  append(src: T, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.data.length) this.grow(this.length + n);
    this.data.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  /** Makes room for exactly `capacity` values (when that is more than there is). */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    capacity = Math.min(capacity, this.maxLength);
    const next = this.make(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  private get maxLength(): number {
    return MAX_GROWABLE_BYTES / this.data.BYTES_PER_ELEMENT;
  }

  grow(min: number): void {
    if (min > this.maxLength)
      throw new ProfileError(
        'too-large',
        `the profile has more than ${this.maxLength} entries in one field: not a profile this viewer can hold`,
      );
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    cap = Math.min(cap, this.maxLength);
    const next = this.make(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /**
   * The values without a copy when little capacity would be wasted (a view of the buffer), else
   * a right-sized copy: large decode outputs then never exist twice.
   */
  trimmed(): T {
    return (
      this.length * 4 >= this.data.length * 3
        ? this.data.subarray(0, this.length)
        : this.data.slice(0, this.length)
    ) as T;
  }

  /** A right-sized copy, so the spare capacity can be collected. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor(capacity = 1024) {
    super((n) => new Int32Array(n), capacity);
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(capacity = 1024) {
    super((n) => new Float64Array(n), capacity);
  }
}

export class GrowableBytes extends Growable<Uint8Array> {
  constructor(capacity = 4096) {
    super((n) => new Uint8Array(n), capacity);
  }
}
