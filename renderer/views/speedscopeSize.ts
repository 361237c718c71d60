// How much work a speedscope export is for speedscope, read from the export's text without
// parsing it (the page would hold a second, much larger copy of a large profile).

export interface SpeedscopeSize {
  /** Distinct frames (functions, or lines at that granularity). */
  frames: number;
  /** Stacks: one per call tree node with self value. */
  stacks: number;
  /** Frames over all stacks: what speedscope walks, twice, as it loads. */
  stackFrames: number;
}

/**
 * Above this many frames over all stacks speedscope takes more than several seconds to show a
 * profile and grows worse than linearly. Measured (Chromium 156, speedscope 1.x as bundled, a
 * busy 2-core machine; time from opening its page to its left-heavy view drawn): 10k → 1.2 s,
 * 0.37M → 5–6 s, 0.94–1.0M → 4–9 s, 1.5M → 12 s (two different shapes alike), 4.5M (1M
 * samples of the benchmark profile) → 86 s, 6M (10⁶ functions) → 105 s; 10⁶ frames in
 * few stacks only 3 s. The number of frames alone matters little.
 */
export const SPEEDSCOPE_SLOW_STACK_FRAMES = 1_000_000;

function count(text: string, needle: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf(needle, from); at !== -1 && at < to; at = text.indexOf(needle, at + 1))
    n++;
  return n;
}

/**
 * Counts in the text our exporter writes (JSON.stringify, no spaces, keys in its order). A
 * quote inside a JSON string is escaped, so `{"name":` and `"samples":[` occur only as keys.
 */
export function measureSpeedscopeExport(json: string): SpeedscopeSize {
  const profiles = json.indexOf('"profiles":[');
  const samplesKey = json.indexOf('"samples":[', profiles);
  const weights = json.indexOf('],"weights":[', samplesKey);
  if (profiles < 0 || samplesKey < 0 || weights < 0) {
    throw new Error('not a speedscope export of this app');
  }
  const samples = samplesKey + '"samples":['.length;
  const stacks = count(json, '[', samples, weights);
  // Each stack of k frames has k − 1 commas, and stacks are separated by one: commas + 1.
  const stackFrames = stacks === 0 ? 0 : count(json, ',', samples, weights) + 1;
  return { frames: count(json, '{"name":', 0, profiles), stacks, stackFrames };
}
