// Shared by the kube unit tests that need a target but never reach a cluster.
import type { PodTarget } from '../../../electron/contract';

export const fakeTarget: PodTarget = {
  context: 'fake',
  namespace: 'ns',
  pod: 'pod-1',
  container: null,
  port: 6060,
  pathPrefix: '/debug/pprof',
};
