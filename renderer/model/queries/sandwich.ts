import { buildCallTree } from './callTree';
import type { CallTree } from './callTree';
import { compileFilters } from './filters';
import { FrameTable } from './frames';
import { layoutCallTree } from './flameTree';
import { GrowableFloat64 } from '../collections/growable';
import type { Profile } from '../profile/profile';
import { TrieBuilder } from '../profile/trieBuilder';
import type { FlameTree, Sandwich, ViewOptions } from '../types';

function emptyTree(source: CallTree): CallTree {
  return {
    ...source,
    nodes: new TrieBuilder(),
    self: new GrowableFloat64(),
    position: new Uint8Array(0),
  };
}

function addSelf(tree: CallTree, node: number, v: number): void {
  while (tree.self.length < tree.nodes.size) tree.self.push(0);
  tree.self.data[node] += v;
}

function finish(tree: CallTree, frame: number): FlameTree {
  while (tree.self.length < tree.nodes.size) tree.self.push(0);
  tree.position = new Uint8Array(tree.nodes.size);
  const laid = layoutCallTree(tree);
  // The root stands for the function itself.
  if (frame >= 0) laid.frame[0] = frame;
  return laid;
}

/**
 * The callers (inverted) and callees of one frame. Recursion-safe: callees hang from the
 * outermost occurrence and callers from the innermost, so every sample counts once.
 */
export function sandwich(profile: Profile, opts: ViewOptions, functionName: string): Sandwich {
  const frames = new FrameTable();
  const tree = buildCallTree(profile, opts, frames, compileFilters(opts));
  const target = frames.names.indexOf(functionName);
  const callees = emptyTree(tree);
  const callers = emptyTree(tree);
  let self = 0;
  let total = 0;
  if (target >= 0) {
    const n = tree.nodes.size;
    const parent = tree.nodes.parent.data;
    const frame = tree.nodes.key.data;
    const selfValues = tree.self.data;
    // Callees: node in the callee tree, or -1 outside any occurrence of the target.
    const calleeNode = new Int32Array(n).fill(-1);
    // Innermost ancestor-or-self with the target frame, or -1.
    const innermost = new Int32Array(n).fill(-1);
    for (let i = 1; i < n; i++) {
      const p = parent[i];
      const isTarget = frame[i] === target;
      innermost[i] = isTarget ? i : innermost[p];
      if (calleeNode[p] >= 0) calleeNode[i] = callees.nodes.child(calleeNode[p], frame[i]);
      else if (isTarget) calleeNode[i] = 0;
    }
    for (let i = 1; i < n; i++) {
      const v = selfValues[i];
      if (v === 0 || innermost[i] < 0) continue;
      total += v;
      if (frame[i] === target) self += v;
      addSelf(callees, calleeNode[i], v);
      // Walk from the innermost occurrence up to the root, building the inverted path.
      let node = 0;
      for (let a = parent[innermost[i]]; a > 0; a = parent[a])
        node = callers.nodes.child(node, frame[a]);
      addSelf(callers, node, v);
    }
  }
  return {
    name: functionName,
    callers: finish(callers, target),
    callees: finish(callees, target),
    self,
    total,
  };
}
