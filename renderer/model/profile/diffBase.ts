import { StringTable } from '../decoding/stringTable';
import { Profile } from './profile';

/** The label pprof's -diff_base puts on the base's samples (Sample.DiffBaseSample). */
const KEY = 'pprof::base';
const VALUE = 'true';

const marks = new WeakMap<Profile, Uint8Array | null>();

/** 1 for the samples of a diff base (labelled pprof::base=true), or null when there are none. */
export function diffBaseSamples(profile: Profile): Uint8Array | null {
  const known = marks.get(profile);
  if (known !== undefined) return known;
  const { count, labelStart, labelKey, labelStr } = profile.samples;
  let out: Uint8Array | null = null;
  if (labelStart) {
    for (let s = 0; s < count; s++) {
      for (let i = labelStart[s]; i < labelStart[s + 1]; i++) {
        if (profile.str(labelKey[i]) === KEY && profile.str(labelStr[i]) === VALUE) {
          out ??= new Uint8Array(count);
          out[s] = 1;
        }
      }
    }
  }
  marks.set(profile, out);
  return out;
}

/**
 * pprof's SetLabel("pprof::base", ["true"]) on every sample: how -diff_base marks the base before
 * merging it, negated, with the profile. Its samples then stay apart from the profile's, and the
 * report's total is theirs alone.
 */
export function markDiffBase(profile: Profile): Profile {
  const strings = profile.strings.all();
  const key = strings.push(KEY) - 1;
  const value = strings.push(VALUE) - 1;
  const { count, labelStart, labelKey, labelStr, labelNum, labelNumUnit } = profile.samples;
  const start = new Int32Array(count + 1);
  const keys: number[] = [];
  const strs: number[] = [];
  const nums: number[] = [];
  const units: number[] = [];
  for (let s = 0; s < count; s++) {
    start[s] = keys.length;
    if (labelStart) {
      for (let i = labelStart[s]; i < labelStart[s + 1]; i++) {
        if (profile.str(labelKey[i]) === KEY) continue;
        keys.push(labelKey[i]);
        strs.push(labelStr[i]);
        nums.push(labelNum[i]);
        units.push(labelNumUnit[i]);
      }
    }
    keys.push(key);
    strs.push(value);
    nums.push(0);
    units.push(0);
  }
  start[count] = keys.length;
  return new Profile({
    ...profile.data,
    strings: StringTable.fromStrings(strings),
    samples: {
      ...profile.samples,
      labelStart: start,
      labelKey: Int32Array.from(keys),
      labelStr: Int32Array.from(strs),
      labelNum: Float64Array.from(nums),
      labelNumUnit: Int32Array.from(units),
    },
  });
}
