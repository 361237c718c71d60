// The triage engine on real Go profiles, checked against `go tool pprof`'s own reading of them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BreakdownRule } from '../../../electron/contract';
import {
  DEFAULT_BREAKDOWN_RULES,
  OTHER_CATEGORY,
  compileBreakdownRules,
  cpuBreakdown,
  exportPprof,
  mergeLabelled,
  podSummary,
  topTable,
  type Profile,
} from '../../../renderer/model/index';
import { FIXTURES, load } from './helpers';
import { goRaw, goTopHeader, goTopTotal, hasGo, rawTotal, type RawProfile } from './triageRaw';

function requireGo(): void {
  // The figures below are checked against go tool pprof: without it the test cannot say much.
  expect(hasGo, '`go` must be on PATH (go tool pprof is the reference)').toBe(true);
}

/**
 * The documented assignment, written the plain way over pprof's own decoding: from the leaf up,
 * the first frame (innermost line first) matching any rule decides; the first rule it matches wins.
 */
function referenceBreakdown(raw: RawProfile, rules: BreakdownRule[], type: string): number[] {
  const res = compileBreakdownRules(rules);
  const col = raw.types.indexOf(type);
  const sums = new Array<number>(rules.length + 1).fill(0);
  for (const s of raw.samples) {
    let rule = -1;
    outer: for (const loc of s.locations) {
      for (const fn of raw.locations.get(loc) ?? []) {
        rule = res.findIndex((re) => re.test(fn));
        if (rule >= 0) break outer;
      }
    }
    sums[rule >= 0 ? rule : rules.length] += s.values[col];
  }
  return sums;
}

const cpuFiles = [
  ['pprof', 'cpu.pb.gz'],
  ['workload-out', 'cpu.pb.gz'],
  ['continuous', '2026-11-24_13_50_29.pprof.fleetcontroller.samples.cpu.pb.gz'],
];

describe('DEFAULT_BREAKDOWN_RULES', () => {
  it('are valid Go regexps that put the functions where they belong', () => {
    const res = compileBreakdownRules(DEFAULT_BREAKDOWN_RULES);
    const ruleOf = (fn: string) => {
      const i = res.findIndex((re) => re.test(fn));
      return i < 0 ? OTHER_CATEGORY : DEFAULT_BREAKDOWN_RULES[i].name;
    };
    const cases: [string, string][] = [
      ['runtime.mallocgc', 'GC & allocation'],
      ['runtime.gcBgMarkWorker', 'GC & allocation'],
      ['runtime.gcBgMarkWorker.func2', 'GC & allocation'],
      ['runtime.gcAssistAlloc1', 'GC & allocation'],
      ['runtime.scanobject', 'GC & allocation'],
      ['runtime.markroot', 'GC & allocation'],
      ['runtime.markrootBlock', 'GC & allocation'],
      ['runtime.(*mheap).alloc', 'GC & allocation'],
      ['runtime.memclrNoHeapPointers', OTHER_CATEGORY],
      ['runtime.memmove', OTHER_CATEGORY],
      ['runtime.mapassign_faststr', OTHER_CATEGORY],
      ['runtime.schedule', OTHER_CATEGORY],
      ['net/http.(*conn).serve', 'Serving requests'],
      ['net/http.serverHandler.ServeHTTP', 'Serving requests'],
      ['net/http.HandlerFunc.ServeHTTP', 'Serving requests'],
      ['net/http.(*ServeMux).ServeHTTP', 'Serving requests'],
      ['google.golang.org/grpc.(*Server).handleStream', 'Serving requests'],
      ['net/http.(*Transport).roundTrip', 'Making requests'],
      ['net/http.(*persistConn).writeLoop', 'Making requests'],
      ['net/http.(*Client).Do', 'Making requests'],
      ['net/http.Get', 'Making requests'],
      ['net/http.send', 'Making requests'],
      ['google.golang.org/grpc.(*ClientConn).Invoke', 'Making requests'],
      ['k8s.io/client-go/rest.(*Request).Do', 'Making requests'],
      ['k8s.io/client-go/tools/cache.(*Reflector).ListAndWatch', 'Making requests'],
      ['k8s.io/client-go/tools/cache.(*processorListener).run', OTHER_CATEGORY],
      ['k8s.io/client-go/util/workqueue.(*Type).Get', OTHER_CATEGORY],
      ['net/http.Header.Get', OTHER_CATEGORY],
      ['encoding/json.(*decodeState).object', 'Encoding'],
      ['encoding/json.Marshal', 'Encoding'],
      ['google.golang.org/protobuf/proto.Unmarshal', 'Encoding'],
      ['sigs.k8s.io/yaml.Unmarshal', 'Encoding'],
      ['gopkg.in/yaml.v2.Unmarshal', 'Encoding'],
      ['k8s.io/api/core/v1.(*Pod).Unmarshal', 'Encoding'],
      ['k8s.io/apimachinery/pkg/runtime/serializer/json.(*Serializer).Decode', 'Encoding'],
      ['net.(*netFD).Read', 'Socket syscalls'],
      ['net.(*conn).Write', 'Socket syscalls'],
      ['net.(*TCPConn).ReadFrom', 'Socket syscalls'],
      ['internal/poll.(*FD).Read', OTHER_CATEGORY],
      ['syscall.Syscall', OTHER_CATEGORY],
      ['os.(*File).Write', OTHER_CATEGORY],
      ['netip.ParseAddr', OTHER_CATEGORY],
      ['main.handleBundles', OTHER_CATEGORY],
    ];
    expect(cases.map(([fn]) => [fn, ruleOf(fn)])).toEqual(cases);
  });

  it('a bad pattern names its rule', () => {
    expect(() => compileBreakdownRules([{ name: 'Broken', pattern: '(' }])).toThrow(/Broken/);
  });
});

describe('cpuBreakdown', () => {
  it.each(cpuFiles)(
    '%s/%s: every sample to its leaf-most matching frame, as over go tool pprof -raw',
    async (...parts) => {
      requireGo();
      const p = await load(...parts);
      const raw = goRaw(join(FIXTURES, ...parts));
      const rules = DEFAULT_BREAKDOWN_RULES;
      const got = cpuBreakdown(p, rules);
      expect(got.map((b) => b.rule)).toEqual([...rules.map((r) => r.name), OTHER_CATEGORY]);
      expect(got.map((b) => b.value)).toEqual(referenceBreakdown(raw, rules, 'cpu/nanoseconds'));
      expect(got.reduce((n, b) => n + b.value, 0)).toBe(rawTotal(raw, 'cpu/nanoseconds'));
      // These fixtures are CPU-bound Go with real allocation and JSON: both categories show.
      expect(got[0].value).toBeGreaterThan(0);
      expect(got.find((b) => b.rule === 'Encoding')?.value).toBeGreaterThan(0);
    },
  );

  it('leaf-most wins: allocation under JSON is allocation, JSON’s own time is encoding', async () => {
    requireGo();
    const p = await load('pprof', 'cpu.pb.gz');
    const json: BreakdownRule = { name: 'json', pattern: '^encoding/json\\.' };
    const malloc: BreakdownRule = { name: 'malloc', pattern: '^runtime\\.mallocgc$' };
    // One rule alone: a sample counts when any frame matches, which is pprof's cum.
    const cum = (name: string) => topTable(p).rows.find((r) => r.name === name)?.cum ?? 0;
    expect(cpuBreakdown(p, [malloc])[0].value).toBe(cum('runtime.mallocgc'));
    const jsonAlone = cpuBreakdown(p, [json])[0].value;
    const both = cpuBreakdown(p, [json, malloc]);
    // mallocgc is never above JSON on a stack, so it keeps all of its cum.
    expect(both[1].value).toBe(cum('runtime.mallocgc'));
    // Whatever mallocgc took beneath JSON left the JSON category for the allocation one.
    expect(both[0].value).toBeLessThan(jsonAlone);
    expect(both[0].value + both[1].value).toBe(
      cpuBreakdown(p, [{ name: 'either', pattern: '^encoding/json\\.|^runtime\\.mallocgc$' }])[0]
        .value,
    );
  });
});

describe('podSummary', () => {
  it('cores, heap in use, goroutines and the top function agree with go tool pprof', async () => {
    requireGo();
    const dir = join(FIXTURES, 'pprof');
    const [cpu, heap, goroutine] = await Promise.all([
      load('pprof', 'cpu.pb.gz'),
      load('pprof', 'heap.pb.gz'),
      load('pprof', 'goroutine.pb.gz'),
    ]);
    const s = podSummary({ cpu, heap, goroutine }, DEFAULT_BREAKDOWN_RULES);
    // pprof's "Total samples = 14.75s (145.14%)" is the CPU total over the wall duration.
    const header = goTopHeader(join(dir, 'cpu.pb.gz'));
    expect(s.cpuCores).not.toBeNull();
    expect(Math.abs((s.cpuCores as number) * 100 - header.percentOfDuration)).toBeLessThan(0.005);
    expect(Math.abs((s.cpuCores as number) - 14.75 / header.durationSec)).toBeLessThan(0.002);
    expect(s.heapInuseBytes).toBe(rawTotal(goRaw(join(dir, 'heap.pb.gz')), 'inuse_space/bytes'));
    expect(s.heapInuseBytes).toBeGreaterThan(7_000_000);
    // -raw leaves out the one goroutine with an empty stack; -top counts it, as the engine does.
    expect(String(s.goroutines)).toBe(goTopTotal(join(dir, 'goroutine.pb.gz')));
    expect(s.goroutines).toBe(310);
    // cpu.top.txt's first row: 6.09s of 14.75s in crypto/sha256.block.
    expect(s.topFunction?.name).toBe('crypto/sha256.block');
    expect(s.topFunction?.share).toBeCloseTo(6.09 / 14.75, 3);
    expect(s.breakdown?.reduce((n, b) => n + b.value, 0)).toBe(14_750_000_000);
  });

  it('missing profiles leave their figures null', async () => {
    const heap = await load('workload-out', 'heap.pb.gz');
    expect(podSummary({ heap }, DEFAULT_BREAKDOWN_RULES)).toEqual({
      cpuCores: null,
      heapInuseBytes: expect.any(Number) as number,
      goroutines: null,
      topFunction: null,
      breakdown: null,
    });
  });
});

describe('mergeLabelled', () => {
  async function mergedPods(): Promise<{ parts: Profile[]; merged: Profile }> {
    const parts = await Promise.all([
      load('continuous', '2026-11-24_13_50_29.pprof.fleetcontroller.samples.cpu.pb.gz'),
      load('continuous', '2026-11-24_13_50_34.pprof.fleetcontroller.samples.cpu.pb.gz'),
      load('pprof', 'cpu.pb.gz'),
    ]);
    const merged = mergeLabelled(
      parts.map((profile, i) => ({
        profile,
        labels: { context: i < 2 ? 'local' : 'downstream-1', namespace: 'ns', pod: `pod-${i}` },
      })),
    );
    return { parts, merged };
  }

  it('tagfocus pod=X gives back X’s total, in the engine and in go tool pprof', async () => {
    const { parts, merged } = await mergedPods();
    const total = (p: Profile) => p.summary().totals[1];
    expect(total(merged)).toBe(parts.reduce((n, p) => n + total(p), 0));
    for (let i = 0; i < parts.length; i++) {
      const kept = topTable(merged, { tagFocus: `pod=pod-${i}` }).keptTotal;
      expect(kept).toBe(total(parts[i]));
    }
    expect(topTable(merged, { tagFocus: 'context=local' }).keptTotal).toBe(
      total(parts[0]) + total(parts[1]),
    );
    // The workload's own labels (controller=…) are kept beside the new ones.
    expect(merged.labelKeys()).toEqual(['context', 'controller', 'namespace', 'pod']);
    requireGo();
    const file = join(mkdtempSync(join(tmpdir(), 'profscope-triage-')), 'merged.pb.gz');
    writeFileSync(file, await exportPprof(merged));
    for (let i = 0; i < parts.length; i++) {
      const raw = goRaw(file, `-tagfocus=pod=pod-${i}`);
      expect(rawTotal(raw, 'cpu/nanoseconds')).toBe(total(parts[i]));
      expect(raw.samples.every((s) => s.labels.includes(`pod:[pod-${i}]`))).toBe(true);
    }
  });

  it('replaces labels of the same key and leaves the original profile alone', async () => {
    const p = await load('pprof', 'cpu.pb.gz');
    const once = mergeLabelled([{ profile: p, labels: { controller: 'all', pod: 'a' } }]);
    expect(topTable(once, { tagFocus: 'controller=all' }).keptTotal).toBe(p.summary().totals[1]);
    expect(topTable(once, { tagFocus: 'controller=bundle' }).keptTotal).toBe(0);
    expect(topTable(p, { tagFocus: 'controller=bundle' }).keptTotal).toBeGreaterThan(0);
    expect(p.labelKeys()).toEqual(['controller']);
  });
});
