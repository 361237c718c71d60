// The Connect panel's state: a new context starts on its own namespace as kubectl does, a list
// change drops the selection, and focusing a pod picks its first pprof candidate.
import { describe, expect, it } from 'vitest';
import type { KubeContextInfo, PodInfo } from '../../../../electron/contract';
import {
  connectReducer,
  initialConnectState,
  isNamespaceName,
  isTimed,
  namespaceInUse,
} from '../../../../renderer/live/connect/connectState';
import { FLEET_PRESETS } from '../../../../renderer/live/presets';

const ctx = (namespace: string | null): KubeContextInfo => ({
  name: 'c',
  cluster: 'k',
  user: 'u',
  namespace,
  server: null,
  auth: 'token',
  file: '/k',
});

const pod: PodInfo = {
  namespace: 'ns',
  name: 'p',
  status: 'Running',
  ready: '1/1',
  restarts: 0,
  node: null,
  createdAt: null,
  labels: {},
  workload: 'p',
  containers: [
    {
      name: 'app',
      image: 'img',
      candidates: [{ port: 8080, pathPrefix: '/x/pprof', label: 'x', source: 'annotation' }],
    },
  ],
} as PodInfo;

describe('connectReducer', () => {
  it('uses the context’s namespace, else default, until another is asked for', () => {
    const s = initialConnectState;
    expect(namespaceInUse(s, ctx('cattle-fleet-system'))).toBe('cattle-fleet-system');
    expect(namespaceInUse(s, ctx(null))).toBe('default');
    expect(namespaceInUse(s, undefined)).toBe('default');
    const all = connectReducer(s, { type: 'namespace', namespace: '' });
    expect(namespaceInUse(all, ctx('x'))).toBe('');
  });

  it('goes back to the context’s own namespace and drops the selection on a new context', () => {
    let s = connectReducer(initialConnectState, { type: 'namespace', namespace: 'other' });
    s = connectReducer(s, { type: 'check', key: 'other/p', on: true });
    s = connectReducer(s, { type: 'focus', pod });
    s = connectReducer(s, { type: 'context', context: 'next' });
    expect(s.namespace).toBeNull();
    expect(s.checked.size).toBe(0);
    expect(s.focused).toBeNull();
  });

  it('focusing a pod takes its first container and candidate', () => {
    const s = connectReducer(initialConnectState, { type: 'focus', pod });
    expect([s.focused, s.container, s.port, s.pathPrefix]).toEqual([
      'ns/p',
      'app',
      8080,
      '/x/pprof',
    ]);
  });

  it('a preset sets namespace, search and port in one step', () => {
    const p = FLEET_PRESETS[0];
    const s = connectReducer(initialConnectState, { type: 'preset', preset: p });
    expect([s.namespace, s.search, s.port, s.component]).toEqual([
      p.namespace,
      p.podSearch,
      p.port,
      p.component,
    ]);
  });

  it('knows which captures run for a time and what a namespace name is', () => {
    expect([isTimed('cpu', false), isTimed('heap', false), isTimed('heap', true)]).toEqual([
      true,
      false,
      true,
    ]);
    expect(isTimed('goroutine', true)).toBe(false);
    expect(['kube-system', 'a', 'Bad', '-x', 'x'.repeat(64)].map(isNamespaceName)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
