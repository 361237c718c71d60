// Writes Go-shaped synthetic CPU profiles for the benchmark: ~24k functions, stacks 8–64 deep
// with heavily shared prefixes (a few goroutine entry points fanning out), inlined frames,
// labels on part of the samples. Cached in the OS temp dir; never committed.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { prng } from './prng';

class Writer {
  private buf: Uint8Array;
  len = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  uint(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, 0);
    this.varint(v);
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

function message(build: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  build(w);
  return w.finish().slice();
}

export const FUNCTION_COUNT = 24_000;

export function generateProfile(samples: number, seed = 42): Uint8Array {
  const rand = prng(seed);
  const strings: string[] = [''];
  const stringIndex = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const skewed = (n: number): number => Math.min(n - 1, Math.floor(n * rand() ** 3));

  const out = new Writer(1 << 20);
  const vt = (type: string, unit: string): Uint8Array =>
    message((w) => {
      w.uint(1, str(type));
      w.uint(2, str(unit));
    });
  out.bytes(1, vt('samples', 'count'));
  out.bytes(1, vt('cpu', 'nanoseconds'));

  // Functions: package paths and receiver types shaped like a Go service.
  const fnName: number[] = [];
  const fnFile: number[] = [];
  for (let f = 0; f < FUNCTION_COUNT; f++) {
    const pkg = `github.com/acme/fleet/pkg/mod${f % 400}/sub${(f >> 3) % 37}`;
    const name = f % 3 === 0 ? `${pkg}.(*Type${f % 97}).Method${f}` : `${pkg}.func${f}`;
    fnName.push(str(name));
    fnFile.push(str(`/src/fleet/pkg/mod${f % 400}/file${f % 53}.go`));
  }
  // Call sites: one location per (caller, choice); some locations carry an inlined callee.
  const locationKey = new Map<number, number>();
  const locations: Uint8Array[] = [];
  const location = (fn: number, site: number, inlined: number): number => {
    const key = fn * 16 + site;
    let id = locationKey.get(key);
    if (id === undefined) {
      id = locations.length + 1;
      locationKey.set(key, id);
      const lid = id;
      locations.push(
        message((w) => {
          w.uint(1, lid);
          w.uint(2, 1);
          w.uint(3, 0x400000 + lid * 16);
          if (inlined >= 0) {
            w.bytes(
              4,
              message((l) => {
                l.uint(1, inlined + 1);
                l.uint(2, 10 + site);
              }),
            );
          }
          w.bytes(
            4,
            message((l) => {
              l.uint(1, fn + 1);
              l.uint(2, 100 + site * 7);
            }),
          );
        }),
      );
    }
    return id;
  };

  // A pool of distinct stacks grown as a random tree walk (so they share prefixes), then samples
  // drawn from it with a skew: real profiles repeat their hot stacks many times.
  const roots = 60;
  const poolSize = Math.min(samples, 20_000 + Math.floor(samples / 10));
  const pool: Uint32Array[] = [];
  const stack: number[] = [];
  for (let k = 0; k < poolSize; k++) {
    stack.length = 0;
    let fn = skewed(roots) * 389;
    const depth = 8 + Math.floor(rand() * 57);
    for (let d = 0; d < depth - 1; d++) {
      // Upper frames follow few hot paths; deeper frames branch more.
      const choice = d < 6 ? skewed(2) : skewed(6);
      const next = (Math.imul(fn + 1, 0x9e3779b1) + choice * 7919 + d * 104729) >>> 0;
      const callee = next % FUNCTION_COUNT;
      const inlined = choice === 5 ? (next >>> 7) % FUNCTION_COUNT : -1;
      stack.push(location(fn, choice, inlined));
      fn = callee;
    }
    stack.push(location(fn, 8 + skewed(6), -1));
    stack.reverse();
    pool.push(Uint32Array.from(stack));
  }

  const labelValues = ['bundle', 'cluster', 'gitjob', 'agent'].map((v) => str(v));
  const labelKey = str('controller');
  for (let s = 0; s < samples; s++) {
    const chosen = pool[s < poolSize ? s : skewed(poolSize)];
    const count = 1 + skewed(3);
    out.bytes(
      2,
      message((w) => {
        const packed = new Writer(chosen.length * 3);
        for (const id of chosen) packed.varint(id);
        w.bytes(1, packed.finish());
        const values = new Writer();
        values.varint(count);
        values.varint(count * 10_000_000);
        w.bytes(2, values.finish());
        // Labels make repeated stacks distinct samples, as pprof labels do in real services.
        w.bytes(
          3,
          message((l) => {
            l.uint(1, labelKey);
            l.uint(2, labelValues[skewed(4)]);
          }),
        );
      }),
    );
  }
  out.bytes(
    3,
    message((w) => {
      w.uint(1, 1);
      w.uint(2, 0x400000);
      w.uint(3, 0x4000000);
      w.uint(5, str('/usr/local/bin/fleetcontroller'));
      w.uint(7, 1);
      w.uint(8, 1);
      w.uint(9, 1);
      w.uint(10, 1);
    }),
  );
  for (const l of locations) out.bytes(4, l);
  for (let f = 0; f < FUNCTION_COUNT; f++) {
    out.bytes(
      5,
      message((w) => {
        w.uint(1, f + 1);
        w.uint(2, fnName[f]);
        w.uint(3, fnName[f]);
        w.uint(4, fnFile[f]);
      }),
    );
  }
  const enc = new TextEncoder();
  for (const s of strings) out.bytes(6, enc.encode(s));
  out.uint(9, 1_700_000_000_000_000_000);
  out.uint(10, 60_000_000_000);
  out.bytes(11, vt('cpu', 'nanoseconds'));
  out.uint(12, 10_000_000);
  return gzipSync(out.finish());
}

/**
 * Path of the cached profile with `samples` samples, generating it on first use. Cached in the
 * temporary directory: across benchmark runs, and within one test run (tests get a temporary
 * directory of their own, see test/tempRoot.ts).
 */
export function cachedProfile(samples: number): string {
  const dir = join(tmpdir(), 'profscope-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `synthetic-${samples}.pb.gz`);
  if (!existsSync(file)) {
    const bytes = generateProfile(samples);
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
  }
  return file;
}
