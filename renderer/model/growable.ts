// Append-only typed arrays: the decoder cannot know counts before it has seen the data.

export class GrowableInt32 {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /**
   * The values without a copy when little capacity would be wasted (a view of the buffer), else
   * a right-sized copy: large decode outputs then never exist twice.
   */
  trimmed(): Int32Array {
    return this.length * 4 >= this.data.length * 3
      ? this.data.subarray(0, this.length)
      : this.data.slice(0, this.length);
  }

  /** A right-sized copy, so the spare capacity can be collected. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export class GrowableFloat64 {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /**
   * The values without a copy when little capacity would be wasted (a view of the buffer), else
   * a right-sized copy: large decode outputs then never exist twice.
   */
  trimmed(): Float64Array {
    return this.length * 4 >= this.data.length * 3
      ? this.data.subarray(0, this.length)
      : this.data.slice(0, this.length);
  }

  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

export class GrowableBytes {
  data: Uint8Array;
  length = 0;

  constructor(capacity = 4096) {
    this.data = new Uint8Array(Math.max(16, capacity));
  }

  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < this.length + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  toArray(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}
