import { buildCallTree } from './callTree';
import type { CallTree } from './callTree';
import type { Profile } from '../profile/profile';
import type { ViewOptions } from '../types';

/** Calls `visit` once per call tree node holding sample values, with its frames root first. */
export function forEachStack(
  tree: CallTree,
  visit: (frames: number[], value: number) => void,
): void {
  const n = tree.nodes.size;
  const parent = tree.nodes.parent.data;
  const frame = tree.nodes.key.data;
  const self = tree.self.data;
  const path: number[] = [];
  for (let i = 1; i < n; i++) {
    const v = self[i];
    if (v === 0) continue;
    path.length = 0;
    for (let a = i; a > 0; a = parent[a]) path.push(frame[a]);
    path.reverse();
    visit(path, v);
  }
}

export function viewTree(profile: Profile, opts: ViewOptions): CallTree {
  return buildCallTree(profile, opts);
}
