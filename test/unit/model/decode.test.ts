import { gunzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { decodeProfile, ProfileError } from '../../../renderer/model/index';
import { fixture } from './helpers';

const binaries = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate'];

describe('decodeProfile', () => {
  for (const name of binaries) {
    it(`agrees with pprof-format on ${name}`, async () => {
      const bytes = fixture('pprof', `${name}.pb.gz`);
      const ours = await decodeProfile(bytes);
      const theirs = PProfile.decode(gunzipSync(bytes));
      const s = ours.summary();
      expect(s.sampleCount).toBe(theirs.sample.length);
      expect(s.sampleTypes).toEqual(
        theirs.sampleType.map((t) => ({
          type: theirs.stringTable.strings[Number(t.type)],
          unit: theirs.stringTable.strings[Number(t.unit)],
        })),
      );
      const totals = s.sampleTypes.map((_, i) =>
        theirs.sample.reduce((a, x) => a + Number(x.value[i]), 0),
      );
      expect(s.totals).toEqual(totals);
      expect(s.period).toBe(Number(theirs.period));
      expect(s.durationNanos).toBe(Number(theirs.durationNanos));
      expect(ours.locations.id.length).toBe(theirs.location.length);
      expect(ours.functions.id.length).toBe(theirs.function.length);
      expect(s.mainBinary).toBe('workload');
      // Every sample's stack, leaf first, equals the file's location ids.
      theirs.sample.forEach((sample, i) => {
        const ids: number[] = [];
        for (let n = ours.samples.leaf[i]; n > 0; n = ours.rawTrie.parent[n]) {
          ids.push(ours.locations.id[ours.rawTrie.location[n]]);
        }
        expect(ids).toEqual(sample.locationId.map(Number));
      });
    });
  }

  it('decodes raw (not gzipped) protobuf too', async () => {
    const raw = new Uint8Array(gunzipSync(fixture('pprof', 'cpu.pb.gz')));
    const p = await decodeProfile(raw);
    expect(p.summary().totals[1]).toBe(14_750_000_000);
  });

  it('reads labels, period type, default sample index', async () => {
    const cpu = await decodeProfile(fixture('pprof', 'cpu.pb.gz'));
    const s = cpu.summary();
    expect(s.labelKeys).toEqual(['controller']);
    expect(s.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(s.defaultSampleIndex).toBe(1);
    const heap = await decodeProfile(fixture('pprof', 'heap.pb.gz'));
    expect(heap.summary().defaultSampleIndex).toBe(3);
    expect(heap.sampleIndexOf('alloc_space')).toBe(1);
    expect(heap.sampleIndexOf('2')).toBe(2);
    expect(heap.sampleIndexOf('nope')).toBe(-1);
  });

  it('expands inlined frames into several lines per location', async () => {
    const cpu = await decodeProfile(fixture('pprof', 'cpu.pb.gz'));
    const { lineStart } = cpu.locations;
    let multi = 0;
    for (let l = 0; l < cpu.locations.id.length; l++)
      if (lineStart[l + 1] - lineStart[l] > 1) multi++;
    expect(multi).toBeGreaterThan(0);
  });

  it('rejects non-profiles with a ProfileError', async () => {
    await expect(decodeProfile(new TextEncoder().encode('hello world'))).rejects.toBeInstanceOf(
      ProfileError,
    );
  });
});
