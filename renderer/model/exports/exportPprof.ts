import type { GoRegexp } from '../goRegexp';
import {
  Function as PFunction,
  Label,
  Line,
  Location,
  Mapping,
  Profile as PProfile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { compileFilters, sampleMask } from '../queries/filters';
import type { Profile } from '../profile/profile';
import { profileStacks } from '../profile/stacks';
import type { ViewOptions } from '../types';

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** pprof ints are int64; negative values must go through BigInt to be encoded as two's complement. */
function int(v: number): number | bigint {
  return v < 0 ? BigInt(Math.round(v)) : Math.round(v);
}

/**
 * The profile as gzipped pprof, with the view's sample filters (focus/ignore/tags) and hide/show
 * applied, so `go tool pprof` on the file shows what the view showed. All sample types are kept.
 */
export async function exportPprof(profile: Profile, opts: ViewOptions = {}): Promise<Uint8Array> {
  const filters = compileFilters(opts);
  const mask = sampleMask(profile, profileStacks(profile), filters);
  const strings = new StringTable();
  const s = (i: number): number => strings.dedup(profile.str(i));
  const d = profile.data;

  const fns = profile.functions;
  const fnNames = Array.from(fns.name, (i) => profile.str(i));
  const fnFiles = Array.from(fns.filename, (i) => profile.str(i));
  const functions = rows(
    fns.id.length,
    (f) =>
      new PFunction({
        id: f + 1,
        name: s(fns.name[f]),
        systemName: s(fns.systemName[f]),
        filename: s(fns.filename[f]),
        startLine: int(fns.startLine[f]),
      }),
  );
  const ms = profile.mappings;
  const mappings = rows(
    ms.id.length,
    (m) =>
      new Mapping({
        id: m + 1,
        memoryStart: int(ms.memoryStart[m]),
        memoryLimit: int(ms.memoryLimit[m]),
        fileOffset: int(ms.fileOffset[m]),
        filename: s(ms.file[m]),
        buildId: s(ms.buildId[m]),
        hasFunctions: (ms.flags[m] & 1) !== 0,
        hasFilenames: (ms.flags[m] & 2) !== 0,
        hasLineNumbers: (ms.flags[m] & 4) !== 0,
        hasInlineFrames: (ms.flags[m] & 8) !== 0,
      }),
  );

  // hide/show remove lines (and whole locations) as pprof's FilterSamplesByName does.
  const { hide, show } = filters;
  const lineMatches = (re: GoRegexp, fn: number): boolean =>
    fn >= 0 && (re.test(fnNames[fn]) || re.test(fnFiles[fn]));
  const locs = profile.locations;
  const hidden = new Uint8Array(locs.id.length);
  const locations: Location[] = [];
  for (let l = 0; l < locs.id.length; l++) {
    const mapping = locs.mapping[l];
    const objfile = mapping >= 0 ? profile.str(ms.file[mapping]) : '';
    const lines: Line[] = [];
    const hideAll = hide !== null && objfile !== '' && hide.test(objfile);
    const showAll = show !== null && objfile !== '' && show.test(objfile);
    if (!hideAll) {
      for (let i = locs.lineStart[l]; i < locs.lineStart[l + 1]; i++) {
        const fn = locs.lineFunction[i];
        if (hide && lineMatches(hide, fn)) continue;
        if (show && !showAll && fn >= 0 && !lineMatches(show, fn)) continue;
        lines.push(new Line({ functionId: fn + 1, line: int(locs.lineNumber[i]) }));
      }
    }
    const hadLines = locs.lineStart[l + 1] > locs.lineStart[l];
    if ((hide || show) && (hideAll || (lines.length === 0 && (hadLines || (show && !showAll)))))
      hidden[l] = 1;
    locations.push(
      new Location({
        id: l + 1,
        mappingId: mapping + 1,
        address: int(locs.address[l]),
        line: lines,
        isFolded: locs.isFolded[l] !== 0,
      }),
    );
  }

  const trie = profile.rawTrie;
  const ss = profile.samples;
  const nt = profile.sampleTypes.length;
  const samples: Sample[] = [];
  for (let i = 0; i < ss.count; i++) {
    if (mask && !mask[i]) continue;
    const locationId: number[] = [];
    for (let n = ss.leaf[i]; n > 0; n = trie.parent[n]) {
      const loc = trie.location[n];
      if (!hidden[loc]) locationId.push(loc + 1);
    }
    if ((hide || show) && locationId.length === 0) continue;
    const value: (number | bigint)[] = [];
    for (let t = 0; t < nt; t++) value.push(int(ss.values[i * nt + t]));
    const label: Label[] = [];
    if (ss.labelStart) {
      for (let k = ss.labelStart[i]; k < ss.labelStart[i + 1]; k++) {
        label.push(
          new Label({
            key: s(ss.labelKey[k]),
            str: s(ss.labelStr[k]),
            num: int(ss.labelNum[k]),
            numUnit: s(ss.labelNumUnit[k]),
          }),
        );
      }
    }
    samples.push(new Sample({ locationId, value, label }));
  }

  const out = new PProfile({
    sampleType: d.sampleTypes.map((t) => new ValueType({ type: s(t.type), unit: s(t.unit) })),
    sample: samples,
    mapping: mappings,
    location: locations,
    function: functions,
    stringTable: strings,
    dropFrames: s(d.dropFrames),
    keepFrames: s(d.keepFrames),
    timeNanos: int(d.timeNanos),
    durationNanos: int(d.durationNanos),
    periodType: d.periodType
      ? new ValueType({ type: s(d.periodType.type), unit: s(d.periodType.unit) })
      : undefined,
    period: int(d.period),
    comment: d.comments.map(s),
    defaultSampleType: s(d.defaultSampleType),
  });
  return gzip(out.encode());
}

/** [make(0), …, make(n - 1)]. */
function rows<T>(n: number, make: (i: number) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(make(i));
  return out;
}
