// Bearer-token users with Role-like rules, and the API server's 403 in its exact words
// (k8s.io/apiserver: forbiddenMessage in endpoints/handlers/responsewriters/errors.go, and
// apierrors.NewForbidden).

/** One PolicyRule, bound where `namespaces` says. */
export interface FakeRule {
  /**
   * The namespaces a RoleBinding grants the rule in, or '*' for a ClusterRoleBinding: every
   * namespace and the cluster scope (listing across namespaces, cluster-scoped resources).
   */
  namespaces: string[] | '*';
  /** '' is the core group; '*' any. Default ['']. */
  apiGroups?: string[];
  /** 'pods', 'pods/portforward', 'namespaces'…; '*' any. */
  resources: string[];
  /** 'get', 'list', 'create'…; '*' any. */
  verbs: string[];
}

export interface FakeUser {
  token: string;
  /** As the API server names it, e.g. "system:serviceaccount:cattle-fleet-system:dev". */
  name: string;
  rules: FakeRule[];
}

/** What the authorizer is asked (authorizer.Attributes of a resource request). */
export interface Attributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** '' at the cluster scope. */
  namespace: string;
  /** '' for lists. */
  name: string;
}

/** Everything allowed: the user a plain `token` option stands for. */
export function adminUser(token: string): FakeUser {
  return {
    token,
    name: 'kubernetes-admin',
    rules: [{ namespaces: '*', apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  };
}

const has = (list: string[], v: string) => list.includes('*') || list.includes(v);

export function allowed(user: FakeUser, a: Attributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return user.rules.some(
    (r) =>
      has(r.verbs, a.verb) &&
      has(r.apiGroups ?? [''], a.apiGroup) &&
      has(r.resources, resource) &&
      (r.namespaces === '*' || (a.namespace !== '' && r.namespaces.includes(a.namespace))),
  );
}

/** The Status body of the API server's 403 for a denied request. */
export function forbidden(user: FakeUser, a: Attributes) {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const message = a.name
    ? `${qualified} "${a.name}" is forbidden: ${why}`
    : `${qualified} is forbidden: ${why}`;
  // StatusDetails' field order, empty fields omitted.
  const details = {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
  };
  return status(403, 'Forbidden', message, details);
}

/** A metav1.Status failure body, as the API server answers errors. */
export function status(code: number, reason: string, message: string, details?: object) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}
