import { ProfileError } from '../errors';
import { Profile } from './profile';
import { ProfileBuilder } from './profileBuilder';

/** Go's math.Round: halves away from zero (Math.round takes -2.5 to -2). */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * pprof's Profile.ScaleN: each value times its type's ratio, rounded; a sample stays only if one
 * of its scaled values (those of a ratio other than 1) is not zero.
 */
export function scaleProfile(profile: Profile, ratios: number[]): Profile {
  if (ratios.every((r) => r === 1)) return profile;
  const nt = ratios.length;
  const { count, leaf, values, labelStart, labelKey, labelStr, labelNum, labelNumUnit } =
    profile.samples;
  const scaled = new Float64Array(values.length);
  const kept: number[] = [];
  for (let s = 0; s < count; s++) {
    let keep = false;
    for (let t = 0; t < nt; t++) {
      const v = values[s * nt + t];
      if (ratios[t] === 1) scaled[s * nt + t] = v;
      else {
        scaled[s * nt + t] = goRound(v * ratios[t]);
        keep ||= scaled[s * nt + t] !== 0;
      }
    }
    if (keep) kept.push(s);
  }
  const outValues = new Float64Array(kept.length * nt);
  const outLeaf = new Int32Array(kept.length);
  const outStart = labelStart ? new Int32Array(kept.length + 1) : null;
  let labels = 0;
  kept.forEach((s, i) => {
    outLeaf[i] = leaf[s];
    outValues.set(scaled.subarray(s * nt, (s + 1) * nt), i * nt);
    if (outStart && labelStart) {
      outStart[i] = labels;
      labels += labelStart[s + 1] - labelStart[s];
    }
  });
  const samples = { ...profile.samples, count: kept.length, leaf: outLeaf, values: outValues };
  if (outStart && labelStart) {
    outStart[kept.length] = labels;
    const pick = <T extends Int32Array | Float64Array>(src: T, out: T): T => {
      kept.forEach((s, i) => out.set(src.subarray(labelStart[s], labelStart[s + 1]), outStart[i]));
      return out;
    };
    Object.assign(samples, {
      labelStart: outStart,
      labelKey: pick(labelKey, new Int32Array(labels)),
      labelStr: pick(labelStr, new Int32Array(labels)),
      labelNum: pick(labelNum, new Float64Array(labels)),
      labelNumUnit: pick(labelNumUnit, new Int32Array(labels)),
    });
  }
  return new Profile({ ...profile.data, samples });
}

function sums(p: Profile): number[] {
  const nt = p.sampleTypes.length;
  const out = new Array<number>(nt).fill(0);
  const v = p.samples.values;
  for (let s = 0; s < p.samples.count; s++) for (let t = 0; t < nt; t++) out[t] += v[s * nt + t];
  return out;
}

function typeName(t: { type: string; unit: string } | null): string {
  return t ? `${t.type}/${t.unit}` : 'none';
}

/**
 * pprof's Profile.Normalize (-normalize): the profile scaled, per sample type, so that its total
 * equals the base's (a type whose total is zero becomes all zeros).
 */
export function normalizeProfile(profile: Profile, base: Profile): Profile {
  const a = profile.summary();
  const b = base.summary();
  const types = (p: Profile): string => p.sampleTypes.map(typeName).join(' ');
  if (typeName(a.periodType) !== typeName(b.periodType) || types(profile) !== types(base)) {
    throw new ProfileError(
      'incompatible',
      `cannot normalize: period type ${typeName(a.periodType)} and sample types ${types(profile)} differ from the base's (${typeName(b.periodType)}; ${types(base)})`,
    );
  }
  const baseSums = sums(base);
  const ratios = sums(profile).map((s, i) => (s === 0 ? 0 : baseSums[i] / s));
  // pprof merges a profile's identical samples when it reads it, so it rounds merged values.
  const merged = new ProfileBuilder(profile);
  merged.addSamples(profile);
  return scaleProfile(merged.build(), ratios);
}
