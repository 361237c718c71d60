import { ProfileError } from '../errors';
import type { Profile } from './profile';
import type { ValueType } from '../types';
import { ProfileBuilder } from './profileBuilder';

function sameTypes(a: ValueType[], b: ValueType[]): boolean {
  return a.length === b.length && a.every((t, i) => t.type === b[i].type && t.unit === b[i].unit);
}

const describeTypes = (types: ValueType[]): string =>
  types.map((t) => `${t.type}/${t.unit}`).join(' ');

/**
 * mergeProfiles' check, on the sample types alone (one list per profile, in their order): the
 * error for the first that differs from the first. Lets files decoded in other threads be
 * checked as one merge would check them.
 */
export function checkSameSampleTypes(types: ValueType[][]): void {
  const first = types[0] ?? [];
  for (const t of types.slice(1)) {
    if (!sameTypes(first, t)) {
      throw new ProfileError(
        'incompatible',
        `incompatible profiles: sample types ${describeTypes(t)} differ from ${describeTypes(first)}`,
      );
    }
  }
}

/**
 * Merges profiles like `go tool pprof a b c`: same sample types required, identical samples
 * combined, durations summed, the earliest time kept, the largest period kept.
 */
export function mergeProfiles(profiles: Profile[]): Profile {
  if (profiles.length === 0) throw new ProfileError('empty', 'nothing to merge: no profiles given');
  const first = profiles[0];
  checkSameSampleTypes(profiles.map((p) => p.sampleTypes));
  if (profiles.length === 1) return first;
  const builder = new ProfileBuilder(first);
  let duration = 0;
  let time = 0;
  let period = 0;
  const comments: number[] = [];
  for (const p of profiles) {
    builder.addSamples(p);
    duration += p.data.durationNanos;
    if (p.data.timeNanos !== 0 && (time === 0 || p.data.timeNanos < time)) time = p.data.timeNanos;
    period = Math.max(period, p.data.period);
    for (const c of p.data.comments) {
      const id = builder.str(p.str(c));
      if (!comments.includes(id)) comments.push(id);
    }
  }
  Object.assign(builder.header, { durationNanos: duration, timeNanos: time, period, comments });
  return builder.build();
}

/** The profile with every value negated: merged with another profile it gives pprof's -base diff. */
export function negateProfile(profile: Profile): Profile {
  const builder = new ProfileBuilder(profile);
  builder.addSamples(profile, -1);
  return builder.build();
}
