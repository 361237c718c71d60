const decoder = new TextDecoder('utf-8');

/**
 * pprof's string table. Strings stay as UTF-8 bytes until asked for: a big profile has many
 * strings (file names, label values) that a given view never shows.
 */
export class StringTable {
  private readonly bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly cache: (string | undefined)[];
  readonly length: number;

  constructor(bytes: Uint8Array, offsets: Int32Array, decoded?: string[]) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.length = decoded ? decoded.length : offsets.length - 1;
    this.cache = decoded ?? new Array<string | undefined>(this.length);
  }

  static fromStrings(strings: string[]): StringTable {
    return new StringTable(new Uint8Array(0), new Int32Array(1), strings.slice());
  }

  get(i: number): string {
    const hit = this.cache[i];
    if (hit !== undefined) return hit;
    if (i < 0 || i >= this.length) return '';
    const s = decoder.decode(this.bytes.subarray(this.offsets[i], this.offsets[i + 1]));
    this.cache[i] = s;
    return s;
  }

  all(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i);
    return out;
  }
}
