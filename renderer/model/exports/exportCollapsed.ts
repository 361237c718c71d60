import type { Profile } from '../profile/profile';
import { forEachStack, viewTree } from '../queries/stackPaths';
import type { ViewOptions } from '../types';

/** Brendan Gregg's folded stacks: "root;child;leaf value" per line, for flamegraph.pl and friends. */
export function exportCollapsed(profile: Profile, opts: ViewOptions = {}): string {
  const tree = viewTree(profile, opts);
  const names = tree.frames.names.map((n) => n.replace(/;/g, ':').replace(/\n/g, ' '));
  const lines: string[] = [];
  forEachStack(tree, (frames, value) => {
    lines.push(`${frames.map((f) => names[f]).join(';')} ${value}`);
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}
