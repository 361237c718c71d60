import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, validateArgs } from '../../../electron/contract';

describe('validateArgs', () => {
  it('accepts arguments of the declared kinds', () => {
    expect(validateArgs('readFile', ['/tmp/x.pb.gz'])).toEqual(['/tmp/x.pb.gz']);
    expect(validateArgs('appInfo', [])).toEqual([]);
  });

  it.each([
    ['readFile', [42]],
    ['readFile', []],
    ['readFile', ['']],
    ['readFile', ['/tmp/a\0b']],
    ['readFile', 'not-an-array'],
    ['appInfo', ['extra']],
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
