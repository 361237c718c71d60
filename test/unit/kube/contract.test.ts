import { describe, expect, it } from 'vitest';
import { ApiError, validateArgs } from '../../../electron/contract';
import { kubeconfigFiles } from '../../../electron/kube/kubeconfig';
import { safeComponent, stamp } from '../../../electron/kube/library';
import { capturePath, parseIndex } from '../../../electron/kube/capture';
import { continuousFileName } from '../../../electron/kube/continuous';

const target = {
  context: 'arn:aws:eks:eu-west-1:1:cluster/prod',
  namespace: 'cattle-fleet-system',
  pod: 'fleet-controller-1',
  container: null,
  port: 6060,
  pathPrefix: '/debug/pprof',
};

describe('live-attach argument validation', () => {
  it('accepts exact shapes', () => {
    expect(validateArgs('pprofIndex', [target])).toEqual([target]);
    expect(
      validateArgs('startCapture', [{ ...target, kind: 'heap', seconds: 5, delta: true }]),
    ).toHaveLength(1);
    expect(validateArgs('kubePods', ['ctx', '', 'app=web'])).toEqual(['ctx', '', 'app=web']);
    expect(
      validateArgs('startContinuous', [
        { targets: [target], periodSec: 10, component: 'fleetcontroller' },
      ]),
    ).toHaveLength(1);
  });

  it.each([
    ['an extra key', 'pprofIndex', [{ ...target, token: 'x' }]],
    ['a bad namespace', 'pprofIndex', [{ ...target, namespace: 'Bad_NS' }]],
    ['a port out of range', 'pprofIndex', [{ ...target, port: 70000 }]],
    ['a path with ..', 'pprofIndex', [{ ...target, pathPrefix: '/debug/../../x' }]],
    ['a path with a query', 'pprofIndex', [{ ...target, pathPrefix: '/debug?x=1' }]],
    [
      'a delta of a non-cumulative profile',
      'startCapture',
      [{ ...target, kind: 'goroutine', seconds: 5, delta: true }],
    ],
    ['an unknown kind', 'startCapture', [{ ...target, kind: 'cmdline', seconds: 5, delta: false }]],
    ['zero seconds', 'startCapture', [{ ...target, kind: 'cpu', seconds: 0, delta: false }]],
    ['a control character in a context', 'kubeNamespaces', ['a\nb']],
    ['an id with a slash', 'captureStatus', ['../x']],
    [
      'a component with dots',
      'startContinuous',
      [{ targets: [target], periodSec: 10, component: 'a.b' }],
    ],
    ['no targets', 'startContinuous', [{ targets: [], periodSec: 10, component: 'x' }]],
  ] as const)('rejects %s', (_name, method, args) => {
    expect(() => validateArgs(method, args)).toThrow(ApiError);
  });
});

describe('live-attach helpers', () => {
  it('reads KUBECONFIG as kubectl does', () => {
    expect(kubeconfigFiles({ env: { KUBECONFIG: '/a::/b:/a' } })).toEqual(['/a', '/b']);
    expect(kubeconfigFiles({ env: {}, home: '/home/u' })).toEqual(['/home/u/.kube/config']);
  });

  it('names files and folders safely', () => {
    expect(safeComponent('arn:aws:eks:eu-west-1:1:cluster/prod')).toBe(
      'arn_aws_eks_eu-west-1_1_cluster_prod',
    );
    expect(safeComponent('..')).toBe('_');
    expect(stamp(Date.UTC(2022, 10, 4, 19, 47, 18))).toBe('2022-11-04_19_47_18');
    expect(continuousFileName(Date.UTC(2022, 10, 4, 19, 47, 18), 'fleetcontroller')).toBe(
      '2022-11-04_19_47_18.pprof.fleetcontroller.samples.cpu.pb.gz',
    );
  });

  it('builds net/http/pprof URLs', () => {
    expect(
      capturePath({ pathPrefix: '/debug/pprof/', kind: 'cpu', seconds: 2, delta: false }),
    ).toBe('/debug/pprof/profile?seconds=2');
    expect(
      capturePath({ pathPrefix: '/debug/pprof', kind: 'heap', seconds: 9, delta: false }),
    ).toBe('/debug/pprof/heap');
    expect(capturePath({ pathPrefix: '/x', kind: 'mutex', seconds: 9, delta: true })).toBe(
      '/x/mutex?seconds=9',
    );
    expect(capturePath({ pathPrefix: '', kind: 'trace', seconds: 1, delta: false })).toBe(
      '/trace?seconds=1',
    );
  });

  it('parses the Go 1.19+ pprof index', () => {
    const html =
      "<tr><td>5</td><td><a href='allocs?debug=1'>allocs</a></td></tr>\n<tr><td>0</td><td><a href='profile?seconds=30'>profile</a></td></tr>";
    expect(parseIndex(html)).toEqual([
      { name: 'allocs', count: 5 },
      { name: 'profile', count: 0 },
    ]);
  });
});
