// The worker pool itself: workers start with the first task, never more of them than its size
// (so never more files in flight), and leave once idle; without a worker bundle the same tasks
// run on the calling thread.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkerPool, defaultPoolSize } from '../../../electron/services/summaries/pool';
import { summaryWorkerBundle } from './summaryWorkerBundle';

const CONTINUOUS = join(__dirname, '..', '..', 'fixtures', 'continuous');
const files = readdirSync(CONTINUOUS)
  .sort()
  .map((f) => join(CONTINUOUS, f));

const task = (path: string) => ({ kind: 'summarize' as const, path, name: path });

describe('WorkerPool', () => {
  it('is sized by the cores, one to eight', () => {
    expect(defaultPoolSize()).toBeGreaterThanOrEqual(1);
    expect(defaultPoolSize()).toBeLessThanOrEqual(8);
    expect(new WorkerPool({ script: null, size: 0 }).size).toBe(1);
  });

  it('starts workers with the work, at most its size, and lets them go when idle', async () => {
    const pool = new WorkerPool({ script: await summaryWorkerBundle(), size: 2, idleMs: 200 });
    try {
      expect(pool.workers).toBe(0);
      let most = 0;
      const watch = setInterval(() => (most = Math.max(most, pool.workers)), 1);
      const results = await Promise.all(
        [...files, ...files, ...files].map((f) => pool.run(task(f))),
      );
      clearInterval(watch);
      expect(results.every((r) => 'summary' in r)).toBe(true);
      expect(most).toBe(2);
      expect(pool.workers).toBe(2);
      await new Promise((r) => setTimeout(r, 600));
      expect(pool.workers).toBe(0);
      // And work brings them back.
      expect(await pool.run(task(files[0]))).toHaveProperty('summary');
      expect(pool.workers).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('answers a file it cannot read with an error naming it', async () => {
    const pool = new WorkerPool({ script: await summaryWorkerBundle(), size: 1 });
    try {
      const result = await pool.run(task('/nonexistent/cpu.pb.gz'));
      expect(Object.keys(result)).toEqual(['error']);
      expect('error' in result && result.error).toMatch(/^\/nonexistent\/cpu\.pb\.gz: ENOENT/);
    } finally {
      await pool.close();
    }
  });

  it('without a worker bundle runs the same tasks on this thread', async () => {
    const threaded = new WorkerPool({ script: await summaryWorkerBundle(), size: 1 });
    const inline = new WorkerPool({ script: null });
    try {
      expect(inline.threaded).toBe(false);
      const [a, b] = await Promise.all([inline.run(task(files[0])), threaded.run(task(files[0]))]);
      expect(a).toEqual(b);
      expect(inline.workers).toBe(0);
    } finally {
      await threaded.close();
    }
  });
});
