// Kubernetes failures turned into sentences a person can act on.
import { ApiException } from '@kubernetes/client-node';
import { ApiError } from '../contract';

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

/** An HTTP status and body from the API server, described for `what` (e.g. 'pod ns/name'). */
export function describeStatus(code: number, body: unknown, what: string, verb: string): ApiError {
  const msg = statusMessage(body);
  switch (code) {
    case 401:
      return new ApiError(
        'auth',
        `the API server rejected the credentials (401 Unauthorized) while trying to ${verb}: the token may have expired${msg ? ` — ${msg}` : ''}`,
      );
    case 403:
      return new ApiError(
        'forbidden',
        `not allowed to ${verb} (403 Forbidden; RBAC)${msg ? `: ${msg}` : ''}`,
      );
    case 404:
      return new ApiError(
        'not-found',
        `${what} not found (404) — it may have been deleted or replaced${msg ? `: ${msg}` : ''}`,
      );
    default:
      return new ApiError('unavailable', `${verb} failed: HTTP ${code}${msg ? `: ${msg}` : ''}`);
  }
}

/** Any error from a client-node call, or a network failure, as an ApiError. */
export function kubeError(err: unknown, what: string, verb: string, server?: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ApiException) return describeStatus(err.code, err.body, what, verb);
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const cause = e?.cause as { code?: unknown; message?: unknown } | null | undefined;
  const code =
    typeof e?.code === 'string' ? e.code : typeof cause?.code === 'string' ? cause.code : '';
  const message = err instanceof Error ? err.message : String(err);
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'ETIMEDOUT'
  ) {
    return new ApiError(
      'unavailable',
      `cannot reach the API server${server ? ` ${server}` : ''} (${code}) to ${verb}`,
    );
  }
  if (
    /certificate|self[- ]signed|CERT_|unable to verify/i.test(
      message + (typeof cause?.message === 'string' ? cause.message : ''),
    )
  ) {
    return new ApiError(
      'unavailable',
      `TLS check of the API server${server ? ` ${server}` : ''} failed: ${message}`,
    );
  }
  return new ApiError('unavailable', `${verb} failed: ${message}`);
}
