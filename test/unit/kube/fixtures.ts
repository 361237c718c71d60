// Shared by the kube unit tests that need a target but never reach a cluster.
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { expect } from 'vitest';
import type { CaptureStatus, PodTarget } from '../../../electron/contract';
import type { LiveService } from '../../../electron/kube/liveService';

export const fakeTarget: PodTarget = {
  context: 'fake',
  namespace: 'ns',
  pod: 'pod-1',
  container: null,
  port: 6060,
  pathPrefix: '/debug/pprof',
};

/** The sum of one sample type over a gzipped profile, read by pprof-format (not our engine). */
export function sampleTypeTotal(bytes: Uint8Array, type: string): number {
  const p = Profile.decode(gunzipSync(bytes));
  const strings = p.stringTable.strings;
  const idx = p.sampleType.findIndex((t) => strings[Number(t.type)] === type);
  expect(
    idx,
    `sample type ${type} in ${p.sampleType.map((t) => strings[Number(t.type)]).join(',')}`,
  ).toBeGreaterThanOrEqual(0);
  return p.sample.reduce((n, s) => n + Number(s.value[idx]), 0);
}

/** Polls a capture until it is no longer running. */
export async function waitForCapture(
  live: Pick<LiveService, 'captureStatus'>,
  id: string,
  onPoll?: (s: CaptureStatus) => void,
): Promise<CaptureStatus> {
  for (;;) {
    const s = await live.captureStatus(id);
    onPoll?.(s);
    if (s.state !== 'running') return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}
