import { ProfileError } from '../errors';
import { scaleValue } from '../format';
import { compileGoRegexp, goRegexpError, type GoRegexp } from '../goRegexp';
import type { Profile } from '../profile/profile';
import type { Stacks } from '../profile/stacks';
import type { ViewOptions } from '../types';

export interface CompiledFilters {
  focus: GoRegexp | null;
  ignore: GoRegexp | null;
  hide: GoRegexp | null;
  show: GoRegexp | null;
  showFrom: GoRegexp | null;
  tagFocus: string;
  tagIgnore: string;
}

/** A regexp option as pprof compiles it (none when empty), or a ProfileError saying why not. */
export function compileRegexOption(name: string, source: string | undefined): GoRegexp | null {
  if (source === undefined || source === '') return null;
  const re = compileGoRegexp(source);
  if (!re)
    throw new ProfileError(
      'bad-option',
      `invalid ${name} regular expression: ${goRegexpError(source)}`,
    );
  return re;
}

export function compileFilters(opts: ViewOptions): CompiledFilters {
  return {
    focus: compileRegexOption('focus', opts.focus),
    ignore: compileRegexOption('ignore', opts.ignore),
    hide: compileRegexOption('hide', opts.hide),
    show: compileRegexOption('show', opts.show),
    showFrom: compileRegexOption('show_from', opts.showFrom),
    tagFocus: opts.tagFocus ?? '',
    tagIgnore: opts.tagIgnore ?? '',
  };
}

export function hasSampleFilters(f: CompiledFilters): boolean {
  return f.focus !== null || f.ignore !== null || f.tagFocus !== '' || f.tagIgnore !== '';
}

type SampleTest = (profile: Profile, sample: number) => boolean;

/** pprof's tagFilterRangeRx: ASCII digits with an optional sign, then optional ASCII letters. */
const TAG_RANGE = /([+-]?[0-9]+)([A-Za-z]+)?/g;

/**
 * pprof's parseTagFilterRange: "32kb" (equal), "4mb:" (at least), ":64kb" (at most),
 * "12kb:64mb" (between), found anywhere in the filter but then required to be the whole of it;
 * values compare after measurement.Scale to the first one's unit, and a label whose unit is of
 * another kind never matches (a bare number matches no bytes label). Null: not a range, so a
 * regexp.
 */
function parseTagFilterRange(filter: string): ((value: number, unit: string) => boolean) | null {
  const ranges = [...filter.matchAll(TAG_RANGE)].slice(0, 2);
  if (ranges.length === 0) return null;
  const [scaled, unit] = scaleValue(Number(ranges[0][1]), ranges[0][2] ?? '', ranges[0][2] ?? '');
  const test =
    (within: (v: number) => boolean) =>
    (v: number, u: string): boolean => {
      const [sv, su] = scaleValue(v, u, unit);
      return su === unit && within(sv);
    };
  const match = ranges[0][0];
  if (ranges.length === 1) {
    if (filter === match) return test((v) => v === scaled);
    if (filter === `${match}:`) return test((v) => v >= scaled);
    if (filter === `:${match}`) return test((v) => v <= scaled);
    return null;
  }
  if (filter !== `${match}:${ranges[1][0]}`) return null;
  const [scaled2, unit2] = scaleValue(Number(ranges[1][1]), ranges[1][2] ?? '', unit);
  if (unit2 !== unit) return null;
  return test((v) => v >= scaled && v <= scaled2);
}

/**
 * pprof's Profile.NumLabelUnits: each numeric label key's unit is the first one a sample
 * gives it; a key never given one is taken as its own unit ("bytes" is bytes), but for
 * "alignment" and "request", which are bytes.
 */
const numLabelUnitsOf = new WeakMap<Profile, Map<number, string>>();
export function numLabelUnits(p: Profile): Map<number, string> {
  const known = numLabelUnitsOf.get(p);
  if (known) return known;
  const units = new Map<number, string>();
  const { labelStart, labelKey, labelStr, labelNumUnit } = p.samples;
  if (labelStart) {
    const end = labelStart[labelStart.length - 1];
    for (let i = 0; i < end; i++) {
      if (labelStr[i] !== 0) continue;
      const unit = p.str(labelNumUnit[i]);
      if (!units.get(labelKey[i])) units.set(labelKey[i], unit);
    }
  }
  for (const [key, unit] of units) {
    if (unit !== '') continue;
    const name = p.str(key);
    units.set(key, name === 'alignment' || name === 'request' ? 'bytes' : name);
  }
  numLabelUnitsOf.set(p, units);
  return units;
}

/** pprof's compileTagFilter: "key=re1,re2", "re" (matched against "key:value"), or numeric ranges. */
export function compileTagFilter(name: string, spec: string): SampleTest | null {
  if (spec === '') return null;
  const eq = spec.indexOf('=');
  const wantKey = eq >= 0 ? spec.slice(0, eq) : '';
  const value = eq >= 0 ? spec.slice(eq + 1) : spec;
  const num = parseTagFilterRange(value);
  if (num) {
    return (p, s) => {
      const { labelStart, labelKey, labelStr, labelNum } = p.samples;
      if (!labelStart) return false;
      const units = numLabelUnits(p);
      for (let i = labelStart[s]; i < labelStart[s + 1]; i++) {
        if (labelStr[i] !== 0) continue;
        if (wantKey !== '' && p.str(labelKey[i]) !== wantKey) continue;
        if (num(labelNum[i], units.get(labelKey[i]) ?? '')) return true;
      }
      return false;
    };
  }
  const res = value.split(',').map((v) => {
    const re = compileGoRegexp(v);
    if (!re)
      throw new ProfileError(
        'bad-option',
        `invalid ${name} regular expression: ${goRegexpError(v)}`,
      );
    return re;
  });
  if (wantKey === '') {
    return (p, s) => {
      const { labelStart, labelKey, labelStr } = p.samples;
      outer: for (const re of res) {
        if (labelStart) {
          for (let i = labelStart[s]; i < labelStart[s + 1]; i++) {
            if (labelStr[i] !== 0 && re.test(`${p.str(labelKey[i])}:${p.str(labelStr[i])}`))
              continue outer;
          }
        }
        return false;
      }
      return true;
    };
  }
  return (p, s) => {
    const { labelStart, labelKey, labelStr } = p.samples;
    if (!labelStart) return false;
    for (let i = labelStart[s]; i < labelStart[s + 1]; i++) {
      if (labelStr[i] === 0 || p.str(labelKey[i]) !== wantKey) continue;
      const v = p.str(labelStr[i]);
      for (const re of res) if (re.test(v)) return true;
    }
    return false;
  };
}

/** pprof's Location.matchesName, over the lines left after drop_frames. */
function locationMatches(profile: Profile, stacks: Stacks, re: GoRegexp): Uint8Array {
  const locs = profile.locations;
  const fns = profile.functions;
  const out = new Uint8Array(locs.id.length);
  const fnMatch = new Int8Array(fns.id.length).fill(-1);
  for (let l = 0; l < out.length; l++) {
    for (let i = stacks.lineBegin[l]; i < locs.lineStart[l + 1] && !out[l]; i++) {
      const f = locs.lineFunction[i];
      if (f < 0) continue;
      if (fnMatch[f] < 0) {
        fnMatch[f] =
          re.test(profile.str(fns.name[f])) || re.test(profile.str(fns.filename[f])) ? 1 : 0;
      }
      if (fnMatch[f]) out[l] = 1;
    }
    const m = locs.mapping[l];
    if (!out[l] && m >= 0 && re.test(profile.str(profile.mappings.file[m]))) out[l] = 1;
  }
  return out;
}

/**
 * Which samples survive focus/ignore/tagfocus/tagignore. Focus and ignore look at the whole stack,
 * so they are computed once per trie node rather than once per sample.
 */
export function sampleMask(
  profile: Profile,
  stacks: Stacks,
  f: CompiledFilters,
): Uint8Array | null {
  if (!hasSampleFilters(f)) return null;
  const n = profile.samples.count;
  const keep = new Uint8Array(n).fill(1);
  const trie = stacks.trie;
  if (f.focus || f.ignore) {
    // Bit 1: a focused location on the path; bit 2: an ignored one.
    const flags = new Uint8Array(trie.size);
    const focusLoc = f.focus ? locationMatches(profile, stacks, f.focus) : null;
    const ignoreLoc = f.ignore ? locationMatches(profile, stacks, f.ignore) : null;
    for (let t = 1; t < trie.size; t++) {
      const loc = trie.location[t];
      let fl = flags[trie.parent[t]];
      if (ignoreLoc && ignoreLoc[loc]) fl |= 2;
      else if (!focusLoc || focusLoc[loc]) fl |= 1;
      flags[t] = fl;
    }
    for (let s = 0; s < n; s++) {
      const fl = flags[stacks.leaf[s]];
      if (fl & 2 || !(fl & 1)) keep[s] = 0;
    }
  }
  const tf = compileTagFilter('tagfocus', f.tagFocus);
  const ti = compileTagFilter('tagignore', f.tagIgnore);
  if (tf || ti) {
    for (let s = 0; s < n; s++) {
      if (!keep[s]) continue;
      if (tf && !tf(profile, s)) keep[s] = 0;
      else if (ti && ti(profile, s)) keep[s] = 0;
    }
  }
  return keep;
}
