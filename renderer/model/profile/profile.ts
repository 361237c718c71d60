import type { ProfileSummary, ValueType } from '../types';
import type { StringTable } from '../decoding/stringTable';

/** Mapping fields; indices into these arrays are "mapping indices" (not pprof ids). */
export interface MappingTable {
  id: Float64Array;
  memoryStart: Float64Array;
  memoryLimit: Float64Array;
  fileOffset: Float64Array;
  file: Int32Array;
  buildId: Int32Array;
  /** Bits: 1 has_functions, 2 has_filenames, 4 has_line_numbers, 8 has_inline_frames. */
  flags: Uint8Array;
}

export interface FunctionTable {
  id: Float64Array;
  name: Int32Array;
  systemName: Int32Array;
  filename: Int32Array;
  startLine: Float64Array;
}

/** Locations with their Line entries flattened: lines of location i are [lineStart[i], lineStart[i+1]), innermost first. */
export interface LocationTable {
  id: Float64Array;
  /** Mapping index, or -1. */
  mapping: Int32Array;
  address: Float64Array;
  isFolded: Uint8Array;
  lineStart: Int32Array;
  /** Function index per line, or -1. */
  lineFunction: Int32Array;
  lineNumber: Float64Array;
}

/**
 * Every sample's stack, stored as a trie of locations: node 0 is the root, a node's parent always
 * has a smaller index, and a sample points at its leaf node. Shared prefixes are stored once,
 * and every later view walks trie nodes instead of per-sample stacks.
 */
export interface StackTrie {
  parent: Int32Array;
  /** Location index of the node (-1 for the root). */
  location: Int32Array;
  size: number;
}

export interface SampleTable {
  count: number;
  leaf: Int32Array;
  /** count × sampleTypes.length, row-major. */
  values: Float64Array;
  /** Labels of sample i are [labelStart[i], labelStart[i+1]); null when no sample has labels. */
  labelStart: Int32Array | null;
  labelKey: Int32Array;
  /** String index, 0 for numeric labels. */
  labelStr: Int32Array;
  labelNum: Float64Array;
  labelNumUnit: Int32Array;
}

export interface ProfileData {
  strings: StringTable;
  sampleTypes: { type: number; unit: number }[];
  defaultSampleType: number;
  periodType: { type: number; unit: number } | null;
  period: number;
  durationNanos: number;
  timeNanos: number;
  comments: number[];
  dropFrames: number;
  keepFrames: number;
  mappings: MappingTable;
  functions: FunctionTable;
  locations: LocationTable;
  trie: StackTrie;
  samples: SampleTable;
}

/** A decoded pprof profile: columnar and immutable. Build views with buildFlameTree, topTable, … */
export class Profile {
  readonly strings: StringTable;
  readonly mappings: MappingTable;
  readonly functions: FunctionTable;
  readonly locations: LocationTable;
  /** The stacks as stored in the file, before drop_frames. */
  readonly rawTrie: StackTrie;
  readonly samples: SampleTable;
  readonly data: ProfileData;
  readonly sampleTypes: ValueType[];
  private cachedSummary: ProfileSummary | null = null;
  /** Filled by stacks.ts: the trie with drop_frames/keep_frames applied, and each sample's leaf in it. */
  prunedStacks: { trie: StackTrie; leaf: Int32Array } | null = null;

  constructor(data: ProfileData) {
    this.data = data;
    this.strings = data.strings;
    this.mappings = data.mappings;
    this.functions = data.functions;
    this.locations = data.locations;
    this.rawTrie = data.trie;
    this.samples = data.samples;
    this.sampleTypes = data.sampleTypes.map((t) => ({
      type: this.strings.get(t.type),
      unit: this.strings.get(t.unit),
    }));
  }

  str(i: number): string {
    return this.strings.get(i);
  }

  get dropFrames(): string {
    return this.str(this.data.dropFrames);
  }

  get keepFrames(): string {
    return this.str(this.data.keepFrames);
  }

  /** pprof's default: default_sample_type when it names a type, else the last sample type. */
  get defaultSampleIndex(): number {
    const want = this.str(this.data.defaultSampleType);
    if (want !== '') {
      const i = this.sampleTypes.findIndex((t) => t.type === want);
      if (i >= 0) return i;
    }
    return Math.max(0, this.sampleTypes.length - 1);
  }

  /** Resolves a sample type given as a name (e.g. "inuse_space") or an index, as pprof's -sample_index. */
  sampleIndexOf(nameOrIndex: string | number): number {
    if (typeof nameOrIndex === 'number' || /^\d+$/.test(nameOrIndex)) {
      const i = Number(nameOrIndex);
      return i >= 0 && i < this.sampleTypes.length ? i : -1;
    }
    // pprof accepts "sample_index=inuse" style prefixes less strictly; exact names are enough here.
    return this.sampleTypes.findIndex((t) => t.type === nameOrIndex);
  }

  totals(): number[] {
    const nt = this.sampleTypes.length;
    const totals = new Array<number>(nt).fill(0);
    const v = this.samples.values;
    for (let s = 0; s < this.samples.count; s++) {
      for (let t = 0; t < nt; t++) totals[t] += v[s * nt + t];
    }
    return totals;
  }

  labelKeys(): string[] {
    const keys = new Set<number>();
    const { labelKey, labelStart } = this.samples;
    if (labelStart) {
      const n = labelStart[this.samples.count];
      for (let i = 0; i < n; i++) keys.add(labelKey[i]);
    }
    return [...keys].map((k) => this.str(k)).sort();
  }

  summary(): ProfileSummary {
    if (this.cachedSummary) return this.cachedSummary;
    const d = this.data;
    const mainFile = this.mappings.id.length > 0 ? this.str(this.mappings.file[0]) : '';
    this.cachedSummary = {
      sampleTypes: this.sampleTypes.map((t) => ({ ...t })),
      defaultSampleIndex: this.defaultSampleIndex,
      periodType: d.periodType
        ? { type: this.str(d.periodType.type), unit: this.str(d.periodType.unit) }
        : null,
      period: d.period,
      durationNanos: d.durationNanos,
      timeNanos: d.timeNanos,
      comments: d.comments.map((c) => this.str(c)),
      dropFrames: this.dropFrames,
      keepFrames: this.keepFrames,
      sampleCount: this.samples.count,
      totals: this.totals(),
      labelKeys: this.labelKeys(),
      mainBinary: mainFile.replace(/^.*[\\/]/, ''),
    };
    return this.cachedSummary;
  }
}

export function summarize(p: Profile): ProfileSummary {
  return p.summary();
}
