import { describe, expect, it } from 'vitest';
import {
  ApiError,
  createApiClient,
  packFileBatch,
  unpackFileBatch,
  validateArgs,
} from '../../../electron/contract';

describe('validateArgs', () => {
  it('accepts arguments of the declared kinds', () => {
    expect(validateArgs('readFile', ['/tmp/x.pb.gz'])).toEqual(['/tmp/x.pb.gz']);
    expect(validateArgs('appInfo', [])).toEqual([]);
    expect(validateArgs('readFileChunk', ['/x', 0, 4096])).toEqual(['/x', 0, 4096]);
  });

  it.each([
    ['readFile', [42]],
    ['readFile', []],
    ['readFile', ['']],
    ['readFile', ['/tmp/a\0b']],
    ['readFile', 'not-an-array'],
    ['appInfo', ['extra']],
    ['readFileChunk', ['/x', -1, 4096]],
    ['readFileChunk', ['/x', 0.5, 4096]],
    ['readFileChunk', ['/x', '0', 4096]],
    ['readFileChunk', ['/x', 0, 0]],
    ['readFileChunk', ['/x', 0, 17 * 1024 ** 2]],
  ] as const)('rejects %s(%j)', (method, args) => {
    expect(() => validateArgs(method, args)).toThrow(ApiError);
  });
});

describe('createApiClient', () => {
  it('unwraps results and rethrows error envelopes with their code', async () => {
    const api = createApiClient((method) =>
      Promise.resolve(
        method === 'appInfo'
          ? { ok: true, value: { name: 'Profscope' } }
          : { ok: false, error: { code: 'not-found', message: '/x: no such file' } },
      ),
    );
    expect(await api.appInfo()).toEqual({ name: 'Profscope' });
    await expect(api.readFile('/x')).rejects.toMatchObject({
      code: 'not-found',
      message: '/x: no such file',
    });
  });
});

describe('file batches', () => {
  it('round-trips bytes and per-file errors in one buffer', () => {
    const items = [
      { bytes: new Uint8Array([1, 2, 3]) },
      { error: '/x/gone.pb.gz: no such file' },
      { bytes: new Uint8Array([]) },
    ];
    expect(unpackFileBatch(packFileBatch(items))).toEqual(items);
  });

  it('validates batches of paths', () => {
    expect(() => validateArgs('readFileBatch', [['/a', '/b']])).not.toThrow();
    expect(() => validateArgs('readFileBatch', [[]])).toThrow(ApiError);
    expect(() => validateArgs('readFileBatch', [['/a', 3]])).toThrow(ApiError);
    expect(() => validateArgs('readFileBatch', [Array(201).fill('/a')])).toThrow(ApiError);
  });
});
