import { formatValue } from '../format';
import type { Profile } from '../profile/profile';
import { profileStacks } from '../profile/stacks';
import { numLabelUnits } from './filters';

/** One sample as `go tool pprof -traces` prints it. */
export interface Trace {
  /** "%10s:  %s" lines: string labels sorted, then numeric labels sorted. */
  labels: string[];
  value: number;
  /** Leaf first; `inline` for every line of a location but its outermost. */
  frames: { name: string; inline: boolean }[];
}

const pad10 = (s: string) => s.padStart(10);

/** A frame's name at function granularity, as pprof's NodeInfo.PrintableName gives it. */
function lineName(profile: Profile, fn: number, objfile: string): string {
  const name = fn >= 0 ? profile.str(profile.functions.name[fn]) : '';
  if (name !== '') return name;
  return objfile !== '' ? `[${objfile.split('/').pop() ?? objfile}]` : '<unknown>';
}

/**
 * pprof's printTraces: every sample with a stack, in the file's order, with its labels and
 * its value of `sampleIndex`; stacks after drop_frames, at function granularity. As pprof
 * reads a file through profile.Merge, samples of the same stack and labels are one (the
 * first's place, their values summed) and samples whose values are all zero are left out.
 */
export function traces(profile: Profile, sampleIndex: number): Trace[] {
  const stacks = profileStacks(profile);
  const { trie, leaf, lineBegin } = stacks;
  const locs = profile.locations;
  const { labelStart, labelKey, labelStr, labelNum } = profile.samples;
  const units = numLabelUnits(profile);
  const nt = profile.sampleTypes.length;
  const { values, leaf: rawLeaf } = profile.samples;
  const out: (Trace & { sums: number[] })[] = [];
  const byKey = new Map<string, number>();
  for (let s = 0; s < profile.samples.count; s++) {
    const row = Array.from(values.subarray(s * nt, (s + 1) * nt));
    if (row.every((v) => v === 0)) continue;
    const labelKeyOf = labelStart
      ? Array.from(labelKey.subarray(labelStart[s], labelStart[s + 1]), (k, j) => {
          const i = labelStart[s] + j;
          return `${k}:${labelStr[i]}:${labelNum[i]}`;
        })
          .sort()
          .join(',')
      : '';
    const key = `${rawLeaf[s]}|${labelKeyOf}`;
    const seen = byKey.get(key);
    if (seen !== undefined) {
      row.forEach((v, i) => (out[seen].sums[i] += v));
      continue;
    }
    const frames: Trace['frames'] = [];
    for (let n = leaf[s]; n > 0; n = trie.parent[n]) {
      const l = trie.location[n];
      const first = lineBegin[l];
      const end = locs.lineStart[l + 1];
      const m = locs.mapping[l];
      const objfile = m >= 0 ? profile.str(profile.mappings.file[m]) : '';
      if (end <= first) frames.push({ name: lineName(profile, -1, objfile), inline: false });
      for (let i = first; i < end; i++)
        frames.push({
          name: lineName(profile, locs.lineFunction[i], objfile),
          inline: i < end - 1,
        });
    }
    if (frames.length === 0) continue;
    byKey.set(key, out.length);
    const strs = new Map<string, string[]>();
    const nums = new Map<number, number[]>();
    if (labelStart) {
      for (let i = labelStart[s]; i < labelStart[s + 1]; i++) {
        if (labelStr[i] !== 0) {
          const key = profile.str(labelKey[i]);
          strs.set(key, [...(strs.get(key) ?? []), profile.str(labelStr[i])]);
        } else nums.set(labelKey[i], [...(nums.get(labelKey[i]) ?? []), labelNum[i]]);
      }
    }
    const textLines = [...strs].map(([k, vs]) => `${pad10(k)}:  ${vs.join(' ')}`).sort();
    const numLines = [...nums]
      .map(([k, vs]) => {
        const unit = units.get(k) ?? '';
        return `${pad10(profile.str(k))}:  ${vs.map((v) => formatValue(v, unit)).join(' ')}`;
      })
      .sort();
    out.push({ labels: [...textLines, ...numLines], value: 0, frames, sums: row });
  }
  return out
    .filter((t) => t.sums.some((v) => v !== 0))
    .map(({ sums, ...t }) => ({ ...t, value: sums[sampleIndex] }));
}
