import { ProfileError } from './errors';
import { compileGoRegexp } from './goRegexp';
import type { FlameTree } from './types';

/**
 * Marks nodes whose name matches. matchedTotal counts each sample once: a match nested inside
 * another match adds nothing.
 */
export function searchFrames(
  tree: FlameTree,
  regex: string,
): { matched: Uint8Array; matchedTotal: number } {
  const n = tree.frame.length;
  const matched = new Uint8Array(n);
  if (regex === '') return { matched, matchedTotal: 0 };
  const re = compileGoRegexp(regex);
  if (!re) throw new ProfileError('bad-option', `invalid search regular expression: ${regex}`);
  const byFrame = new Int8Array(tree.names.length).fill(-1);
  let matchedTotal = 0;
  let coveredUntil = 0;
  for (let i = 0; i < n; i++) {
    const f = tree.frame[i];
    if (f < 0) continue;
    if (byFrame[f] < 0) byFrame[f] = re.test(tree.names[f]) ? 1 : 0;
    if (!byFrame[f]) continue;
    matched[i] = 1;
    if (i >= coveredUntil) {
      matchedTotal += tree.total[i];
      coveredUntil = i + tree.subtreeSize[i];
    }
  }
  return { matched, matchedTotal };
}
