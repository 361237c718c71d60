// The triage form's request: ticked contexts with their own namespaces, typed ones, all of
// them, or the Fleet preset's scopes; and the contract accepts what it builds.
import { describe, expect, it } from 'vitest';
import { isTriageRequest, type KubeContexts } from '../../../../electron/contract';
import {
  fleetScopes,
  initialTriageForm,
  triageRequest,
  triageScopes,
} from '../../../../renderer/triage/triageForm';

const contexts: KubeContexts = {
  contexts: ['local', 'downstream-1', 'downstream-2'].map((name) => ({
    name,
    cluster: name,
    user: name,
    namespace: 'cattle-fleet-system',
    server: null,
    auth: 'token',
    file: '/k',
  })),
  current: 'downstream-1',
  files: ['/k'],
  warnings: [],
};
const order = contexts.contexts.map((c) => c.name);

describe('triage form', () => {
  it('starts on the current context, its own namespace, cpu heap goroutine', () => {
    const f = initialTriageForm(contexts);
    const r = triageRequest(f, order);
    expect(r.scopes).toEqual([
      { context: 'downstream-1', namespace: null, selector: '', names: [] },
    ]);
    expect(r.kinds).toEqual(['cpu', 'heap', 'goroutine']);
    expect(r.port).toBeNull();
    expect(isTriageRequest(r)).toBe(true);
  });

  it('one scope per ticked context and typed namespace, in the contexts’ order', () => {
    const f = {
      ...initialTriageForm(contexts),
      contexts: new Set(['downstream-2', 'local']),
      namespaces: { local: 'a, b' },
      selector: ' app=fleet-agent ',
      names: 'x,  y',
    };
    expect(triageScopes(f, order)).toEqual([
      { context: 'local', namespace: 'a', selector: 'app=fleet-agent', names: ['x', 'y'] },
      { context: 'local', namespace: 'b', selector: 'app=fleet-agent', names: ['x', 'y'] },
      { context: 'downstream-2', namespace: null, selector: 'app=fleet-agent', names: ['x', 'y'] },
    ]);
    const all = triageScopes({ ...f, allNamespaces: true }, order);
    expect(all.map((s) => s.namespace)).toEqual(['', '']);
  });

  it('Fleet: the controller in local, agents in both namespaces of every context', () => {
    const scopes = fleetScopes(contexts);
    expect(scopes[0]).toEqual({
      context: 'local',
      namespace: 'cattle-fleet-system',
      selector: 'app=fleet-controller',
      names: [],
    });
    expect(scopes.slice(1).map((s) => `${s.context}/${s.namespace}/${s.selector}`)).toEqual(
      order.flatMap((c) => [
        `${c}/cattle-fleet-local-system/app=fleet-agent`,
        `${c}/cattle-fleet-system/app=fleet-agent`,
      ]),
    );
    const withoutLocal = fleetScopes({ ...contexts, contexts: contexts.contexts.slice(1) });
    expect(withoutLocal[0].context).toBe('downstream-1');
    const f = { ...initialTriageForm(contexts), preset: { label: 'Fleet', scopes } };
    expect(isTriageRequest(triageRequest(f, order))).toBe(true);
  });

  it('no context or no kind is not a request the contract accepts', () => {
    const f = initialTriageForm(contexts);
    expect(isTriageRequest(triageRequest({ ...f, contexts: new Set() }, order))).toBe(false);
    expect(isTriageRequest(triageRequest({ ...f, kinds: [] }, order))).toBe(false);
  });
});
