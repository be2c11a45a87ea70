// The answers of the auth stages. One 401 for every wrong credential, whatever was wrong (user, key,
// signature, claim), so an attacker learns nothing from the difference (CWE-204); RFC 6750 §3 error
// codes in WWW-Authenticate; 403 when the caller is known but not allowed; ownership failures are the
// gateway's ordinary 404 so they cannot be told from a missing object (API1).
import type { Reply } from '../engine/types.js';

export const AUTH_PROBLEMS = {
  BULWARK_DENY_UNAUTHENTICATED: { status: 401, title: 'Unauthorized' },
  BULWARK_DENY_TOKEN_IN_QUERY: { status: 400, title: 'Credentials in the URL' },
  BULWARK_DENY_FORBIDDEN: { status: 403, title: 'Forbidden' },
} as const;

export const REALM = 'api';

function challenges(schemes: readonly string[], error?: string): string {
  const suffix = error ? `, error="${error}"` : '';
  return [...new Set(schemes)].map((s) => `${s} realm="${REALM}"${suffix}`).join(', ');
}

/** No credential at all: a bare challenge (RFC 6750 §3.1: no error code). */
export function missing(schemes: readonly string[], reason: string): Reply {
  return {
    status: 401,
    code: 'BULWARK_DENY_UNAUTHENTICATED',
    detail: 'Valid credentials are required.',
    reason,
    headers: { 'www-authenticate': challenges(schemes) },
  };
}

/** A credential was sent and is not valid. Identical for every cause; the cause is logged only. */
export function invalid(schemes: readonly string[], reason: string): Reply {
  return {
    status: 401,
    code: 'BULWARK_DENY_UNAUTHENTICATED',
    detail: 'Valid credentials are required.',
    reason,
    headers: { 'www-authenticate': challenges(schemes, 'invalid_token') },
  };
}

export function tokenInQuery(): Reply {
  return {
    status: 400,
    code: 'BULWARK_DENY_TOKEN_IN_QUERY',
    detail: 'Send credentials in the Authorization header; tokens in the URL are refused.',
    reason: 'access token in the query string (RFC 6750 §2.3, CWE-598)',
    headers: { 'www-authenticate': challenges(['Bearer'], 'invalid_request') },
  };
}

export function forbidden(reason: string, scope = false): Reply {
  return {
    status: 403,
    code: 'BULWARK_DENY_FORBIDDEN',
    detail: 'The credentials do not allow this operation.',
    reason,
    ...(scope
      ? { headers: { 'www-authenticate': challenges(['Bearer'], 'insufficient_scope') } }
      : {}),
  };
}

/** Same code, status and body as the inventory's 404 for an unknown path. */
export function notFound(reason: string): Reply {
  return { status: 404, code: 'BULWARK_DENY_NOT_FOUND', reason };
}
