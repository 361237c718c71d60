import { ProfileError } from '../errors';
import { compileGoRegexp, type GoRegexp } from '../goRegexp';
import type { Profile } from '../profile/profile';
import type { Stacks } from '../profile/stacks';
import type { ViewOptions } from '../types';

export interface CompiledFilters {
  focus: GoRegexp | null;
  ignore: GoRegexp | null;
  hide: GoRegexp | null;
  show: GoRegexp | null;
  tagFocus: string;
  tagIgnore: string;
}

function compileOption(name: string, source: string | undefined): GoRegexp | null {
  if (source === undefined || source === '') return null;
  const re = compileGoRegexp(source);
  if (!re) throw new ProfileError('bad-option', `invalid ${name} regular expression: ${source}`);
  return re;
}

export function compileFilters(opts: ViewOptions): CompiledFilters {
  return {
    focus: compileOption('focus', opts.focus),
    ignore: compileOption('ignore', opts.ignore),
    hide: compileOption('hide', opts.hide),
    show: compileOption('show', opts.show),
    tagFocus: opts.tagFocus ?? '',
    tagIgnore: opts.tagIgnore ?? '',
  };
}

export function hasSampleFilters(f: CompiledFilters): boolean {
  return f.focus !== null || f.ignore !== null || f.tagFocus !== '' || f.tagIgnore !== '';
}

type SampleTest = (profile: Profile, sample: number) => boolean;

const unitScale: Record<string, [kind: string, factor: number]> = {
  b: ['bytes', 1],
  byte: ['bytes', 1],
  bytes: ['bytes', 1],
  kb: ['bytes', 1024],
  mb: ['bytes', 1024 ** 2],
  gb: ['bytes', 1024 ** 3],
  tb: ['bytes', 1024 ** 4],
  ns: ['time', 1],
  nanoseconds: ['time', 1],
  us: ['time', 1e3],
  microseconds: ['time', 1e3],
  ms: ['time', 1e6],
  milliseconds: ['time', 1e6],
  s: ['time', 1e9],
  seconds: ['time', 1e9],
};

function parseQuantity(s: string): { value: number; kind: string } | null {
  const m = /^(-?\d+(?:\.\d+)?)([a-z]*)$/i.exec(s.trim());
  if (!m) return null;
  const unit = m[2].toLowerCase();
  if (unit === '') return { value: Number(m[1]), kind: '' };
  const scale = unitScale[unit];
  return scale ? { value: Number(m[1]) * scale[1], kind: scale[0] } : null;
}

function scaleLabel(value: number, unit: string): { value: number; kind: string } {
  const scale = unitScale[unit.toLowerCase()];
  return scale ? { value: value * scale[1], kind: scale[0] } : { value, kind: '' };
}

/** pprof's parseTagFilterRange: "N", "N:", ":N", "N:M", with optional units. */
function numericTest(spec: string): ((value: number, unit: string) => boolean) | null {
  const parts = spec.split(':');
  if (parts.length > 2) return null;
  const q = parts.map((p) => (p === '' ? null : parseQuantity(p)));
  if (parts.length === 1) {
    const want = q[0];
    if (!want) return null;
    return (v, u) => {
      const got = scaleLabel(v, u);
      return (want.kind === '' || got.kind === want.kind) && got.value === want.value;
    };
  }
  const [lo, hi] = q;
  if ((parts[0] !== '' && !lo) || (parts[1] !== '' && !hi) || (!lo && !hi)) return null;
  return (v, u) => {
    const got = scaleLabel(v, u);
    if (lo && ((lo.kind !== '' && lo.kind !== got.kind) || got.value < lo.value)) return false;
    if (hi && ((hi.kind !== '' && hi.kind !== got.kind) || got.value > hi.value)) return false;
    return true;
  };
}

/** pprof's compileTagFilter: "key=re1,re2", "re" (matched against "key:value"), or numeric ranges. */
export function compileTagFilter(name: string, spec: string): SampleTest | null {
  if (spec === '') return null;
  const eq = spec.indexOf('=');
  const wantKey = eq >= 0 ? spec.slice(0, eq) : '';
  const value = eq >= 0 ? spec.slice(eq + 1) : spec;
  const num = numericTest(value);
  if (num) {
    return (p, s) => {
      const { labelStart, labelKey, labelStr, labelNum, labelNumUnit } = p.samples;
      if (!labelStart) return false;
      for (let i = labelStart[s]; i < labelStart[s + 1]; i++) {
        if (labelStr[i] !== 0) continue;
        if (wantKey !== '' && p.str(labelKey[i]) !== wantKey) continue;
        if (num(labelNum[i], p.str(labelNumUnit[i]))) return true;
      }
      return false;
    };
  }
  const res = value.split(',').map((v) => {
    const re = compileGoRegexp(v);
    if (!re) throw new ProfileError('bad-option', `invalid ${name} regular expression: ${v}`);
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
