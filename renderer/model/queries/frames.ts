import type { GoRegexp } from '../goRegexp';
import { GrowableBytes, GrowableInt32 } from '../collections/growable';
import type { Profile } from '../profile/profile';
import type { Stacks } from '../profile/stacks';
import type { Granularity } from '../types';

/**
 * Frames of a view: what a node of a call tree stands for at the chosen granularity. One table
 * is shared by a profile and its diff base so the same function gets the same frame id.
 */
export class FrameTable {
  readonly names: string[] = [];
  readonly files: string[] = [];
  readonly lines: number[] = [];
  private readonly index = new Map<string, number>();

  /**
   * `binary` tells apart frames of one name that pprof keeps apart: a frame without a function
   * name is its binary's (NodeInfo.Objfile, with the function's start line), so "[app]" of
   * /usr/bin/app and of /opt/app are two rows.
   */
  intern(name: string, file: string, line: number, binary = ''): number {
    const key = binary === '' ? name : `${name}\u0000${binary}`;
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.index.set(key, id);
      this.names.push(name);
      this.files.push(file);
      this.lines.push(line);
    }
    return id;
  }

  get size(): number {
    return this.names.length;
  }
}

/** The frames each location expands to, innermost (inlined callee) first, as pprof does. */
export interface LocationFrames {
  /** Frames of location l are frames[start[l] .. start[l+1]). */
  start: Int32Array;
  frames: Int32Array;
  /** 1 where the frame at that position was inlined into the next one (not the location's outermost line). */
  inlined: Uint8Array;
  /** 1 for locations removed by hide/show: samples skip them. */
  hidden: Uint8Array;
  /** With show_from: 1 for the (not hidden) locations it matched; a sample starts at its rootmost one. */
  showFrom: Uint8Array | null;
}

/** The filters that change what a location's frames are (pprof applies them in this order). */
export interface LineFilters {
  hide?: GoRegexp | null;
  show?: GoRegexp | null;
  showFrom?: GoRegexp | null;
  /** pprof's -noinlines: only the location's outermost remaining line. */
  noInlines?: boolean;
}

function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

function hex16(address: number): string {
  return address.toString(16).padStart(16, '0');
}

/** pprof's NodeInfo.PrintableName: address, function, file:line, falling back to [binary]. */
export function printableName(
  address: number,
  name: string,
  file: string,
  line: number,
  objfile: string,
): string {
  const parts: string[] = [];
  if (address !== 0) parts.push(hex16(address));
  if (name !== '') parts.push(name);
  if (line !== 0) parts.push(`${file}:${line}`);
  else if (file !== '') parts.push(file);
  else if (name === '') parts.push(objfile !== '' ? `[${baseName(objfile)}]` : '<unknown>');
  return parts.join(' ');
}

export function locationFrames(
  profile: Profile,
  stacks: Stacks,
  granularity: Granularity,
  table: FrameTable,
  filter: LineFilters = {},
): LocationFrames {
  const locs = profile.locations;
  const fns = profile.functions;
  const n = locs.id.length;
  const start = new Int32Array(n + 1);
  const frames = new GrowableInt32(n + 16);
  const inlined = new GrowableBytes(n + 16);
  // One scratch list for every location: per-location arrays would be hundreds of thousands of
  // short-lived objects on large profiles.
  const keptLines = new GrowableInt32(16);
  const hidden = new Uint8Array(n);
  const { hide, show, showFrom, noInlines } = filter;
  const showFromMatch = showFrom ? new Uint8Array(n) : null;
  const fnName: string[] = new Array<string>(fns.id.length);
  const fnFile: string[] = new Array<string>(fns.id.length);
  for (let f = 0; f < fns.id.length; f++) {
    fnName[f] = profile.str(fns.name[f]);
    fnFile[f] = profile.str(fns.filename[f]);
  }
  // At function granularity a named function's frame depends on the function alone: intern it
  // once, not once per line that calls it.
  const fnFrame = new Int32Array(granularity === 'functions' ? fns.id.length : 0).fill(-1);
  const lineMatches = (re: GoRegexp, fn: number): boolean =>
    fn >= 0 && (re.test(fnName[fn]) || re.test(fnFile[fn]));

  for (let l = 0; l < n; l++) {
    start[l] = frames.length;
    const mapping = locs.mapping[l];
    const objfile = mapping >= 0 ? profile.str(profile.mappings.file[mapping]) : '';
    const address = locs.address[l];
    const first = stacks.lineBegin[l];
    const end = locs.lineStart[l + 1];
    // Which lines survive hide/show, following pprof's unmatchedLines/matchedLines.
    keptLines.length = 0;
    let hideAll = false;
    let showAll = false;
    // pprof tests a location's mapping file whenever it has a mapping, even an unnamed one.
    if (hide && mapping >= 0 && hide.test(objfile)) hideAll = true;
    if (show && mapping >= 0 && show.test(objfile)) showAll = true;
    if (!hideAll) {
      for (let i = first; i < end; i++) {
        const fn = locs.lineFunction[i];
        if (hide && lineMatches(hide, fn)) continue;
        if (show && !showAll && fn >= 0 && !lineMatches(show, fn)) continue;
        keptLines.push(i);
      }
    }
    const hadLines = end > first;
    if (
      (hide || show) &&
      (hideAll || (keptLines.length === 0 && (hadLines || (show && !showAll))))
    ) {
      hidden[l] = 1;
      continue;
    }
    if (showFrom && showFromMatch) {
      // pprof's filterShowFromLocation: a matching mapping keeps every line; else the lines
      // outside (callers of) the outermost matching one go.
      if (mapping >= 0 && showFrom.test(objfile)) showFromMatch[l] = 1;
      else {
        for (let k = keptLines.length - 1; k >= 0; k--) {
          if (lineMatches(showFrom, locs.lineFunction[keptLines.data[k]])) {
            keptLines.length = k + 1;
            showFromMatch[l] = 1;
            break;
          }
        }
      }
    }
    // pprof's Aggregate(inlineFrame=false) keeps the last (outermost) line.
    if (noInlines && keptLines.length > 1) {
      keptLines.data[0] = keptLines.data[keptLines.length - 1];
      keptLines.length = 1;
    }
    if (!hadLines) {
      const name =
        granularity === 'addresses'
          ? printableName(address, '', '', 0, objfile)
          : printableName(0, '', '', 0, objfile);
      frames.push(table.intern(name, '', 0, objfile));
      inlined.push(0);
      continue;
    }
    const kept = keptLines.data;
    for (let k = 0; k < keptLines.length; k++) {
      const i = kept[k];
      const fn = locs.lineFunction[i];
      if (fnFrame.length > 0 && fn >= 0 && fnName[fn] !== '') {
        let id = fnFrame[fn];
        if (id < 0) id = fnFrame[fn] = table.intern(fnName[fn], fnFile[fn], fns.startLine[fn]);
        frames.push(id);
        inlined.push(k < keptLines.length - 1 ? 1 : 0);
        continue;
      }
      const name = fn >= 0 ? fnName[fn] : '';
      const file = fn >= 0 ? fnFile[fn] : '';
      const lineNo = locs.lineNumber[i];
      let label: string;
      let frameLine = 0;
      switch (granularity) {
        case 'lines':
          label = printableName(0, name, file, lineNo, objfile);
          frameLine = lineNo;
          break;
        case 'files':
          label = printableName(0, '', file, 0, objfile);
          break;
        case 'filefunctions':
          label = printableName(0, name, file, 0, objfile);
          frameLine = fn >= 0 ? fns.startLine[fn] : 0;
          break;
        case 'addresses':
          label = printableName(address, name, file, lineNo, objfile);
          frameLine = lineNo;
          break;
        default:
          label = printableName(0, name, '', 0, objfile);
          frameLine = fn >= 0 ? fns.startLine[fn] : 0;
      }
      // pprof's nodeInfo: a line without a function name (none at -files) keeps its binary and
      // its function's start line apart.
      const binary =
        name === '' || granularity === 'files'
          ? `${objfile}\u0000${fn >= 0 ? fns.startLine[fn] : 0}`
          : '';
      frames.push(table.intern(label, file, frameLine, binary));
      inlined.push(k < keptLines.length - 1 ? 1 : 0);
    }
  }
  start[n] = frames.length;
  return {
    start,
    frames: frames.toArray(),
    inlined: inlined.toArray(),
    hidden,
    showFrom: showFromMatch,
  };
}
