// Folders of continuous profiles for the benchmarks, as Fleet writes them: one file a minute.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `count` one-minute Fleet files (1,440 a day): copies of the real continuous fixtures, renamed. */
export function continuousFiles(count: number): string {
  const src = join(process.cwd(), 'test', 'fixtures', 'continuous');
  const fixtures = readdirSync(src).map((f) => readFileSync(join(src, f)));
  const dir = mkdtempSync(join(tmpdir(), 'profscope-day-'));
  const t0 = Date.UTC(2022, 10, 4, 0, 0, 0);
  for (let i = 0; i < count; i++) {
    const stamp = new Date(t0 + i * 60_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', '_')
      .replace(/:/g, '_');
    writeFileSync(
      join(dir, `${stamp}.pprof.fleetcontroller.samples.cpu.pb.gz`),
      fixtures[i % fixtures.length],
    );
  }
  return dir;
}
