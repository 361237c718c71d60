// The engine client against a stand-in Worker and Web Locks: how a dead worker is noticed
// (its error event; its lifeline lock released, which is all `self.close()` or a torn-down
// thread leaves), what its callers get, and that the next call runs on a new worker.
import { describe, expect, it } from 'vitest';
import {
  ENGINE_STOPPED,
  EngineClient,
  MAX_RESTARTS,
  type EngineRestart,
  type EngineWorker,
} from '../../../renderer/worker/engineClient';
import type { EngineMessage, EngineResponse, EngineStart } from '../../../renderer/worker/protocol';

/** Exclusive locks by name, granted in request order, as navigator.locks grants them. */
class FakeLocks {
  private readonly queues = new Map<string, (() => void)[]>();
  request(name: string, granted: () => void): Promise<unknown> {
    const queue = this.queues.get(name) ?? [];
    this.queues.set(name, queue);
    queue.push(granted);
    if (queue.length === 1) granted();
    return Promise.resolve();
  }
  /** The holder (the first in line) lets go; the next in line gets it. */
  release(name: string): void {
    const queue = this.queues.get(name) ?? [];
    queue.shift();
    const next = queue[0];
    if (next) {
      // A waiter that returns at once lets go again, as a lock callback's promise settling does.
      queue.shift();
      next();
    }
  }
}

/** Answers `open` with ids from firstProfileId, holds its lifeline, and can die as workers do. */
class FakeWorker implements EngineWorker {
  onmessage: ((event: MessageEvent<EngineResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  readonly received: EngineMessage[] = [];
  start: EngineStart | null = null;
  terminated = false;
  /** Requests are answered only when told to, so a test can die mid-call. */
  answer = true;
  private nextProfileId = 1;

  constructor(private readonly locks: FakeLocks) {}

  postMessage(message: EngineMessage): void {
    if (this.terminated) return;
    this.received.push(message);
    if ('lifeline' in message) {
      this.start = message;
      this.nextProfileId = message.firstProfileId;
      void this.locks.request(message.lifeline, () => undefined);
      this.reply({ alive: message.lifeline });
    } else if ('op' in message && this.answer) {
      this.reply({ id: message.id, progress: 0.5 });
      const result =
        message.op === 'open' ? { profileId: this.nextProfileId++, summary: {} } : null;
      this.reply({ id: message.id, ok: true, result });
    }
  }

  reply(data: EngineResponse): void {
    queueMicrotask(() => {
      if (!this.terminated) this.onmessage?.({ data } as MessageEvent<EngineResponse>);
    });
  }

  /** `self.close()`: no event on the Worker object; only its lock goes. */
  closeItself(): void {
    this.terminated = true;
    this.locks.release(this.start!.lifeline);
  }

  throwUncaught(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    if (this.start) this.locks.release(this.start.lifeline);
  }
}

function setup() {
  const locks = new FakeLocks();
  const workers: FakeWorker[] = [];
  let now = 0;
  const client = new EngineClient({
    createWorker: () => {
      const w = new FakeWorker(locks);
      workers.push(w);
      return w;
    },
    locks,
    now: () => now,
  });
  const restarts: EngineRestart[] = [];
  client.onRestart((e) => restarts.push(e));
  return { client, workers, restarts, advance: (ms: number) => (now += ms) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const open = (client: EngineClient) => client.call('open', { files: [], names: ['a.pb.gz'] });

describe('EngineClient', () => {
  it('starts its worker on the first call and answers with progress', async () => {
    const { client, workers } = setup();
    expect(workers).toHaveLength(0);
    const progress: number[] = [];
    const opened = await client.call('open', { files: [], names: [] }, [], (f) => progress.push(f));
    expect(opened.profileId).toBe(1);
    expect(progress).toEqual([0.5]);
    expect(workers).toHaveLength(1);
    expect(workers[0].start).toMatchObject({ firstProfileId: 1 });
  });

  it('notices a worker that closed itself, fails its calls and restarts on the next', async () => {
    const { client, workers, restarts } = setup();
    expect((await open(client)).profileId).toBe(1);
    await flush();
    workers[0].answer = false;
    const pending = open(client);
    workers[0].closeItself();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ENGINE_STOPPED });
    expect((error as Error).message).toMatch(/profile engine stopped.*restarted/);
    expect(restarts).toHaveLength(1);
    expect(restarts[0].restarted).toBe(true);
    expect(restarts[0].reason).toMatch(/stopped/);
    // A new worker, whose profile ids follow the dead one's.
    expect((await open(client)).profileId).toBe(2);
    expect(workers).toHaveLength(2);
    expect(workers[1].start).toMatchObject({ firstProfileId: 2 });
  });

  it('restarts after an uncaught error, terminating the old worker, whose late answers are dropped', async () => {
    const { client, workers, restarts } = setup();
    await open(client);
    workers[0].answer = false;
    const pending = open(client);
    workers[0].throwUncaught('Uncaught RangeError: Array buffer allocation failed');
    await expect(pending).rejects.toThrow(/crashed \(Uncaught RangeError: Array buffer/);
    expect(workers[0].terminated).toBe(true);
    // Its lock released by terminate() is not a second death.
    await flush();
    expect(restarts).toHaveLength(1);
    const next = open(client);
    workers[0].onmessage?.({
      data: { id: 3, ok: true, result: { profileId: 99 } },
    } as MessageEvent<EngineResponse>);
    expect(await next).toMatchObject({ profileId: 2 });
  });

  it(`gives up after ${MAX_RESTARTS} restarts in a minute, and says to reload`, async () => {
    const { client, workers, restarts, advance } = setup();
    for (let i = 0; i < MAX_RESTARTS; i++) {
      await open(client);
      workers.at(-1)!.closeItself();
      advance(1000);
    }
    expect(restarts.every((r) => r.restarted)).toBe(true);
    await open(client);
    workers.at(-1)!.closeItself();
    expect(restarts.at(-1)).toMatchObject({ restarted: false });
    await expect(open(client)).rejects.toThrow(/4 times in a minute; reload the window/);
    expect(workers).toHaveLength(MAX_RESTARTS + 1);
  });

  it('counts only the deaths of the last minute', async () => {
    const { client, workers, restarts, advance } = setup();
    for (let i = 0; i < MAX_RESTARTS + 2; i++) {
      await open(client);
      workers.at(-1)!.closeItself();
      advance(30_000);
    }
    expect(restarts.every((r) => r.restarted)).toBe(true);
  });
});
