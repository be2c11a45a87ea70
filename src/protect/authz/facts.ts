// The facts an ABAC rule sees. Built only when an operation has a rule, from data the gateway has
// already verified (claims) or parsed (path parameters, query, body).
import type { RequestContext } from '../engine/context.js';
import type { AuthIdentity } from '../auth/types.js';
import type { Facts } from './expr.js';

function queryObject(query: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(query)) if (!(k in out)) out[k] = v;
  return out;
}

export function facts(
  ctx: RequestContext,
  id: AuthIdentity,
  permissions: ReadonlySet<string>,
  resource: unknown = undefined,
): Facts {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  const names = ctx.operation?.pathParamNames ?? [];
  names.forEach((n, i) => (params[n] = ctx.pathParams[i] ?? ''));
  const now = new Date();
  return {
    subject: {
      ...id.claims,
      sub: id.subject,
      roles: [...id.roles],
      scopes: [...id.scopes],
      permissions: [...permissions],
    },
    request: {
      method: ctx.method,
      path: ctx.path,
      operation: ctx.operation?.operationId ?? null,
      params,
      query: queryObject(ctx.query),
      body: ctx.json,
    },
    resource,
    env: {
      time: Math.floor(now.getTime() / 1000),
      hour: now.getUTCHours(),
      weekday: now.getUTCDay(),
      ip: ctx.clientAddress,
    },
  };
}

/** The identity's value for an ownership claim (`sub` is the verified subject). */
export function claimValue(id: AuthIdentity, claim: string): string | undefined {
  const v = claim === 'sub' ? id.subject : id.claims[claim];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
