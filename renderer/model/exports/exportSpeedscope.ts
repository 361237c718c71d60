import type { Profile } from '../profile/profile';
import { forEachStack, viewTree } from '../queries/stackPaths';
import type { ViewOptions } from '../types';

type SpeedscopeUnit =
  'none' | 'nanoseconds' | 'microseconds' | 'milliseconds' | 'seconds' | 'bytes';

function speedscopeUnit(unit: string): SpeedscopeUnit {
  switch (unit.toLowerCase()) {
    case 'nanoseconds':
    case 'ns':
      return 'nanoseconds';
    case 'microseconds':
    case 'us':
      return 'microseconds';
    case 'milliseconds':
    case 'ms':
      return 'milliseconds';
    case 'seconds':
    case 's':
      return 'seconds';
    case 'bytes':
    case 'b':
      return 'bytes';
    default:
      return 'none';
  }
}

interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
}

/** A speedscope file (https://www.speedscope.app/file-format-schema.json) with one sampled profile. */
export function exportSpeedscope(profile: Profile, opts: ViewOptions, name: string): string {
  const tree = viewTree(profile, opts);
  const frames: SpeedscopeFrame[] = tree.frames.names.map((frameName, i) => {
    const frame: SpeedscopeFrame = { name: frameName };
    if (tree.frames.files[i]) frame.file = tree.frames.files[i];
    if (tree.frames.lines[i]) frame.line = tree.frames.lines[i];
    return frame;
  });
  const samples: number[][] = [];
  const weights: number[] = [];
  let total = 0;
  forEachStack(tree, (path, value) => {
    // Speedscope cannot show negative weights (diffs); they are left out.
    if (value <= 0) return;
    samples.push(path.slice());
    weights.push(value);
    total += value;
  });
  const { type, unit } = tree.sampleType;
  return JSON.stringify({
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [
      {
        type: 'sampled',
        name: `${name} (${type})`,
        unit: speedscopeUnit(unit),
        startValue: 0,
        endValue: total,
        samples,
        weights,
      },
    ],
    name,
    activeProfileIndex: 0,
    exporter: 'profscope',
  });
}
