// The engine in a Chromium worker exactly as the app runs it (DecompressionStream, no Node), for
// the rendering benchmark: fetches the profile, then times gunzip alone and bytes → flame tree.
import { buildFlameTree, decodeProfile } from '../../renderer/model/index';
import { gunzip } from '../../renderer/model/decoding/gunzip';
import { FLAME_PRUNE } from '../../renderer/views/flame/prune';
import { workerGunzip } from '../../renderer/worker/workerGunzip';

export interface EngineTimes {
  gunzip: number[];
  /** bytes → decoded profile, and bytes → flame tree (decode included), as the app does it. */
  decode: number[];
  tree: number[];
  /** bytes → flame tree with gzip inflated on this thread (no inflate worker). */
  treeHere: number[];
  nodes: number;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<{ url: string; runs: number }>) => void) | null;
  postMessage: (m: EngineTimes | { error: string }) => void;
};

scope.onmessage = (e) => {
  void (async () => {
    const bytes = new Uint8Array(await (await fetch(e.data.url)).arrayBuffer());
    const out: EngineTimes = { gunzip: [], decode: [], tree: [], treeHere: [], nodes: 0 };
    // As the app's engine worker inflates large profiles.
    const inWorker = workerGunzip(() => new Worker('/inflateWorker.js'));
    for (let i = 0; i < e.data.runs; i++) {
      let t0 = performance.now();
      await gunzip(bytes);
      out.gunzip.push(performance.now() - t0);
      t0 = performance.now();
      const p = await decodeProfile(bytes, { gunzip: inWorker });
      out.decode.push(performance.now() - t0);
      // As the flame view builds its first tree.
      out.nodes = buildFlameTree(p, { pruneFraction: FLAME_PRUNE }).frame.length;
      out.tree.push(performance.now() - t0);
      t0 = performance.now();
      buildFlameTree(await decodeProfile(bytes), { pruneFraction: FLAME_PRUNE });
      out.treeHere.push(performance.now() - t0);
    }
    scope.postMessage(out);
  })().catch((err: unknown) => scope.postMessage({ error: String(err) }));
};
