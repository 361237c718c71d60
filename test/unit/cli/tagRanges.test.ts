// Numeric tag filters exactly as pprof reads them (issue 16, item 1): a label without a unit
// takes its key's ("bytes" is bytes), ranges may carry a sign, and a bare number never matches
// a bytes label. Checked against `go tool pprof -top` on a real Go heap profile.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTop } from '../../../electron/cli/commands';

const hasGo = spawnSync('go', ['version']).status === 0;
const HEAP = join(__dirname, '..', '..', 'fixtures', 'pprof', 'heap.pb.gz');

/** The report's figures: the "Showing nodes" line and the rows, not the header. */
function figures(text: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Showing nodes accounting for'));
  return lines.slice(at).filter((l) => l.trim() !== '');
}

async function ours(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await runTop(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  expect(err, args.join(' ')).toBe('');
  expect(code).toBe(0);
  return out;
}

const SPECS = [
  '1kb:',
  '512kb:',
  ':1kb',
  '+400kb:',
  '262144',
  '1kb:10mb',
  'bytes=4mb:',
  'bytes=:64',
];

describe('numeric tag filters', () => {
  for (const flag of ['tagfocus', 'tagignore']) {
    for (const spec of SPECS) {
      it(`--${flag} ${spec} keeps what go tool pprof keeps`, async () => {
        if (!hasGo) {
          console.warn('SKIPPED: `go` is not on PATH');
          return;
        }
        const go = spawnSync('go', ['tool', 'pprof', '-top', `-${flag}=${spec}`, HEAP], {
          encoding: 'utf8',
        });
        expect(go.status).toBe(0);
        expect(figures(await ours([HEAP, `--${flag}`, spec]))).toEqual(figures(go.stdout));
      });
    }
  }
});
