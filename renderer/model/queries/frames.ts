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

  intern(name: string, file: string, line: number): number {
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.index.set(name, id);
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
}

export interface HideShow {
  hide?: GoRegexp | null;
  show?: GoRegexp | null;
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
  filter: HideShow = {},
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
  const { hide, show } = filter;
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
    if (hide && objfile !== '' && hide.test(objfile)) hideAll = true;
    if (show && objfile !== '' && show.test(objfile)) showAll = true;
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
    if (!hadLines) {
      const name =
        granularity === 'addresses'
          ? printableName(address, '', '', 0, objfile)
          : printableName(0, '', '', 0, objfile);
      frames.push(table.intern(name, '', 0));
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
        case 'addresses':
          label = printableName(address, name, file, lineNo, objfile);
          frameLine = lineNo;
          break;
        default:
          label = printableName(0, name, '', 0, objfile);
          frameLine = fn >= 0 ? fns.startLine[fn] : 0;
      }
      frames.push(table.intern(label, file, frameLine));
      inlined.push(k < keptLines.length - 1 ? 1 : 0);
    }
  }
  start[n] = frames.length;
  return { start, frames: frames.toArray(), inlined: inlined.toArray(), hidden };
}
