import { describe, expect, it } from 'vitest';
import { profilePathsFromArgv, userArgs } from '../../../electron/launchArgs';

describe('profilePathsFromArgv', () => {
  it('resolves relative paths against the given working directory', () => {
    expect(profilePathsFromArgv(['cpu.pb.gz', '/abs/heap.pprof'], '/home/me')).toEqual([
      '/home/me/cpu.pb.gz',
      '/abs/heap.pprof',
    ]);
  });

  it('accepts file:// URLs as Linux desktop files pass them for %U', () => {
    expect(profilePathsFromArgv(['file:///tmp/a%20b.pb.gz'], '/x')).toEqual(['/tmp/a b.pb.gz']);
  });

  it('skips flags, the app script and malformed URLs', () => {
    expect(
      profilePathsFromArgv(
        ['--no-sandbox', '.', 'dist/electron/main.cjs', 'file://host/x', 'p.prof'],
        '/w',
      ),
    ).toEqual(['/w/p.prof']);
  });
});

describe('userArgs', () => {
  it('drops the executable, and the app folder in development', () => {
    expect(userArgs(['/opt/Profscope/profscope', 'a.pb.gz'], true)).toEqual(['a.pb.gz']);
    expect(userArgs(['/x/electron', '/work/app', 'a.pb.gz'], false)).toEqual(['a.pb.gz']);
  });
});
