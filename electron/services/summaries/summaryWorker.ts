// A pool worker (worker_threads): one task at a time from the pool (pool.ts), answered with its
// result, the decoded profile's columns moved rather than copied. Bundled on its own by
// scripts/build.mjs into dist/electron/summaryWorker.cjs, beside the bundles that start it.
import { parentPort } from 'node:worker_threads';
import { runTask } from './tasks';
import type { WorkerReply, WorkerRequest } from './pool';

const port = parentPort;
if (!port) throw new Error('summaryWorker runs as a worker thread only');

port.on('message', (request: WorkerRequest) => {
  void runTask(request.task).then(
    ({ result, transfer }) =>
      port.postMessage({ id: request.id, result } satisfies WorkerReply, transfer),
    (err: unknown) =>
      port.postMessage({
        id: request.id,
        failure: err instanceof Error ? err.message : String(err),
      } satisfies WorkerReply),
  );
});
