import { GrowableFloat64, GrowableInt32 } from '../collections/growable';
import { Profile } from './profile';
import type { ProfileData } from './profile';
import { StringTable } from '../decoding/stringTable';
import { TrieBuilder } from './trieBuilder';

/**
 * pprof's Mapping.key: one binary is one mapping wherever it was loaded and whatever path it
 * was read from when it has a build ID (the size rounded up to 4 KiB, as loaders differ by a
 * page).
 */
function mappingKey(size: number, offset: number, buildIdOrFile: string): string {
  const page = 0x1000;
  const rounded = Math.ceil(size / page) * page;
  return `${rounded}|${offset}|${buildIdOrFile}`;
}

/**
 * Builds a Profile by copying pieces of other profiles, interning strings, mappings, functions
 * and locations so equal entries are shared (as pprof's Merge does).
 */
export class ProfileBuilder {
  private readonly strings: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);
  private readonly mappingKeys = new Map<string, number>();
  private readonly functionKeys = new Map<string, number>();
  private readonly locationKeys = new Map<string, number>();
  private readonly trie = new TrieBuilder();
  private readonly sampleKeys = new Map<string, number>();
  private readonly leaf = new GrowableInt32();
  private readonly values = new GrowableFloat64();
  private readonly sampleLabels: number[][] = [];
  private readonly m = {
    id: [] as number[],
    start: [] as number[],
    limit: [] as number[],
    offset: [] as number[],
    file: [] as number[],
    buildId: [] as number[],
    flags: [] as number[],
  };
  private readonly f = {
    id: [] as number[],
    name: [] as number[],
    systemName: [] as number[],
    filename: [] as number[],
    startLine: [] as number[],
  };
  private readonly l = {
    id: [] as number[],
    mapping: [] as number[],
    address: [] as number[],
    folded: [] as number[],
    lineStart: [0] as number[],
    lineFunction: [] as number[],
    lineNumber: [] as number[],
  };
  readonly header: Omit<
    ProfileData,
    'strings' | 'mappings' | 'functions' | 'locations' | 'trie' | 'samples'
  >;
  private readonly numTypes: number;

  constructor(template: Profile) {
    const d = template.data;
    const s = (i: number): number => this.str(template.str(i));
    this.header = {
      sampleTypes: d.sampleTypes.map((t) => ({ type: s(t.type), unit: s(t.unit) })),
      defaultSampleType: s(d.defaultSampleType),
      periodType: d.periodType ? { type: s(d.periodType.type), unit: s(d.periodType.unit) } : null,
      period: d.period,
      durationNanos: d.durationNanos,
      timeNanos: d.timeNanos,
      comments: d.comments.map(s),
      dropFrames: s(d.dropFrames),
      keepFrames: s(d.keepFrames),
    };
    this.numTypes = d.sampleTypes.length;
  }

  str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  /** Maps every location of `src` into this profile; returns src location index → new index. */
  addLocations(src: Profile): Int32Array {
    const mappingMap = new Int32Array(src.mappings.id.length);
    // What src's addresses in each mapping move by: a binary loaded elsewhere (ASLR) is one.
    const shift = new Float64Array(mappingMap.length);
    const sm = src.mappings;
    for (let i = 0; i < mappingMap.length; i++) {
      const file = this.str(src.str(sm.file[i]));
      const buildId = this.str(src.str(sm.buildId[i]));
      const key = mappingKey(
        sm.memoryLimit[i] - sm.memoryStart[i],
        sm.fileOffset[i],
        src.str(sm.buildId[i]) || src.str(sm.file[i]),
      );
      let idx = this.mappingKeys.get(key);
      if (idx === undefined) {
        idx = this.m.id.length;
        this.mappingKeys.set(key, idx);
        this.m.id.push(idx + 1);
        this.m.start.push(sm.memoryStart[i]);
        this.m.limit.push(sm.memoryLimit[i]);
        this.m.offset.push(sm.fileOffset[i]);
        this.m.file.push(file);
        this.m.buildId.push(buildId);
        this.m.flags.push(sm.flags[i]);
      } else {
        this.m.flags[idx] |= sm.flags[i];
        shift[i] = this.m.start[idx] - sm.memoryStart[i];
      }
      mappingMap[i] = idx;
    }
    const sf = src.functions;
    const functionMap = new Int32Array(sf.id.length);
    for (let i = 0; i < functionMap.length; i++) {
      const name = this.str(src.str(sf.name[i]));
      const systemName = this.str(src.str(sf.systemName[i]));
      const filename = this.str(src.str(sf.filename[i]));
      const key = `${name}|${systemName}|${filename}|${sf.startLine[i]}`;
      let idx = this.functionKeys.get(key);
      if (idx === undefined) {
        idx = this.f.id.length;
        this.functionKeys.set(key, idx);
        this.f.id.push(idx + 1);
        this.f.name.push(name);
        this.f.systemName.push(systemName);
        this.f.filename.push(filename);
        this.f.startLine.push(sf.startLine[i]);
      }
      functionMap[i] = idx;
    }
    const sl = src.locations;
    const locationMap = new Int32Array(sl.id.length);
    for (let i = 0; i < locationMap.length; i++) {
      const mapping = sl.mapping[i] >= 0 ? mappingMap[sl.mapping[i]] : -1;
      const address = sl.address[i] + (sl.mapping[i] >= 0 ? shift[sl.mapping[i]] : 0);
      let key = `${mapping}|${address}|${sl.isFolded[i]}`;
      for (let k = sl.lineStart[i]; k < sl.lineStart[i + 1]; k++) {
        const fn = sl.lineFunction[k];
        key += `|${fn >= 0 ? functionMap[fn] : -1}:${sl.lineNumber[k]}`;
      }
      let idx = this.locationKeys.get(key);
      if (idx === undefined) {
        idx = this.l.id.length;
        this.locationKeys.set(key, idx);
        this.l.id.push(idx + 1);
        this.l.mapping.push(mapping);
        this.l.address.push(address);
        this.l.folded.push(sl.isFolded[i]);
        for (let k = sl.lineStart[i]; k < sl.lineStart[i + 1]; k++) {
          const fn = sl.lineFunction[k];
          this.l.lineFunction.push(fn >= 0 ? functionMap[fn] : -1);
          this.l.lineNumber.push(sl.lineNumber[k]);
        }
        this.l.lineStart.push(this.l.lineFunction.length);
      }
      locationMap[i] = idx;
    }
    return locationMap;
  }

  /**
   * Adds all samples of `src` (values multiplied by `scale`), merging samples with the same stack
   * and labels as pprof does.
   */
  addSamples(src: Profile, scale = 1, keep?: (sample: number) => boolean): void {
    const locationMap = this.addLocations(src);
    const raw = src.rawTrie;
    const mapped = new Int32Array(raw.size);
    for (let n = 1; n < raw.size; n++)
      mapped[n] = this.trie.child(mapped[raw.parent[n]], locationMap[raw.location[n]]);
    const ss = src.samples;
    const nt = this.numTypes;
    for (let s = 0; s < ss.count; s++) {
      if (keep && !keep(s)) continue;
      const leaf = mapped[ss.leaf[s]];
      const labels: number[] = [];
      if (ss.labelStart) {
        for (let i = ss.labelStart[s]; i < ss.labelStart[s + 1]; i++) {
          labels.push(
            this.str(src.str(ss.labelKey[i])),
            this.str(src.str(ss.labelStr[i])),
            ss.labelNum[i],
            this.str(src.str(ss.labelNumUnit[i])),
          );
        }
      }
      const key = labels.length ? `${leaf}|${labels.join(',')}` : String(leaf);
      let idx = this.sampleKeys.get(key);
      if (idx === undefined) {
        idx = this.leaf.length;
        this.sampleKeys.set(key, idx);
        this.leaf.push(leaf);
        for (let t = 0; t < nt; t++) this.values.push(0);
        this.sampleLabels.push(labels);
      }
      for (let t = 0; t < nt; t++) this.values.data[idx * nt + t] += ss.values[s * nt + t] * scale;
    }
  }

  build(): Profile {
    const count = this.leaf.length;
    const labelCount = this.sampleLabels.reduce((a, l) => a + l.length / 4, 0);
    const labelStart = labelCount > 0 ? new Int32Array(count + 1) : null;
    const labelKey = new Int32Array(labelCount);
    const labelStr = new Int32Array(labelCount);
    const labelNum = new Float64Array(labelCount);
    const labelNumUnit = new Int32Array(labelCount);
    if (labelStart) {
      let at = 0;
      for (let s = 0; s < count; s++) {
        labelStart[s] = at;
        const l = this.sampleLabels[s];
        for (let i = 0; i < l.length; i += 4, at++) {
          labelKey[at] = l[i];
          labelStr[at] = l[i + 1];
          labelNum[at] = l[i + 2];
          labelNumUnit[at] = l[i + 3];
        }
      }
      labelStart[count] = at;
    }
    return new Profile({
      ...this.header,
      strings: StringTable.fromStrings(this.strings),
      mappings: {
        id: Float64Array.from(this.m.id),
        memoryStart: Float64Array.from(this.m.start),
        memoryLimit: Float64Array.from(this.m.limit),
        fileOffset: Float64Array.from(this.m.offset),
        file: Int32Array.from(this.m.file),
        buildId: Int32Array.from(this.m.buildId),
        flags: Uint8Array.from(this.m.flags),
      },
      functions: {
        id: Float64Array.from(this.f.id),
        name: Int32Array.from(this.f.name),
        systemName: Int32Array.from(this.f.systemName),
        filename: Int32Array.from(this.f.filename),
        startLine: Float64Array.from(this.f.startLine),
      },
      locations: {
        id: Float64Array.from(this.l.id),
        mapping: Int32Array.from(this.l.mapping),
        address: Float64Array.from(this.l.address),
        isFolded: Uint8Array.from(this.l.folded),
        lineStart: Int32Array.from(this.l.lineStart),
        lineFunction: Int32Array.from(this.l.lineFunction),
        lineNumber: Float64Array.from(this.l.lineNumber),
      },
      trie: this.trie.finish(),
      samples: {
        count,
        leaf: this.leaf.toArray(),
        values: this.values.toArray(),
        labelStart,
        labelKey,
        labelStr,
        labelNum,
        labelNumUnit,
      },
    });
  }
}
