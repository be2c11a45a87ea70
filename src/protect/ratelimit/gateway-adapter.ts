// The seam between the gateway's RequestContext and the engine-independent library: building a
// LimitRequest, reading the account of a login attempt, mapping outcomes to refusal codes. Kept
// here (not in the stages) so the three rate-limit stages share one definition.
import type { RequestContext } from '../engine/context.js';
import type { CompiledOperation } from '../engine/router.js';
import type { Reply } from '../engine/types.js';
import type { LimitOutcome } from './limiter.js';
import type { LimitRequest } from './request.js';

export const LOCALS_KEY = 'rate-limit';

/** Problem codes of rate-limit refusals (to be listed in engine/problem.ts PROBLEMS). */
export const REFUSAL_CODES = {
  RATE_LIMITED: 'BULWARK_DENY_RATE_LIMITED',
  RATE_LIMIT_BLOCKED: 'BULWARK_DENY_RATE_LIMIT_BLOCKED',
  RATE_LIMIT_GLOBAL: 'BULWARK_DENY_RATE_LIMIT_GLOBAL',
  RATE_LIMIT_UNAVAILABLE: 'BULWARK_DENY_RATE_LIMIT_UNAVAILABLE',
  QUOTA_EXCEEDED: 'BULWARK_DENY_QUOTA_EXCEEDED',
  LOGIN_THROTTLED: 'BULWARK_DENY_LOGIN_THROTTLED',
  LOGIN_FAILED: 'BULWARK_DENY_LOGIN_FAILED',
} as const;

export function operationGroup(op: CompiledOperation | undefined): string | undefined {
  const group = op?.op.extensions['x-bulwark-rate-group'];
  return typeof group === 'string' ? group : undefined;
}

/**
 * The request's base cost as an integer: ctx.cost, which the inventory stage sets from the
 * operation's x-bulwark-cost (default 1) when it matches the route. A fraction rounds up (never
 * cheaper than declared). A later stage that knows more (the GraphQL stage's query cost) does not
 * change what this phase charged: it charges the difference itself, through the same limiter,
 * with an explicit `cost` in its LimitRequest.
 */
export function requestCost(ctx: RequestContext): number {
  return Math.max(0, Math.ceil(ctx.cost));
}

export function limitRequest(ctx: RequestContext): LimitRequest {
  const op = ctx.operation;
  return {
    operationId: op?.operationId,
    operationKey: op?.key ?? '',
    group: operationGroup(op),
    subject: ctx.identity?.subject,
    clientAddress: ctx.clientAddress,
    header: (name) => {
      const value = ctx.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    claim: (name) => ctx.identity?.claims[name],
    cost: requestCost(ctx),
  };
}

export function matches(op: CompiledOperation | undefined, names: ReadonlySet<string>): boolean {
  return (
    op !== undefined &&
    (names.has(op.key) || (op.operationId !== undefined && names.has(op.operationId)))
  );
}

/** A refusal Reply from a library outcome. */
export function refusal(outcome: LimitOutcome): Reply {
  const headers: Record<string, string> = {};
  for (const [name, value] of outcome.headers) headers[name] = value;
  const code = outcome.code ?? 'RATE_LIMITED';
  return {
    status: outcome.status,
    code: REFUSAL_CODES[code as keyof typeof REFUSAL_CODES] ?? REFUSAL_CODES.RATE_LIMITED,
    ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    headers,
  };
}

/** Reads a JSON pointer (RFC 6901) from a parsed body; only string leaves count as an account. */
export function readPointer(json: unknown, pointer: string): string | undefined {
  let node = json;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? node : undefined;
}
