// Merging pods' profiles without losing which pod a sample came from: every sample is given
// labels (context, namespace, pod) before the merge, so tag filters (-tagfocus pod=X) and label
// views split the merged profile again, and samples of different pods never combine.
import { mergeProfiles } from '../../profile/merge';
import { Profile } from '../../profile/profile';
import { StringTable } from '../../decoding/stringTable';

export interface LabelledProfile {
  profile: Profile;
  labels: Record<string, string>;
}

/** The profile with `labels` on every sample, replacing any the samples had under those keys. */
export function withLabels(profile: Profile, labels: Record<string, string>): Profile {
  const strings = profile.strings.all();
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.indexOf(s);
      if (i < 0) {
        i = strings.length;
        strings.push(s);
      }
      index.set(s, i);
    }
    return i;
  };
  // An empty string is index 0, which pprof reads as "a numeric label": such labels are left out.
  const added = Object.entries(labels)
    .filter(([k, v]) => k !== '' && v !== '')
    .map(([k, v]) => [intern(k), intern(v)] as const);
  const replacedKeys = new Set(added.map(([k]) => k));
  const src = profile.samples;
  const n = src.count;
  const key: number[] = [];
  const str: number[] = [];
  const num: number[] = [];
  const unit: number[] = [];
  const start = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) {
    start[s] = key.length;
    if (src.labelStart) {
      for (let i = src.labelStart[s]; i < src.labelStart[s + 1]; i++) {
        if (replacedKeys.has(src.labelKey[i])) continue;
        key.push(src.labelKey[i]);
        str.push(src.labelStr[i]);
        num.push(src.labelNum[i]);
        unit.push(src.labelNumUnit[i]);
      }
    }
    for (const [k, v] of added) {
      key.push(k);
      str.push(v);
      num.push(0);
      unit.push(0);
    }
  }
  start[n] = key.length;
  return new Profile({
    ...profile.data,
    strings: StringTable.fromStrings(strings),
    samples: {
      ...src,
      labelStart: key.length > 0 ? start : null,
      labelKey: Int32Array.from(key),
      labelStr: Int32Array.from(str),
      labelNum: Float64Array.from(num),
      labelNumUnit: Int32Array.from(unit),
    },
  });
}

/**
 * Merges like `go tool pprof a b c` (mergeProfiles: same sample types required), each profile's
 * samples carrying its labels (context, namespace, pod for a triage group).
 */
export function mergeLabelled(profiles: LabelledProfile[]): Profile {
  return mergeProfiles(profiles.map((p) => withLabels(p.profile, p.labels)));
}
