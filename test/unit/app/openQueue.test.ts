import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenRequest } from '../../../electron/contract';
import { OpenQueue, openRequestsFromArgv } from '../../../electron/openQueue';

describe('second-instance hand-over', () => {
  it("resolves a second launch's paths against its own working directory", () => {
    const dir = mkdtempSync(join(tmpdir(), 'second-'));
    writeFileSync(join(dir, 'cpu.pb.gz'), 'x');
    const argv = [
      '/opt/Profscope/profscope',
      '--flag',
      'cpu.pb.gz',
      `file://${dir}`,
      'missing.prof',
    ];
    expect(openRequestsFromArgv(argv, dir, true)).toEqual([
      { path: join(dir, 'cpu.pb.gz'), kind: 'file' },
      { path: dir, kind: 'folder' },
      { path: join(dir, 'missing.prof'), kind: 'file' },
    ]);
  });

  it('holds requests until a window attaches, then delivers directly', () => {
    const queue = new OpenQueue();
    const got: OpenRequest[][] = [];
    queue.push([{ path: '/a', kind: 'file' }]);
    queue.push([{ path: '/b', kind: 'file' }]);
    queue.attach((r) => got.push(r));
    queue.push([{ path: '/c', kind: 'folder' }]);
    queue.detach();
    queue.push([{ path: '/d', kind: 'file' }]);
    expect(got).toEqual([
      [
        { path: '/a', kind: 'file' },
        { path: '/b', kind: 'file' },
      ],
      [{ path: '/c', kind: 'folder' }],
    ]);
  });
});
