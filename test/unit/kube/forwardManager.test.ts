// ForwardManager.open under concurrency: one forward per target, however many callers race.
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Forward, ForwardManager } from '../../../electron/kube/portForward';
import { fakeTarget as target } from './fixtures';

function kubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 'not-a-secret' }],
    contexts: [{ name: 'fake', cluster: 'c', user: 'u' }],
    currentContext: 'fake',
  });
  return kc;
}

afterEach(() => vi.restoreAllMocks());

describe('ForwardManager.open', () => {
  it('gives concurrent opens of one target the same forward, with one listener', async () => {
    const listen = vi.spyOn(Forward.prototype, 'listen');
    const close = vi.spyOn(Forward.prototype, 'close');
    const m = new ForwardManager();
    const kc = kubeconfig();
    const all = await Promise.all([m.open(kc, target), m.open(kc, target), m.open(kc, target)]);
    expect(new Set(all).size).toBe(1);
    expect(listen).toHaveBeenCalledTimes(1);
    expect(m.list()).toHaveLength(1);
    expect(m.list()[0].localPort).toBe(all[0].localPort);
    // Opened later, it is still the same one.
    expect(await m.open(kc, target)).toBe(all[0]);
    // A different port is a different forward.
    const other = await m.open(kc, { ...target, port: 6061 });
    expect(other).not.toBe(all[0]);
    expect(m.list()).toHaveLength(2);
    await m.stopAll();
    expect(close).toHaveBeenCalledTimes(2);
    expect(m.list()).toEqual([]);
  });

  it('forgets a failed open, so the next one tries again', async () => {
    const listen = vi
      .spyOn(Forward.prototype, 'listen')
      .mockRejectedValueOnce(new Error('EADDRINUSE'));
    const m = new ForwardManager();
    const kc = kubeconfig();
    const [a, b] = await Promise.allSettled([m.open(kc, target), m.open(kc, target)]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect(listen).toHaveBeenCalledTimes(1);
    expect(m.list()).toEqual([]);
    const fwd = await m.open(kc, target);
    expect(fwd.localPort).toBeGreaterThan(0);
    expect(m.list()).toHaveLength(1);
    await m.stopAll();
  });

  it('closes a forward that was still opening when everything was stopped', async () => {
    const close = vi.spyOn(Forward.prototype, 'close');
    const m = new ForwardManager();
    const opening = m.open(kubeconfig(), target);
    await m.stopAll();
    await expect(opening).rejects.toMatchObject({ code: 'cancelled' });
    expect(close).toHaveBeenCalledTimes(1);
    expect(m.list()).toEqual([]);
  });
});
