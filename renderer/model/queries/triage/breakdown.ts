// Where the CPU goes: every sample to one category, so the categories add up to the total.
//
// Assignment: walk the sample's stack from the leaf towards the root, frame by frame (inlined
// frames included, innermost first, as pprof lists them); the first frame whose function name
// matches any rule decides, and among the rules that frame matches the first in order wins.
// A sample with no matching frame is "other". So allocation inside a handler counts as
// allocation, the handler's own code as serving, a JSON decode inside a client call as encoding.
import type { GoRegexp } from '../../goRegexp';
import type { Profile } from '../../profile/profile';
import { compileBreakdownRules, OTHER_CATEGORY } from './rules';
import type { BreakdownRule } from './types';

/** The CPU time's sample type: `cpu` (nanoseconds) in Go profiles, else pprof's default. */
export function cpuSampleIndex(profile: Profile): number {
  const i = profile.sampleTypes.findIndex((t) => t.type === 'cpu');
  return i >= 0 ? i : profile.defaultSampleIndex;
}

/** Sum of one sample type over every sample. */
export function sampleTotal(profile: Profile, index: number): number {
  const nt = profile.sampleTypes.length;
  const v = profile.samples.values;
  let sum = 0;
  for (let s = 0; s < profile.samples.count; s++) sum += v[s * nt + index];
  return sum;
}

/** Per location: the rule of its innermost line whose function matches one, or -1. */
function locationRules(profile: Profile, res: GoRegexp[]): Int32Array {
  const fns = profile.functions;
  const fnRule = new Int32Array(fns.id.length).fill(-2);
  const ruleOf = (f: number): number => {
    if (fnRule[f] === -2) {
      const name = profile.str(fns.name[f]);
      fnRule[f] = res.findIndex((re) => re.test(name));
    }
    return fnRule[f];
  };
  const locs = profile.locations;
  const out = new Int32Array(locs.id.length).fill(-1);
  for (let l = 0; l < out.length; l++) {
    for (let i = locs.lineStart[l]; i < locs.lineStart[l + 1]; i++) {
      const f = locs.lineFunction[i];
      if (f < 0) continue;
      const r = ruleOf(f);
      if (r >= 0) {
        out[l] = r;
        break;
      }
    }
  }
  return out;
}

/**
 * The profile's CPU (its `cpu` sample type, in its unit) per rule, in the rules' order, then
 * `other`. The values add up to the profile's total.
 */
export function cpuBreakdown(
  profile: Profile,
  rules: BreakdownRule[],
  sampleIndex = cpuSampleIndex(profile),
): { rule: string; value: number }[] {
  const res = compileBreakdownRules(rules);
  const locRule = locationRules(profile, res);
  // The trie stores each node after its parent, so one forward pass gives every node the rule
  // of its leaf-most matching frame.
  const trie = profile.rawTrie;
  const nodeRule = new Int32Array(trie.size).fill(-1);
  for (let n = 1; n < trie.size; n++) {
    const own = locRule[trie.location[n]];
    nodeRule[n] = own >= 0 ? own : nodeRule[trie.parent[n]];
  }
  const sums = new Float64Array(rules.length + 1);
  const nt = profile.sampleTypes.length;
  const v = profile.samples.values;
  const leaf = profile.samples.leaf;
  for (let s = 0; s < profile.samples.count; s++) {
    const r = nodeRule[leaf[s]];
    sums[r >= 0 ? r : rules.length] += v[s * nt + sampleIndex];
  }
  return [
    ...rules.map((r, i) => ({ rule: r.name, value: sums[i] })),
    { rule: OTHER_CATEGORY, value: sums[rules.length] },
  ];
}
