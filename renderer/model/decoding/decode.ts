import { simplifyCppNames } from '../profile/cppNames';
import { ProfileError } from '../errors';
import { GrowableBytes, GrowableFloat64, GrowableInt32 } from '../collections/growable';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  MAX_INFLATE_RATIO,
  cancelled,
  gzipInflatedSize,
  inflate,
  isGzip,
} from './gunzip';
import type { Gunzipper } from './gunzip';
import { buildIdIndex } from './idIndex';
import type { IdIndex } from './idIndex';
import { Profile } from '../profile/profile';
import type {
  FunctionTable,
  LocationTable,
  MappingTable,
  SampleTable,
  StackTrie,
} from '../profile/profile';
import { ProtobufReader, malformed, truncated } from './protobufReader';
import { rejectKnownTextFormats } from './sniff';
import { PackedStackCache } from './stackCache';
import { StringTable } from './stringTable';
import { TrieBuilder } from '../profile/trieBuilder';

export interface DecodeOptions {
  /** Refuse profiles that inflate beyond this many bytes (default 2 GiB). */
  maxInflatedBytes?: number;
  /** Called now and then while a gzipped profile inflates, with the share done (0–1). */
  onProgress?: (fraction: number) => void;
  /** How to inflate gzip (default: the platform's DecompressionStream). */
  gunzip?: Gunzipper;
  /** Stops a gzipped profile's decoding between chunks (a ProfileError 'cancelled'). */
  signal?: AbortSignal;
}

/**
 * Reports inflate progress against the gzip trailer's ISIZE (the inflated size mod 2^32, exact
 * for profiles under 4 GiB), at most once per 2% so a worker does not flood its page.
 */
function progressReporter(
  gz: Uint8Array,
  onProgress: ((fraction: number) => void) | undefined,
): (chunkBytes: number) => void {
  if (!onProgress || gz.length < 18) return () => undefined;
  const expected = gzipInflatedSize(gz);
  let done = 0;
  let reported = 0;
  return (chunkBytes) => {
    done += chunkBytes;
    const fraction = expected > 0 ? Math.min(1, done / expected) : 0;
    if (fraction - reported >= 0.02) {
      reported = fraction;
      onProgress(fraction);
    }
  };
}

/** Decodes a pprof profile, gzipped or raw protobuf. Throws ProfileError for anything else. */
export async function decodeProfile(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<Profile> {
  if (bytes.length === 0) throw new ProfileError('empty', 'empty file: no profile data');
  if (opts.signal?.aborted) throw cancelled();
  if (!isGzip(bytes)) return decodeProtobuf(bytes);
  // Parse while inflating: each chunk's complete fields are decoded as it arrives, so the
  // inflated profile never has to exist as one buffer and parsing overlaps decompression.
  // Gzip ratios of pprof data are around 3–6×, which sizes the trie well.
  // The trailer sizes the per-sample arrays; a forged one must not reserve gigabytes, so it is
  // believed only up to the largest ratio inflating lets through.
  const rawSize = Math.min(gzipInflatedSize(bytes), bytes.length * MAX_INFLATE_RATIO);
  const decoder = new Decoder(bytes.length * 4, rawSize);
  const window = new ByteWindow(Math.min(1 << 20, Math.max(1 << 16, bytes.length)));
  let checked = false;
  const progress = progressReporter(bytes, opts.onProgress);
  // A parse error (thrown here) stops inflating at once: data that is not a profile is not
  // inflated on to the cap.
  const total = await inflate(
    bytes,
    opts.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES,
    (chunk) => {
      progress(chunk.length);
      if (checked) {
        feedChunk(decoder, window, chunk);
        return;
      }
      // Wait for enough bytes to recognise text formats (a C++ heap profile's header line runs
      // past 64 bytes) before parsing anything.
      window.append(chunk);
      if (window.length < SNIFF_BYTES) return;
      checkStart(window.bytes.subarray(window.start, window.length));
      checked = true;
      window.start = decoder.parseAvailable(window.bytes, window.start, window.length, false);
    },
    opts.gunzip,
    opts.signal,
  );
  if (total === 0) throw new ProfileError('empty', 'empty profile: the gzip stream holds no data');
  if (!checked) checkStart(window.bytes.subarray(window.start, window.length));
  decoder.parseAvailable(window.bytes, window.start, window.length, true);
  return decoder.finish();
}

/** How much of the start of the data is looked at for formats that are not pprof's. */
const SNIFF_BYTES = 512;

/** How much of a chunk goes to the window to finish fields cut by the previous chunk's end. */
const STRADDLE = 1 << 16;

/**
 * Parses a chunk where it lies: only the fields cut by a chunk's end pass through the window
 * (with a prefix of the next chunk), so large chunks (node:zlib's, the inflate worker's) are
 * never copied. Small chunks, and fields longer than the prefix, gather in the window.
 */
function feedChunk(decoder: Decoder, window: ByteWindow, chunk: Uint8Array): void {
  let at = 0;
  if (window.length > window.start) {
    const head = Math.min(chunk.length, STRADDLE);
    window.append(chunk.subarray(0, head));
    window.start = decoder.parseAvailable(window.bytes, window.start, window.length, false);
    const left = window.length - window.start;
    if (left > head || head === chunk.length) {
      if (head < chunk.length) {
        window.append(chunk.subarray(head));
        window.start = decoder.parseAvailable(window.bytes, window.start, window.length, false);
      }
      return;
    }
    // What is left unparsed is chunk[head - left, head): parse on from there in the chunk.
    at = head - left;
    window.start = window.length = 0;
  }
  const end = decoder.parseAvailable(chunk, at, chunk.length, false);
  window.append(chunk.subarray(end));
}

/** Inflated bytes not parsed yet: [start, length) of `bytes`, compacted as chunks are appended. */
class ByteWindow {
  bytes: Uint8Array;
  start = 0;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.bytes.length) {
      const live = this.length - this.start;
      const need = live + chunk.length;
      if (need > this.bytes.length) {
        let cap = this.bytes.length * 2;
        while (cap < need) cap *= 2;
        const grown = new Uint8Array(cap);
        grown.set(this.bytes.subarray(this.start, this.length));
        this.bytes = grown;
      } else {
        this.bytes.copyWithin(0, this.start, this.length);
      }
      this.start = 0;
      this.length = live;
    }
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }
}

function checkStart(head: Uint8Array): void {
  rejectKnownTextFormats(head);
  if (isGzip(head)) {
    // Not inflated again: each layer could be a bomb of its own.
    throw new ProfileError(
      'not-pprof',
      'not a pprof profile: gzip inside gzip (compressed twice); gunzip it once and open the result',
    );
  }
  // Zeros parse as field 0 over and over, which pprof skips: a profile of nothing that only
  // ends where the data does. A real profile never starts so; a zero-filled file is refused here.
  if (head.every((b) => b === 0)) {
    throw new ProfileError('not-pprof', 'not a pprof profile: the data starts with zero bytes');
  }
  if (!PROFILE_FIRST_TAGS.has(head[0]) || looksLikeText(head)) {
    throw new ProfileError(
      'not-pprof',
      'not a pprof profile: the data is neither gzip nor pprof protobuf',
    );
  }
}

// Tags a Profile message can start with (field number << 3 | wire type); field 0, which pprof
// skips, among them.
const PROFILE_FIRST_TAGS = new Set([
  0x00, 0x01, 0x02, 0x05, 0x0a, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x38, 0x40, 0x48, 0x50, 0x5a, 0x60,
  0x68, 0x6a, 0x70,
]);

/** Decodes uncompressed pprof protobuf bytes. */
export function decodeProtobuf(buf: Uint8Array): Profile {
  if (buf.length === 0) throw new ProfileError('empty', 'empty file: no profile data');
  checkStart(buf);
  const decoder = new Decoder(buf.length, buf.length);
  decoder.parseAvailable(buf, 0, buf.length, true);
  return decoder.finish();
}

/** pprof protobuf has control bytes (tags, lengths) within its first few bytes; text has none. */
function looksLikeText(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 64);
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

/** Samples read before the per-sample arrays are sized for the whole profile. */
const SAMPLES_TO_ESTIMATE = 1024;

/**
 * Caps on the repeated fields kept in plain arrays: a hostile file of 1 GiB of comments once
 * ended the process with V8's "invalid size error" instead of an error about the file. Real
 * profiles have a handful of each; the typed-array fields are capped in growable.ts.
 */
const MAX_SAMPLE_TYPES = 4096;
const MAX_COMMENTS = 1 << 20;

function checkCount(count: number, max: number, what: string): void {
  if (count >= max)
    throw new ProfileError(
      'too-large',
      `the profile has more than ${max} ${what}: not a profile this viewer can hold`,
    );
}

class Decoder {
  private readonly r: ProtobufReader;
  // Profile scalars
  private readonly sampleTypes: { type: number; unit: number }[] = [];
  private periodType: { type: number; unit: number } | null = null;
  private period = 0;
  private durationNanos = 0;
  private timeNanos = 0;
  private dropFrames = 0;
  private keepFrames = 0;
  private defaultSampleType = 0;
  private readonly comments: number[] = [];
  // String table, copied out so the inflated buffer can be freed.
  private readonly stringBytes = new GrowableBytes(1 << 16);
  private readonly stringOffsets = new GrowableInt32(1 << 12);
  // Samples
  private readonly trie: TrieBuilder;
  private readonly sampleLeaf = new GrowableInt32(1 << 14);
  private readonly values = new GrowableFloat64(1 << 14);
  private readonly valueEnd = new GrowableInt32(1 << 14);
  private readonly stackScratch = new GrowableInt32(256);
  private readonly stackCache: PackedStackCache;
  private readonly labelSample = new GrowableInt32(16);
  private readonly labelKey = new GrowableInt32(16);
  private readonly labelStr = new GrowableInt32(16);
  private readonly labelNum = new GrowableFloat64(16);
  private readonly labelUnit = new GrowableInt32(16);
  /** Location ids ≥ 2^30 get negative trie keys, so keys stay int32. */
  private readonly bigLocationIds: number[] = [];
  private readonly bigLocationKey = new Map<number, number>();
  // Mappings
  private readonly mId = new GrowableFloat64(16);
  private readonly mStart = new GrowableFloat64(16);
  private readonly mLimit = new GrowableFloat64(16);
  private readonly mOffset = new GrowableFloat64(16);
  private readonly mFile = new GrowableInt32(16);
  private readonly mBuildId = new GrowableInt32(16);
  private readonly mFlags = new GrowableInt32(16);
  // Locations
  private readonly lId = new GrowableFloat64(1 << 12);
  private readonly lMappingId = new GrowableFloat64(1 << 12);
  private readonly lAddress = new GrowableFloat64(1 << 12);
  private readonly lFolded = new GrowableInt32(1 << 12);
  private readonly lLineStart = new GrowableInt32(1 << 12);
  private readonly lineFunctionId = new GrowableFloat64(1 << 12);
  private readonly lineNumber = new GrowableFloat64(1 << 12);
  // Functions
  private readonly fId = new GrowableFloat64(1 << 12);
  private readonly fName = new GrowableInt32(1 << 12);
  private readonly fSystemName = new GrowableInt32(1 << 12);
  private readonly fFilename = new GrowableInt32(1 << 12);
  private readonly fStartLine = new GrowableFloat64(1 << 12);
  // Field values of the message being read (see readVarintFields); lines nest in locations.
  private readonly messageFields = new Float64Array(16);
  private readonly lineFields = new Float64Array(16);

  /** Bytes of the sample fields read so far, to estimate how many samples there are. */
  private sampleBytes = 0;

  /**
   * `sizeHint`: expected protobuf size, to size the stack trie's table up front; `rawSize`: the
   * protobuf's size when known (else 0), to size the per-sample arrays once (see readField).
   */
  constructor(
    sizeHint: number,
    private readonly rawSize: number,
  ) {
    this.r = new ProtobufReader(new Uint8Array(0));
    this.stackCache = new PackedStackCache();
    // A stack frame takes 1–3 bytes; sizing the table for a fraction of that avoids most rehashes.
    this.trie = new TrieBuilder(Math.min(1 << 22, Math.max(4096, sizeHint >> 6)));
    this.stringOffsets.push(0);
  }

  /**
   * Parses the complete top-level fields in buf[pos, end) and returns where it stopped: a field
   * cut by the end of the data so far waits for the next chunk (or is an error when `final`).
   */
  parseAvailable(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    const r = this.r;
    r.buf = buf;
    while (pos < end) {
      const fieldEnd = completeFieldEnd(buf, pos, end);
      if (fieldEnd < 0) {
        if (final) throw truncated();
        break;
      }
      r.pos = pos;
      r.end = fieldEnd;
      this.readField();
      pos = fieldEnd;
    }
    return pos;
  }

  private readField(): void {
    const r = this.r;
    const tag = r.uint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    switch (field) {
      case 1:
        expectWire(field, wire, 2);
        checkCount(this.sampleTypes.length, MAX_SAMPLE_TYPES, 'sample types');
        this.sampleTypes.push(this.readValueType(r.delimitedEnd()));
        break;
      case 2: {
        expectWire(field, wire, 2);
        const end = r.delimitedEnd();
        this.sampleBytes += end - r.pos;
        this.readSample(end);
        if (this.sampleLeaf.length === SAMPLES_TO_ESTIMATE) this.reserveSamples();
        break;
      }
      case 3:
        expectWire(field, wire, 2);
        this.readMapping(r.delimitedEnd());
        break;
      case 4:
        expectWire(field, wire, 2);
        this.readLocation(r.delimitedEnd());
        break;
      case 5:
        expectWire(field, wire, 2);
        this.readFunction(r.delimitedEnd());
        break;
      case 6: {
        expectWire(field, wire, 2);
        const end = r.delimitedEnd();
        this.stringBytes.append(r.buf, r.pos, end);
        this.stringOffsets.push(this.stringBytes.length);
        r.pos = end;
        break;
      }
      case 7:
        expectWire(field, wire, 0);
        this.dropFrames = r.int64();
        break;
      case 8:
        expectWire(field, wire, 0);
        this.keepFrames = r.int64();
        break;
      case 9:
        // pprof's one sign of `cat a.pb b.pb`: a second time_nanos after a nonzero one.
        if (this.timeNanos !== 0)
          throw malformed('concatenated profiles: the file holds more than one profile');
        expectWire(field, wire, 0);
        this.timeNanos = r.int64();
        break;
      case 10:
        expectWire(field, wire, 0);
        this.durationNanos = r.int64();
        break;
      case 11:
        expectWire(field, wire, 2);
        this.periodType = this.readValueType(r.delimitedEnd());
        break;
      case 12:
        expectWire(field, wire, 0);
        this.period = r.int64();
        break;
      case 13:
        if (wire === 2) {
          const end = r.delimitedEnd();
          const outer = r.end;
          r.end = end;
          while (r.pos < end) {
            checkCount(this.comments.length, MAX_COMMENTS, 'comments');
            this.comments.push(r.int64());
          }
          r.end = outer;
        } else {
          expectWire(field, wire, 0);
          checkCount(this.comments.length, MAX_COMMENTS, 'comments');
          this.comments.push(r.int64());
        }
        break;
      case 14:
        expectWire(field, wire, 0);
        this.defaultSampleType = r.int64();
        break;
      default:
        // Unknown fields, field number 0 among them, are skipped as pprof skips them.
        r.skip(wire);
    }
  }

  /**
   * Sizes the per-sample arrays for the samples the profile probably holds, from the first ones'
   * size and the protobuf's: growing them by doubling would write each twice over (fresh pages)
   * and leave the old copies behind. Samples come first in Go's profiles, so this overestimates
   * by the share of locations, functions and strings (about a tenth); a low guess just grows.
   */
  private reserveSamples(): void {
    if (this.rawSize <= 0) return;
    const n = this.sampleLeaf.length;
    const expected = Math.ceil((this.rawSize / this.sampleBytes) * n);
    if (expected <= n * 2) return;
    this.sampleLeaf.reserve(expected);
    this.valueEnd.reserve(expected);
    this.values.reserve(Math.ceil((this.values.length / n) * expected));
    const labels = this.labelSample.length;
    if (labels > 0) {
      const want = Math.ceil((labels / n) * expected);
      this.labelSample.reserve(want);
      this.labelKey.reserve(want);
      this.labelStr.reserve(want);
      this.labelNum.reserve(want);
      this.labelUnit.reserve(want);
    }
  }

  private readValueType(end: number): { type: number; unit: number } {
    const v = readVarintFields(this.r, end, VALUE_TYPE_FIELDS, this.messageFields, 'a value type');
    return { type: v[1], unit: v[2] };
  }

  private locationKey(id: number): number {
    if (id < 0x40000000) return id;
    let key = this.bigLocationKey.get(id);
    if (key === undefined) {
      this.bigLocationIds.push(id);
      key = -this.bigLocationIds.length;
      this.bigLocationKey.set(id, key);
    }
    return key;
  }

  private readSample(end: number): void {
    const r = this.r;
    const outer = r.end;
    r.end = end;
    const sampleIndex = this.sampleLeaf.length;
    // The usual sample has one packed location_id field: remember its byte range and resolve it
    // through the stack cache. Anything else (unpacked or repeated fields) takes the general path.
    let packedFrom = -1;
    let packedTo = -1;
    let general = false;
    const stack = this.stackScratch;
    stack.length = 0;
    while (r.pos < end) {
      const tag = r.uint();
      switch (tag) {
        case 0x0a: {
          const pend = r.delimitedEnd();
          if (packedFrom < 0 && !general) {
            packedFrom = r.pos;
            packedTo = pend;
            r.pos = pend;
          } else {
            this.flushPacked(packedFrom, packedTo);
            packedFrom = -1;
            general = true;
            while (r.pos < pend) stack.push(this.locationKey(r.uint()));
          }
          break;
        }
        case 0x08:
          this.flushPacked(packedFrom, packedTo);
          packedFrom = -1;
          general = true;
          stack.push(this.locationKey(r.uint()));
          break;
        case 0x12: {
          const pend = r.delimitedEnd();
          while (r.pos < pend) this.values.push(r.int64());
          break;
        }
        case 0x10:
          this.values.push(r.int64());
          break;
        case 0x1a:
          this.readLabel(r.delimitedEnd(), sampleIndex);
          break;
        default:
          if (tag >= 8 && tag < 32) throw wrongWire('a sample', tag);
          r.skip(tag & 7);
      }
    }
    r.end = outer;
    let leaf: number;
    if (!general && packedFrom >= 0) {
      leaf = this.stackCache.find(r.buf, packedFrom, packedTo);
      if (leaf < 0) {
        this.flushPacked(packedFrom, packedTo);
        leaf = this.insertStack();
        this.stackCache.insert(r.buf, packedFrom, packedTo, leaf);
      }
    } else {
      leaf = this.insertStack();
    }
    this.sampleLeaf.push(leaf);
    this.valueEnd.push(this.values.length);
  }

  /** Decodes a packed location_id range into the scratch stack. */
  private flushPacked(from: number, to: number): void {
    if (from < 0) return;
    const r = this.r;
    const pos = r.pos;
    const end = r.end;
    r.pos = from;
    r.end = to;
    const stack = this.stackScratch;
    while (r.pos < to) stack.push(this.locationKey(r.uint()));
    r.pos = pos;
    r.end = end;
  }

  /** Inserts the scratch stack (leaf first, as stored) into the trie root first; returns the leaf. */
  private insertStack(): number {
    const trie = this.trie;
    const stack = this.stackScratch;
    const ids = stack.data;
    let node = 0;
    for (let i = stack.length - 1; i >= 0; i--) node = trie.child(node, ids[i]);
    return node;
  }

  /** Hand-written rather than readVarintFields: most samples carry labels, so this is hot. */
  private readLabel(end: number, sampleIndex: number): void {
    const r = this.r;
    const outer = r.end;
    r.end = end;
    let key = 0;
    let str = 0;
    let num = 0;
    let unit = 0;
    while (r.pos < end) {
      const tag = r.uint();
      if (tag === 0x08) key = r.int64();
      else if (tag === 0x10) str = r.int64();
      else if (tag === 0x18) num = r.int64();
      else if (tag === 0x20) unit = r.int64();
      else if (tag >= 8 && tag < 40) throw wrongWire('a label', tag);
      else r.skip(tag & 7);
    }
    r.end = outer;
    this.labelSample.push(sampleIndex);
    this.labelKey.push(key);
    this.labelStr.push(str);
    this.labelNum.push(num);
    this.labelUnit.push(unit);
  }

  private readMapping(end: number): void {
    const v = readVarintFields(this.r, end, MAPPING_FIELDS, this.messageFields, 'a mapping');
    this.mId.push(v[1]);
    this.mStart.push(v[2]);
    this.mLimit.push(v[3]);
    this.mOffset.push(v[4]);
    this.mFile.push(v[5]);
    this.mBuildId.push(v[6]);
    this.mFlags.push(v[7] | (v[8] << 1) | (v[9] << 2) | (v[10] << 3));
  }

  private readLocation(end: number): void {
    this.lLineStart.push(this.lineFunctionId.length);
    const v = readVarintFields(
      this.r,
      end,
      LOCATION_FIELDS,
      this.messageFields,
      'a location',
      this.readLine,
    );
    this.lId.push(v[1]);
    this.lMappingId.push(v[2]);
    this.lAddress.push(v[3]);
    this.lFolded.push(v[5]);
  }

  /** A location's Line (field 4), read while the location's own fields are being read. */
  private readonly readLine = (end: number): void => {
    const v = readVarintFields(this.r, end, LINE_FIELDS, this.lineFields, 'a line');
    this.lineFunctionId.push(v[1]);
    this.lineNumber.push(v[2]);
  };

  private readFunction(end: number): void {
    const v = readVarintFields(this.r, end, FUNCTION_FIELDS, this.messageFields, 'a function');
    this.fId.push(v[1]);
    this.fName.push(v[2]);
    this.fSystemName.push(v[3]);
    this.fFilename.push(v[4]);
    this.fStartLine.push(v[5]);
  }

  finish(): Profile {
    const stringCount = this.stringOffsets.length - 1;
    const strings = new StringTable(this.stringBytes.toArray(), this.stringOffsets.toArray());
    if (stringCount > 0 && this.stringOffsets.data[1] !== 0) {
      throw malformed('the first entry of the string table must be empty');
    }
    const checkString = (i: number, what: string): void => {
      if (!(i >= 0 && i < stringCount)) {
        throw new ProfileError(
          'bad-index',
          `corrupt profile: ${what} refers to string ${i}, but the string table has ${stringCount} entries`,
        );
      }
    };
    if (this.sampleTypes.length === 0) {
      throw new ProfileError('not-pprof', 'not a pprof profile: it declares no sample types');
    }
    // pprof reads drop_frames (0 when unset) from the table whatever the profile holds.
    if (stringCount === 0) throw malformed('the profile has no string table');
    for (const vt of this.sampleTypes) {
      checkString(vt.type, 'a sample type');
      checkString(vt.unit, 'a sample type');
    }
    if (this.periodType) {
      checkString(this.periodType.type, 'the period type');
      checkString(this.periodType.unit, 'the period type');
    }
    for (const c of this.comments) checkString(c, 'a comment');
    checkString(this.dropFrames, 'drop_frames');
    checkString(this.keepFrames, 'keep_frames');
    checkString(this.defaultSampleType, 'default_sample_type');

    const mappings: MappingTable = {
      id: this.mId.toArray(),
      memoryStart: this.mStart.toArray(),
      memoryLimit: this.mLimit.toArray(),
      fileOffset: this.mOffset.toArray(),
      file: this.mFile.toArray(),
      buildId: this.mBuildId.toArray(),
      flags: Uint8Array.from(this.mFlags.toArray()),
    };
    for (let i = 0; i < mappings.id.length; i++) {
      checkString(mappings.file[i], 'a mapping');
      checkString(mappings.buildId[i], 'a mapping');
    }

    const functions: FunctionTable = {
      id: this.fId.toArray(),
      name: this.fName.toArray(),
      systemName: this.fSystemName.toArray(),
      filename: this.fFilename.toArray(),
      startLine: this.fStartLine.toArray(),
    };
    for (let i = 0; i < functions.id.length; i++) {
      checkString(functions.name[i], 'a function name');
      checkString(functions.systemName[i], 'a function name');
      checkString(functions.filename[i], 'a function file name');
    }
    const functionIndex = uniqueIdIndex(functions.id, 'function');
    const mappingIndex = uniqueIdIndex(mappings.id, 'mapping');

    const locationCount = this.lId.length;
    this.lLineStart.push(this.lineFunctionId.length);
    const lineCount = this.lineFunctionId.length;
    const lineFunction = new Int32Array(lineCount);
    const lineIds = this.lineFunctionId.data;
    const lineStart = this.lLineStart.data;
    for (let l = 0; l < locationCount; l++) {
      for (let i = lineStart[l]; i < lineStart[l + 1]; i++) {
        const id = lineIds[i];
        const f = functionIndex.get(id);
        // pprof's CheckValid refuses a line without a function (an id of 0 or one not there).
        if (f < 0)
          throw new ProfileError(
            'bad-index',
            id === 0
              ? `corrupt profile: location id ${this.lId.data[l]} has a line with no function`
              : `corrupt profile: a location refers to function id ${id}, which does not exist`,
          );
        lineFunction[i] = f;
      }
    }
    const locMapping = new Int32Array(locationCount);
    for (let i = 0; i < locationCount; i++) {
      const id = this.lMappingId.data[i];
      // pprof tolerates a missing mapping; so do we.
      locMapping[i] = id === 0 ? -1 : mappingIndex.get(id);
    }
    const locations: LocationTable = {
      id: this.lId.toArray(),
      mapping: locMapping,
      address: this.lAddress.toArray(),
      isFolded: Uint8Array.from(this.lFolded.toArray()),
      lineStart: this.lLineStart.toArray(),
      lineFunction,
      lineNumber: this.lineNumber.toArray(),
    };

    const trie: StackTrie = this.trie.finish();
    const locationIndex = uniqueIdIndex(locations.id, 'location');
    // One lookup per trie node (millions): the dense table inline when the ids allow.
    const dense = locationIndex.dense ?? new Int32Array(0);
    const keys = trie.location;
    for (let n = 1; n < trie.size; n++) {
      const key = keys[n];
      const id = key >= 0 ? key : this.bigLocationIds[-key - 1];
      const loc = id > 0 && id < dense.length ? dense[id] : id === 0 ? -1 : locationIndex.get(id);
      if (loc < 0)
        throw new ProfileError(
          'bad-index',
          `corrupt profile: a sample refers to location id ${id}, which does not exist`,
        );
      keys[n] = loc;
    }

    const nt = this.sampleTypes.length;
    const count = this.sampleLeaf.length;
    const ends = this.valueEnd.data;
    for (let s = 0, prev = 0; s < count; s++) {
      if (ends[s] - prev !== nt) {
        throw malformed(
          `sample ${s} has ${ends[s] - prev} values but the profile has ${nt} sample types`,
        );
      }
      prev = ends[s];
    }
    const samples: SampleTable = {
      count,
      leaf: this.sampleLeaf.trimmed(),
      values: this.values.trimmed(),
      labelStart: null,
      labelKey: this.labelKey.trimmed(),
      labelStr: this.labelStr.trimmed(),
      labelNum: this.labelNum.trimmed(),
      labelNumUnit: this.labelUnit.trimmed(),
    };
    if (this.labelSample.length > 0) {
      const start = new Int32Array(count + 1);
      const owner = this.labelSample.data;
      for (let i = 0; i < this.labelSample.length; i++) start[owner[i] + 1]++;
      for (let s = 0; s < count; s++) start[s + 1] += start[s];
      samples.labelStart = start;
      for (let i = 0; i < this.labelSample.length; i++) {
        checkString(samples.labelKey[i], 'a label');
        checkString(samples.labelStr[i], 'a label');
        checkString(samples.labelNumUnit[i], 'a label');
      }
    }

    // pprof's default symbolization of names, before anything matches or shows them.
    simplifyCppNames(functions, strings);
    return new Profile({
      strings,
      sampleTypes: this.sampleTypes,
      defaultSampleType: this.defaultSampleType,
      periodType: this.periodType,
      period: this.period,
      durationNanos: this.durationNanos,
      timeNanos: this.timeNanos,
      comments: this.comments,
      dropFrames: this.dropFrames,
      keepFrames: this.keepFrames,
      mappings,
      functions,
      locations,
      trie,
      samples,
    });
  }
}

/** The index of a table's ids, refusing what pprof's CheckValid refuses: id 0 and an id twice. */
function uniqueIdIndex(ids: Float64Array, what: string): IdIndex {
  const index = buildIdIndex(ids);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === 0) throw malformed(`a ${what} has the reserved id 0`);
    if (index.get(ids[i]) !== i) throw malformed(`two ${what}s have the id ${ids[i]}`);
  }
  return index;
}

/** End of the top-level field starting at pos, or -1 if it is not complete within end. */
function completeFieldEnd(buf: Uint8Array, pos: number, end: number): number {
  let tag = 0;
  let mul = 1;
  let p = pos;
  for (;;) {
    if (p >= end) return -1;
    const b = buf[p++];
    tag += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 128;
    if (p - pos >= 10) throw malformed('varint longer than 10 bytes');
  }
  switch (tag % 8) {
    case 0: {
      const start = p;
      for (;;) {
        if (p >= end) return -1;
        if (buf[p++] < 0x80) return p;
        if (p - start >= 10) throw malformed('varint longer than 10 bytes');
      }
    }
    case 1:
      return p + 8 <= end ? p + 8 : -1;
    case 5:
      return p + 4 <= end ? p + 4 : -1;
    case 2: {
      let len = 0;
      let m = 1;
      const start = p;
      for (;;) {
        if (p >= end) return -1;
        const b = buf[p++];
        len += (b & 0x7f) * m;
        if (b < 0x80) break;
        m *= 128;
        if (p - start >= 10) throw malformed('varint longer than 10 bytes');
      }
      if (len > MAX_FIELD_BYTES) throw fieldTooLarge(tag, len);
      return p + len <= end ? p + len : -1;
    }
    default:
      throw malformed(`unsupported wire type ${tag % 8}`);
  }
}

/**
 * The longest top-level field (one sample, location, function, mapping or string) read. Real
 * ones are bytes to kilobytes; a field must be whole before it is parsed, so without this one
 * huge string would hold the inflated stream in memory up to the inflate cap.
 */
export const MAX_FIELD_BYTES = 64 * 1024 * 1024;

function fieldTooLarge(tag: number, len: number): ProfileError {
  return new ProfileError(
    'too-large',
    `the profile has a field ${Math.floor(tag / 8)} of ${(len / 1024 / 1024).toFixed(0)} MiB, more than ${MAX_FIELD_BYTES / 1024 / 1024} MiB: not a profile this viewer can hold`,
  );
}

// How readVarintFields decodes each varint field, by field number (index 0 unused).
const UINT = 1;
const INT64 = 2;
/** A bool: the last occurrence wins. */
const BOOL = 3;
/** A bool that stays true once any occurrence is true. */
const BOOL_ANY = 4;
const VALUE_TYPE_FIELDS = Uint8Array.of(0, INT64, INT64);
const LINE_FIELDS = Uint8Array.of(0, UINT, INT64);
// id, memory_start, memory_limit, file_offset, filename, build_id, has_functions,
// has_filenames, has_line_numbers, has_inline_frames
const MAPPING_FIELDS = Uint8Array.of(
  0,
  UINT,
  UINT,
  UINT,
  UINT,
  INT64,
  INT64,
  BOOL_ANY,
  BOOL_ANY,
  BOOL_ANY,
  BOOL_ANY,
);
// id, mapping_id, address, line (a message: `nested`), is_folded
const LOCATION_FIELDS = Uint8Array.of(0, UINT, UINT, UINT, 0, BOOL);
// id, name, system_name, filename, start_line
const FUNCTION_FIELDS = Uint8Array.of(0, UINT, INT64, INT64, INT64, INT64);
const NESTED_FIELD = 4;

/**
 * Reads the sub-message ending at `end` with the reader limited to it, so a corrupt length cannot
 * run past it. Varint field f is decoded as kinds[f] says into out[f] (0 when absent); a
 * length-delimited field 4 goes to `nested` when given. As in pprof's decoder, a known field
 * of another wire type is an error and anything else (field 0 too) is skipped.
 */
function readVarintFields(
  r: ProtobufReader,
  end: number,
  kinds: Uint8Array,
  out: Float64Array,
  what: string,
  nested?: (end: number) => void,
): Float64Array {
  const outer = r.end;
  r.end = end;
  out.fill(0, 0, kinds.length);
  while (r.pos < end) {
    const tag = r.uint();
    const field = Math.floor(tag / 8);
    const kind = field < kinds.length ? kinds[field] : 0;
    if (kind !== 0) {
      if ((tag & 7) !== 0) throw wrongWire(what, tag);
      if (kind === UINT) out[field] = r.uint();
      else if (kind === INT64) out[field] = r.int64();
      else if (kind === BOOL) out[field] = r.bool() ? 1 : 0;
      else if (r.bool()) out[field] = 1;
    } else if (field === NESTED_FIELD && nested) {
      if ((tag & 7) !== 2) throw wrongWire(what, tag);
      nested(r.delimitedEnd());
    } else r.skip(tag & 7);
  }
  r.end = outer;
  return out;
}

function expectWire(field: number, wire: number, want: number): void {
  if (wire !== want) throw malformed(`field ${field} has wire type ${wire}, expected ${want}`);
}

/** pprof's "type mismatch": a known field of a message written with the wrong wire type. */
function wrongWire(what: string, tag: number): ProfileError {
  return malformed(`field ${Math.floor(tag / 8)} of ${what} has the wrong wire type (${tag & 7})`);
}
