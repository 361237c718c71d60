// Kubernetes failures turned into sentences a person can act on: what was refused (verb,
// resource and subresource, scope), the server's own words, and the RBAC rule that would
// allow it. No server URL's user:password@ ever ends up in one.
import { ApiException } from '@kubernetes/client-node';
import { ApiError } from '../contract';

/** One API request, as RBAC sees it. */
export interface KubeOp {
  /** RBAC verb: get, list, watch, create… */
  verb: string;
  /** Plural resource name: pods, namespaces. */
  resource: string;
  /** portforward, log, exec… */
  subresource?: string;
  /** API group; '' (the default) is the core group. */
  group?: string;
  /** null: cluster scope (all namespaces, or a cluster-scoped resource). */
  namespace: string | null;
  name?: string;
}

/** A URL without its userinfo: https://u:p@host/x → https://host/x. Non-URLs are returned as they are. */
export function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, '$1');
}

/** Every URL in `text` without its userinfo. */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"'<>]*@/gi, '$1');
}

/** The `message` of a Kubernetes Status body, whether it arrives as text or as an object. */
export function statusMessage(body: unknown): string | null {
  let obj: unknown = body;
  if (typeof body === 'string') {
    try {
      obj = JSON.parse(body);
    } catch {
      const text = body.trim();
      return text ? text.slice(0, 500) : null;
    }
  }
  if (typeof obj === 'object' && obj !== null && 'message' in obj) {
    const m = obj.message;
    if (typeof m === 'string' && m) return m;
  }
  return null;
}

function scopeText(namespace: string | null): string {
  return namespace === null ? 'at the cluster scope' : `in namespace "${namespace}"`;
}

/** "list pods at the cluster scope", "create pods/portforward "web-1" in namespace "default"". */
export function describeOp(op: KubeOp): string {
  const res = op.subresource ? `${op.resource}/${op.subresource}` : op.resource;
  const group = op.group ? `.${op.group}` : '';
  return `${op.verb} ${res}${group}${op.name ? ` "${op.name}"` : ''} ${scopeText(op.namespace)}`;
}

/**
 * What the API server said it refused, from its Forbidden message (the authorizer's words:
 * `User "u" cannot list resource "pods" in API group "" at the cluster scope`).
 */
export function parseForbidden(
  message: string,
): Pick<KubeOp, 'verb' | 'resource' | 'group' | 'namespace'> | null {
  const m =
    /cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?/.exec(
      message,
    );
  if (!m) return null;
  return { verb: m[1], resource: m[2], group: m[3], namespace: m[4] ?? null };
}

/** The RBAC rule, and the binding, that would allow `op`. */
export function rbacRule(
  op: Pick<KubeOp, 'verb' | 'resource' | 'subresource' | 'group' | 'namespace'>,
): string {
  const res = op.subresource ? `${op.resource}/${op.subresource}` : op.resource;
  const rule = `{apiGroups: ["${op.group ?? ''}"], resources: ["${res}"], verbs: ["${op.verb}"]}`;
  // Only a ClusterRole can be bound cluster-wide; in a namespace either kind can.
  return op.namespace === null
    ? `A ClusterRole rule ${rule} bound cluster-wide (ClusterRoleBinding) would allow it`
    : `A Role or ClusterRole rule ${rule} bound in namespace "${op.namespace}" (RoleBinding) would allow it`;
}

function withMessage(msg: string | null): string {
  return msg ? `: ${msg.replace(/\.$/, '')}` : '';
}

/** An HTTP status and Status body from the API server for `op`, as an ApiError. */
export function statusError(code: number, body: unknown, op: KubeOp): ApiError {
  const msg = statusMessage(body);
  const what = describeOp(op);
  const make = (c: ConstructorParameters<typeof ApiError>[0], text: string) =>
    new ApiError(c, redactUrls(text));
  switch (code) {
    case 401:
      return make(
        'auth',
        `the API server rejected the credentials (401 Unauthorized) while trying to ${what}: the token may have expired${msg ? ` — ${msg}` : ''}`,
      );
    case 403: {
      // The server's words name the resource exactly (a subresource, a group): prefer them.
      const said = msg ? parseForbidden(msg) : null;
      const rule = rbacRule(said ?? op);
      return make(
        'forbidden',
        `not allowed to ${what} (403 Forbidden)${withMessage(msg)}. ${rule}`,
      );
    }
    case 404:
      if (op.name) {
        return make(
          'not-found',
          `${op.resource} "${op.name}" ${op.namespace === null ? '' : `in namespace "${op.namespace}" `}not found (404) — it may have been deleted or replaced${withMessage(msg)}`,
        );
      }
      // A list has no object to be missing: the server does not serve that list at all.
      return make(
        'not-found',
        `cannot ${what}: the API server does not serve that list (404 Not Found)${withMessage(msg)}`,
      );
    case 400:
      return make(
        'bad-request',
        `the API server refused to ${what} (400 Bad Request)${withMessage(msg)}`,
      );
    default:
      return make('unavailable', `${what} failed: HTTP ${code}${withMessage(msg)}`);
  }
}

/** Any error from a client-node call for `op`, or a network failure, as an ApiError. */
export function kubeError(err: unknown, op: KubeOp, server?: string): ApiError {
  if (err instanceof ApiError) return new ApiError(err.code, redactUrls(err.message));
  if (err instanceof ApiException) return statusError(err.code, err.body, op);
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const cause = e?.cause as { code?: unknown; message?: unknown } | null | undefined;
  const code =
    typeof e?.code === 'string' ? e.code : typeof cause?.code === 'string' ? cause.code : '';
  const message = redactUrls(err instanceof Error ? err.message : String(err));
  const where = server ? ` ${stripUserinfo(server)}` : '';
  const what = describeOp(op);
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNRESET'
  ) {
    return new ApiError('unavailable', `cannot reach the API server${where} (${code}) to ${what}`);
  }
  if (
    /certificate|self[- ]signed|CERT_|unable to verify/i.test(
      message + (typeof cause?.message === 'string' ? cause.message : ''),
    )
  ) {
    return new ApiError('unavailable', `TLS check of the API server${where} failed: ${message}`);
  }
  return new ApiError('unavailable', `${what} failed: ${message}`);
}
