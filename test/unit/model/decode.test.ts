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

  it('reads location ids written unpacked (a field per id), as some encoders do', async () => {
    const raw = new Uint8Array(gunzipSync(fixture('pprof', 'cpu.pb.gz')));
    // Every other sample's packed location_id field rewritten as one varint field per id.
    const unpacked = rewriteSamples(raw, (sample, i) =>
      i % 2 ? unpackLocationIds(sample) : sample,
    );
    expect(unpacked.length).toBeGreaterThan(raw.length);
    const ours = await decodeProfile(unpacked);
    const theirs = PProfile.decode(unpacked);
    expect(ours.summary().sampleCount).toBe(theirs.sample.length);
    theirs.sample.forEach((sample, i) => {
      const ids: number[] = [];
      for (let n = ours.samples.leaf[i]; n > 0; n = ours.rawTrie.parent[n]) {
        ids.push(ours.locations.id[ours.rawTrie.location[n]]);
      }
      expect(ids).toEqual(sample.locationId.map(Number));
    });
    const packed = await decodeProfile(raw);
    expect(ours.summary()).toEqual(packed.summary());
  });

  it('names a label that refers to a string the table does not have', async () => {
    const raw = new Uint8Array(gunzipSync(fixture('pprof', 'cpu.pb.gz')));
    // A label {key: string 999999, str: string 1} added to the third sample.
    const label = delimited(0x1a, [0x08, ...varint(999_999), 0x10, 1]);
    const bad = rewriteSamples(raw, (sample, i) =>
      i === 2 ? Uint8Array.from([...sample, ...label]) : sample,
    );
    await expect(decodeProfile(bad)).rejects.toThrow(
      /a label refers to string 999999, but the string table has \d+ entries/,
    );
  });

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

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let v = 0;
  let scale = 1;
  for (;;) {
    const b = buf[at++];
    v += (b & 0x7f) * scale;
    if (b < 0x80) return [v, at];
    scale *= 128;
  }
}

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Splits a message into its fields: [tag, bytes of the whole field]. */
function fields(buf: Uint8Array): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    const [tag, afterTag] = readVarint(buf, at);
    at = afterTag;
    if ((tag & 7) === 0) at = readVarint(buf, at)[1];
    else if ((tag & 7) === 2) {
      const [len, afterLen] = readVarint(buf, at);
      at = afterLen + len;
    } else throw new Error(`wire type ${tag & 7} not expected here`);
    out.push([tag, buf.subarray(start, at)]);
  }
  return out;
}

/** The payload of a length-delimited field. */
function payload(field: Uint8Array): Uint8Array {
  const afterTag = readVarint(field, 0)[1];
  return field.subarray(readVarint(field, afterTag)[1]);
}

function delimited(tag: number, body: number[] | Uint8Array): number[] {
  return [...varint(tag), ...varint(body.length), ...body];
}

/** The profile with each Sample message (field 2) replaced by what `edit` makes of it. */
function rewriteSamples(
  profile: Uint8Array,
  edit: (sample: Uint8Array, index: number) => Uint8Array,
): Uint8Array {
  const out: number[] = [];
  let i = 0;
  for (const [tag, bytes] of fields(profile)) {
    if (tag === 0x12) out.push(...delimited(0x12, edit(payload(bytes), i++)));
    else out.push(...bytes);
  }
  return Uint8Array.from(out);
}

/** A Sample message with its packed location_id field written as one field per id. */
function unpackLocationIds(sample: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const [tag, bytes] of fields(sample)) {
    if (tag !== 0x0a) {
      out.push(...bytes);
      continue;
    }
    const ids = payload(bytes);
    for (let at = 0; at < ids.length;) {
      const [id, next] = readVarint(ids, at);
      out.push(0x08, ...varint(id));
      at = next;
    }
  }
  return Uint8Array.from(out);
}
