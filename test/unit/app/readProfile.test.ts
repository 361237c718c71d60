import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../electron/services/createServices';
import { readProfile } from '../../../renderer/state/readProfile';
import { prng } from '../../bench/prng';

/** A 9 MiB file of random bytes (more than two of readProfile's pieces). */
function bigFile(): { path: string; bytes: Uint8Array } {
  const next = prng(3);
  const bytes = new Uint8Array(9 * 1024 ** 2 + 123).map(() => Math.floor(next() * 256));
  const path = join(mkdtempSync(join(tmpdir(), 'profscope-read-')), 'big.pb.gz');
  writeFileSync(path, bytes);
  return { path, bytes };
}

describe('readProfile (the page reading a file through the API)', () => {
  const api = createServices({ mode: 'browser', launchFiles: [] });
  // Smaller than the app's, so that a 9 MiB file is read in three pieces.
  const pieces = { over: 4 * 1024 ** 2, piece: 4 * 1024 ** 2, inFlight: 2 };
  /** A big file in a folder the page opened (it may read only what the user chose). */
  const openedBigFile = async () => {
    const f = bigFile();
    await api.listFolder(dirname(f.path));
    return f;
  };

  it('reads a large file in pieces, reporting the share read', async () => {
    const { path, bytes } = await openedBigFile();
    const shares: number[] = [];
    const read = await readProfile(
      api,
      path,
      (s) => shares.push(s),
      new AbortController().signal,
      pieces,
    );
    // Buffer.equals: toEqual walks 9 M elements one by one (minutes on a loaded machine).
    expect(Buffer.from(read).equals(Buffer.from(bytes))).toBe(true);
    expect(shares.length).toBe(3);
    expect(shares.at(-1)).toBe(1);
    expect([...shares].sort((a, b) => a - b)).toEqual(shares);
  });

  it('asks for no more pieces once the tab is closed, and rejects', async () => {
    const { path } = await openedBigFile();
    const controller = new AbortController();
    const shares: number[] = [];
    await expect(
      readProfile(
        api,
        path,
        (s) => {
          shares.push(s);
          controller.abort();
        },
        controller.signal,
        pieces,
      ),
    ).rejects.toThrow(/reading cancelled/);
    // The pieces already asked for arrive; no more are asked for.
    expect(shares.length).toBe(pieces.inFlight);
    expect(shares.at(-1)).toBeLessThan(1);
  });

  it('stops asking for pieces when one fails, and rejects with its error', async () => {
    const { path } = await openedBigFile();
    let asked = 0;
    const failing = {
      ...api,
      readFileChunk: (p: string, at: number, length: number) => {
        asked++;
        return at > 0
          ? Promise.reject(new Error(`${p}: disk gone`))
          : api.readFileChunk(p, at, length);
      },
    };
    await expect(
      readProfile(failing, path, () => undefined, new AbortController().signal, pieces),
    ).rejects.toThrow(/disk gone/);
    expect(asked).toBeLessThanOrEqual(3);
  });

  it('reads a small file in one call', async () => {
    const [sample] = await api.initialFiles();
    const shares: number[] = [];
    const read = await readProfile(
      api,
      sample.path,
      (s) => shares.push(s),
      new AbortController().signal,
    );
    expect(read).toEqual(await api.readFile(sample.path));
    expect(shares).toEqual([]);
  });
});
