import { describe, expect, it } from 'vitest';
import {
  formatPercent,
  formatValue,
  formatValueShort,
  selectOutputUnit,
} from '../../../renderer/model/index';

describe('formatValue (as pprof prints)', () => {
  it('scales time and memory like pprof', () => {
    expect(formatValue(6_090_000_000, 'nanoseconds')).toBe('6.09s');
    expect(formatValue(450_000_000, 'nanoseconds')).toBe('450ms');
    expect(formatValue(12.5 * 1024 * 1024, 'bytes')).toBe('12.50MB');
    expect(formatValue(524_633, 'bytes', 'kB')).toBe('512.34kB');
    expect(formatValue(0, 'nanoseconds')).toBe('0');
    expect(formatValue(42, 'count')).toBe('42');
    expect(formatValue(14_750_000_000, 'nanoseconds', 'ms')).toBe('14750ms');
  });

  it('selects the output unit of a report like pprof', () => {
    expect(selectOutputUnit([6_090_000_000, 50_000_000], 14_750_000_000, 'nanoseconds')).toBe('s');
    expect(selectOutputUnit([1_790_000_000, 1_000_000], 14_750_000_000, 'nanoseconds')).toBe('ms');
  });

  it('formats percentages like measurement.Percentage', () => {
    expect(formatPercent(6.09, 14.75)).toBe('41.29%');
    expect(formatPercent(1, 1)).toBe('  100%');
    expect(formatPercent(1, 200)).toBe('  0.5%');
    expect(formatPercent(0, 5)).toBe('    0%');
  });
});

describe('formatValueShort (UI)', () => {
  it('uses binary units for bytes and readable time', () => {
    expect(formatValueShort(12.5 * 1024 * 1024, 'bytes')).toBe('12.5 MiB');
    expect(formatValueShort(512, 'bytes')).toBe('512 B');
    expect(formatValueShort(1_230_000_000, 'nanoseconds')).toBe('1.23 s');
    expect(formatValueShort(450_000_000, 'nanoseconds')).toBe('450 ms');
    expect(formatValueShort(123_456, 'count')).toBe('123.5k');
  });
});
