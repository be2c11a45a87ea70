// RFC 9457 problem+json answers. Every refusal has a stable `code` from this table (documented in
// docs/protect/errors.md); titles are generic and details never carry configured limits or internals
// unless errors.exposeLimits is set (CWE-209).
import type { Reply } from './types.js';

export const PROBLEMS = {
  BULWARK_DENY_FRAMING: { status: 400, title: 'Ambiguous message framing' },
  BULWARK_DENY_TE_UNSUPPORTED: { status: 501, title: 'Unsupported transfer coding' },
  BULWARK_DENY_TARGET_INVALID: { status: 400, title: 'Invalid request target' },
  BULWARK_DENY_PATH_AMBIGUOUS: { status: 400, title: 'Ambiguous request path' },
  BULWARK_DENY_URL_TOO_LONG: { status: 414, title: 'Request target too long' },
  BULWARK_DENY_HEADERS_TOO_LARGE: { status: 431, title: 'Request headers too large' },
  BULWARK_DENY_QUERY_TOO_MANY: { status: 400, title: 'Too many query parameters' },
  BULWARK_DENY_TIMEOUT: { status: 408, title: 'Request timeout' },
  BULWARK_DENY_NOT_FOUND: { status: 404, title: 'Not found' },
  BULWARK_DENY_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  BULWARK_DENY_GONE: { status: 410, title: 'Gone' },
  BULWARK_DENY_CORS_ORIGIN: { status: 403, title: 'Origin not allowed' },
  BULWARK_DENY_CORS_METHOD: { status: 403, title: 'Cross-origin method not allowed' },
  BULWARK_DENY_PARAM_INVALID: { status: 400, title: 'Invalid parameter' },
  BULWARK_DENY_PARAM_UNKNOWN: { status: 400, title: 'Unknown parameter' },
  BULWARK_DENY_PARAM_DUPLICATE: { status: 400, title: 'Repeated parameter' },
  BULWARK_DENY_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  BULWARK_DENY_BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  BULWARK_DENY_BODY_REQUIRED: { status: 400, title: 'Request body required' },
  BULWARK_DENY_BODY_MALFORMED: { status: 400, title: 'Malformed request body' },
  BULWARK_DENY_BODY_TOO_COMPLEX: { status: 400, title: 'Request body too complex' },
  BULWARK_DENY_BODY_POLLUTION: { status: 400, title: 'Forbidden property name' },
  BULWARK_DENY_BODY_INVALID: { status: 400, title: 'Invalid request body' },
  BULWARK_DENY_BODY_UNKNOWN_PROPERTY: { status: 400, title: 'Unknown property' },
  BULWARK_DENY_URL_REFUSED: { status: 400, title: 'URL not allowed' },
  // Identity and permission stages (src/protect/auth/refusals.ts, docs/protect/authentication.md).
  BULWARK_DENY_UNAUTHENTICATED: { status: 401, title: 'Unauthorized' },
  BULWARK_DENY_TOKEN_IN_QUERY: { status: 400, title: 'Credentials in the URL' },
  BULWARK_DENY_FORBIDDEN: { status: 403, title: 'Forbidden' },
  // Rate limits and abuse controls (src/protect/ratelimit/gateway-adapter.ts).
  BULWARK_DENY_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  BULWARK_DENY_RATE_LIMIT_BLOCKED: { status: 429, title: 'Too many requests' },
  BULWARK_DENY_RATE_LIMIT_GLOBAL: { status: 503, title: 'Service unavailable' },
  BULWARK_DENY_RATE_LIMIT_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  BULWARK_DENY_QUOTA_EXCEEDED: { status: 429, title: 'Quota exceeded' },
  BULWARK_DENY_LOGIN_THROTTLED: { status: 429, title: 'Too many login attempts' },
  BULWARK_DENY_LOGIN_FAILED: { status: 401, title: 'Invalid credentials' },
  // GraphQL gate (src/protect/graphql/gate.ts, docs/graphql.md).
  BULWARK_DENY_GRAPHQL_MALFORMED: { status: 400, title: 'Malformed GraphQL request' },
  BULWARK_DENY_GRAPHQL_TOO_COMPLEX: { status: 400, title: 'GraphQL request too complex' },
  BULWARK_DENY_GRAPHQL_INVALID: { status: 400, title: 'Invalid GraphQL document' },
  BULWARK_DENY_GRAPHQL_INTROSPECTION: { status: 403, title: 'Introspection not allowed' },
  BULWARK_DENY_GRAPHQL_FIELD: { status: 403, title: 'Field not allowed' },
  BULWARK_DENY_GRAPHQL_UNTRUSTED: { status: 403, title: 'Unknown GraphQL document' },
  BULWARK_DENY_GRAPHQL_METHOD: { status: 405, title: 'Method not allowed for this operation' },
  BULWARK_DENY_GRAPHQL_CSRF: { status: 403, title: 'Cross-site request refused' },
  BULWARK_DENY_GRAPHQL_BATCH: { status: 400, title: 'GraphQL batch refused' },
  BULWARK_DENY_GRAPHQL_PERSISTED_NOT_FOUND: { status: 400, title: 'Persisted query not found' },
  BULWARK_UPSTREAM_UNAVAILABLE: { status: 502, title: 'Bad gateway' },
  BULWARK_UPSTREAM_TIMEOUT: { status: 504, title: 'Gateway timeout' },
  BULWARK_UPSTREAM_ERROR: { status: 502, title: 'Upstream error' },
  BULWARK_UPSTREAM_CONTRACT: { status: 502, title: 'Bad gateway' },
  BULWARK_UPSTREAM_TOO_LARGE: { status: 502, title: 'Bad gateway' },
  BULWARK_INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_BASE = 'https://bulwark.dev/problems/';

export function problemType(code: string): string {
  return (
    PROBLEM_TYPE_BASE +
    code
      .replace(/^BULWARK_/, '')
      .toLowerCase()
      .replace(/_/g, '-')
  );
}

/** A refusal with the code's default status. */
export function refuse(
  code: ProblemCode,
  reason?: string,
  detail?: string,
  headers?: Readonly<Record<string, string>>,
): Reply {
  const reply: { -readonly [K in keyof Reply]: Reply[K] } = { status: PROBLEMS[code].status, code };
  if (reason !== undefined) reply.reason = reason;
  if (detail !== undefined) reply.detail = detail;
  if (headers !== undefined) reply.headers = headers;
  return reply;
}

/** The problem+json body for a reply; `title` falls back for codes added by later stages. */
export function problemBody(reply: Reply, requestId: string): string {
  const known = (PROBLEMS as Record<string, { title: string } | undefined>)[reply.code ?? ''];
  const body: Record<string, unknown> = {
    type: problemType(reply.code ?? 'BULWARK_INTERNAL'),
    title: known?.title ?? 'Request refused',
    status: reply.status,
    code: reply.code,
  };
  if (reply.detail !== undefined) body['detail'] = reply.detail;
  if (reply.extra) Object.assign(body, reply.extra);
  body['requestId'] = requestId;
  return JSON.stringify(body);
}
