// Kubernetes quantities as metrics.k8s.io writes them (resource.Quantity's canonical forms).
import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../electron/kube/metrics';

describe('parseQuantity', () => {
  it('reads the forms metrics-server answers with, and the other suffixes', () => {
    expect(parseQuantity('123456789n')).toBeCloseTo(0.123456789, 12);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1500u')).toBeCloseTo(0.0015, 12);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('0')).toBe(0);
    expect(parseQuantity('12345Ki')).toBe(12345 * 1024);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 1024 ** 3);
    expect(parseQuantity('1k')).toBe(1000);
    expect(parseQuantity('2M')).toBe(2e6);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E-3')).toBe(0.001);
    expect(parseQuantity('.5')).toBe(0.5);
  });

  it('refuses what is not a quantity', () => {
    for (const bad of ['', 'Mi', '12 Mi', '1.2.3', '5mb', '1Ki2'])
      expect(parseQuantity(bad)).toBeNaN();
  });
});
