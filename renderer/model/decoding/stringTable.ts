const decoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * pprof's string table. Strings stay as UTF-8 bytes until asked for: a big profile has many
 * strings (file names, label values) that a given view never shows.
 */
export class StringTable {
  private readonly bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly cache: (string | undefined)[];
  /** Strings appended after decoding (names the symbolizer rewrote), by value. */
  private added: Map<string, number> | null = null;
  private count: number;
  /** Strings read from the file (those past it were appended). */
  private readonly stored: number;

  constructor(bytes: Uint8Array, offsets: Int32Array, decoded?: string[]) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.count = decoded ? decoded.length : offsets.length - 1;
    this.stored = decoded ? 0 : this.count;
    this.cache = decoded ?? new Array<string | undefined>(this.count);
  }

  get length(): number {
    return this.count;
  }

  /** The index of `s`, appended at the end when it was not appended before. */
  append(s: string): number {
    this.added ??= new Map();
    const known = this.added.get(s);
    if (known !== undefined) return known;
    const i = this.count++;
    this.cache[i] = s;
    this.added.set(s, i);
    return i;
  }

  /**
   * True when string `i` holds one of the ASCII characters in `chars`, read from its UTF-8
   * bytes without decoding it (a multi-byte character never holds an ASCII byte).
   */
  hasAscii(i: number, chars: string): boolean {
    const hit = this.cache[i];
    if (hit !== undefined || i >= this.stored)
      return [...chars].some((c) => (hit ?? '').includes(c));
    for (let b = this.offsets[i]; b < this.offsets[i + 1]; b++) {
      if (chars.includes(String.fromCharCode(this.bytes[b]))) return true;
    }
    return false;
  }

  /** True when string `i` starts with the ASCII `prefix`, read from its bytes. */
  startsWithAscii(i: number, prefix: string): boolean {
    if (i >= this.stored) return (this.cache[i] ?? '').startsWith(prefix);
    const from = this.offsets[i];
    if (this.offsets[i + 1] - from < prefix.length) return false;
    for (let k = 0; k < prefix.length; k++) {
      if (this.bytes[from + k] !== prefix.charCodeAt(k)) return false;
    }
    return true;
  }

  /** False when string `i` as read from the file is not valid UTF-8 (shown with U+FFFD). */
  isUtf8(i: number): boolean {
    if (i < 0 || i >= this.stored) return true;
    try {
      strictDecoder.decode(this.bytes.subarray(this.offsets[i], this.offsets[i + 1]));
      return true;
    } catch {
      return false;
    }
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
