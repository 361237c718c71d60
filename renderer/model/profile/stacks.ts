import { compileGoRegexp } from '../goRegexp';
import type { Profile, StackTrie } from './profile';
import { TrieBuilder } from './trieBuilder';

/**
 * The stacks views are built from: the profile's trie after drop_frames/keep_frames, and the
 * range of Line entries of each location still in use (pruning can cut inlined lines).
 */
export interface Stacks {
  trie: StackTrie;
  leaf: Int32Array;
  /** Effective first line of each location (pprof's Prune trims the innermost lines). */
  lineBegin: Int32Array;
}

const reservedNames = ['(anonymous namespace)', 'operator()'];

/** pprof's simplifyFunc: what drop_frames/keep_frames are matched against. */
export function simplifyFunc(name: string): string {
  let s = name.startsWith('.') ? name.slice(1) : name;
  let from = 0;
  for (;;) {
    const i = s.indexOf('(', from);
    if (i < 0) return s;
    const reserved = reservedNames.find((r) => s.startsWith(r, i));
    if (reserved) {
      from = i + reserved.length;
      continue;
    }
    s = s.slice(0, i);
    return s;
  }
}

const cache = new WeakMap<Profile, Stacks>();

export function profileStacks(profile: Profile): Stacks {
  const hit = cache.get(profile);
  if (hit) return hit;
  const stacks = pruneStacks(profile);
  cache.set(profile, stacks);
  return stacks;
}

function pruneStacks(profile: Profile): Stacks {
  const locs = profile.locations;
  const lineBegin = locs.lineStart.slice(0, locs.id.length);
  const unpruned = { trie: profile.rawTrie, leaf: profile.samples.leaf, lineBegin };
  // pprof's RemoveUninteresting prunes nothing when either regexp does not compile, and Go's
  // regexps refuse invalid UTF-8.
  const valid = (i: number): boolean => profile.strings.isUtf8(i);
  const { dropFrames, keepFrames } = profile.data;
  if (profile.dropFrames === '' || !valid(dropFrames)) return unpruned;
  const drop = compileGoRegexp(profile.dropFrames, true);
  const keep =
    profile.keepFrames === '' || !valid(keepFrames)
      ? null
      : compileGoRegexp(profile.keepFrames, true);
  if (!drop || (profile.keepFrames !== '' && !keep)) return unpruned;

  // 1 = prune the whole location, 2 = prune beneath it (keep it, cut the stack after it).
  const mode = new Uint8Array(locs.id.length);
  const fns = profile.functions;
  for (let l = 0; l < locs.id.length; l++) {
    const first = locs.lineStart[l];
    let i = locs.lineStart[l + 1] - 1;
    for (; i >= first; i--) {
      const f = locs.lineFunction[i];
      if (f < 0) continue;
      const name = profile.str(fns.name[f]);
      if (name === '') continue;
      const simple = simplifyFunc(name);
      if (drop.test(simple) && !(keep && keep.test(simple))) break;
    }
    if (i >= first) {
      if (i === locs.lineStart[l + 1] - 1) mode[l] = 1;
      else {
        mode[l] = 2;
        lineBegin[l] = i + 1;
      }
    }
  }

  const raw = profile.rawTrie;
  const builder = new TrieBuilder();
  const mapped = new Int32Array(raw.size);
  // Bit 1: a non-pruned ("user") frame is on the path; bit 2: the stack was already cut.
  const state = new Uint8Array(raw.size);
  for (let n = 1; n < raw.size; n++) {
    const p = raw.parent[n];
    const ps = state[p];
    if (ps & 2) {
      mapped[n] = mapped[p];
      state[n] = ps;
      continue;
    }
    const loc = raw.location[n];
    const m = mode[loc];
    if (m === 0) {
      mapped[n] = builder.child(mapped[p], loc);
      state[n] = ps | 1;
    } else if (!(ps & 1)) {
      // pprof never prunes frames before the first user frame, so that something remains.
      mapped[n] = builder.child(mapped[p], loc);
      state[n] = ps;
    } else if (m === 1) {
      mapped[n] = mapped[p];
      state[n] = ps | 2;
    } else {
      mapped[n] = builder.child(mapped[p], loc);
      state[n] = ps | 2;
    }
  }
  const trie = builder.finish();
  const rawLeaf = profile.samples.leaf;
  const leaf = new Int32Array(rawLeaf.length);
  for (let s = 0; s < leaf.length; s++) leaf[s] = mapped[rawLeaf[s]];
  return { trie, leaf, lineBegin };
}
