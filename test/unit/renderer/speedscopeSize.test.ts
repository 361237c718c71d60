import { describe, expect, it } from 'vitest';
import { exportSpeedscope } from '../../../renderer/model';
import { measureSpeedscopeExport } from '../../../renderer/views/speedscopeSize';
import { load } from '../model/helpers';

interface Parsed {
  shared: { frames: unknown[] };
  profiles: { samples: number[][] }[];
}

function parsedSize(json: string) {
  const { shared, profiles } = JSON.parse(json) as Parsed;
  const samples = profiles[0].samples;
  return {
    frames: shared.frames.length,
    stacks: samples.length,
    stackFrames: samples.reduce((n, s) => n + s.length, 0),
  };
}

describe('measureSpeedscopeExport', () => {
  it("counts what JSON.parse finds in the engine's exports", async () => {
    for (const [file, opts] of [
      ['cpu.pb.gz', {}],
      ['heap.pb.gz', { sampleIndex: 1 }],
      ['cpu.pb.gz', { focus: 'no function is called this' }],
    ] as const) {
      const json = exportSpeedscope(await load('pprof', file), opts, file);
      const size = measureSpeedscopeExport(json);
      expect(size, file).toEqual(parsedSize(json));
      expect(size.stackFrames).toBeGreaterThanOrEqual(size.stacks);
    }
  });

  it('is not fooled by frame names that look like the keys it looks for', () => {
    const tricky = ['{"name":', '"samples":[1,2', '],"weights":[', '"profiles":[', 'a,b,[c]'];
    const json = JSON.stringify({
      $schema: 'https://www.speedscope.app/file-format-schema.json',
      shared: { frames: tricky.map((name) => ({ name, file: name })) },
      profiles: [
        {
          type: 'sampled',
          name: '"samples":[{"name":',
          unit: 'none',
          startValue: 0,
          endValue: 3,
          samples: [[0, 1, 2], [3], [0, 4]],
          weights: [1, 1, 1],
        },
      ],
      name: tricky.join(),
      activeProfileIndex: 0,
      exporter: 'profscope',
    });
    expect(measureSpeedscopeExport(json)).toEqual({ frames: 5, stacks: 3, stackFrames: 6 });
  });
});
