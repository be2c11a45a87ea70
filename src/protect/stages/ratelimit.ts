// Rate limits and business-flow quotas (API4:2023, API6:2023), before validation so refused floods
// cost as little as possible. Stacked rules decide through the rate-limit library
// (src/protect/ratelimit); allowed requests carry RateLimit/RateLimit-Policy headers, refusals are
// 429 (503 for global limits or a fail-closed store) with Retry-After. A quota is reserved here and
// settled by the ratelimit-settle stage once the answer is known (counted only on 2xx).
import { BulwarkError } from '../../core/errors.js';
import type { ProtectPolicy } from '../engine/policy.js';
import type { RequestContext } from '../engine/context.js';
import type { CompiledOperation } from '../engine/router.js';
import type { StageDefinition, StageResult } from '../engine/types.js';
import { controlsFor, type ResourceControls } from '../ratelimit/create.js';
import { limitRequest, LOCALS_KEY, operationGroup, refusal } from '../ratelimit/gateway-adapter.js';
import type { LimitOutcome } from '../ratelimit/limiter.js';
import { capacity } from '../ratelimit/memory-store.js';
import type { LimitRequest } from '../ratelimit/request.js';

/** The protect policy's rateLimit section (wired by the protect config; absent = stage off). */
export function rateLimitSection(policy: ProtectPolicy): object | undefined {
  const section = (policy as ProtectPolicy & { readonly rateLimit?: unknown }).rateLimit;
  return section !== null && typeof section === 'object' ? section : undefined;
}

export interface RateLimitLocals {
  settle?: ((status: number) => Promise<void>) | undefined;
  account?: string | undefined;
  /** The settle stage ran: a Reply from a later response stage re-runs it on refusals. */
  settled?: boolean;
}

export function locals(ctx: RequestContext): RateLimitLocals {
  const bag = (ctx.locals ??= {});
  return ((bag[LOCALS_KEY] as RateLimitLocals | undefined) ??= {});
}

function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function afterLimits(
  controls: ResourceControls,
  ctx: RequestContext,
  req: LimitRequest,
  outcome: LimitOutcome,
): StageResult | Promise<StageResult> {
  if (!outcome.allowed) return refusal(outcome);
  for (const [name, value] of outcome.headers) ctx.addResponseHeader(name, value);
  if (!controls.quotas.covers(req)) return undefined;
  return controls.quotas.reserve(req).then((reservation) => {
    if (!reservation.outcome.allowed) return refusal(reservation.outcome);
    locals(ctx).settle = reservation.settle;
    return undefined;
  });
}

/** A cost above a rule's capacity could never pass: refuse the config at startup, not every request. */
function checkCosts(controls: ResourceControls, operations: readonly CompiledOperation[]): void {
  for (const op of operations) {
    for (const rule of controls.limiter.rulesFor({
      operationId: op.operationId,
      operationKey: op.key,
      group: operationGroup(op),
    })) {
      if (Math.ceil(op.cost) > capacity(rule.spec)) {
        throw new BulwarkError(
          'BULWARK_ERR_CONFIG_INVALID',
          `operation ${op.key} costs more than rate-limit rule "${rule.name}" can ever admit`,
          { hint: 'lower its x-bulwark-cost or raise the rule limit/burst' },
        );
      }
    }
  }
}

export const rateLimitStage: StageDefinition = {
  name: 'rate-limit',
  summary:
    'Stacked rate limits (429/503, RateLimit headers, temporary bans) and business-flow quota reservations.',
  phase: 'rate-limit',
  compile({ policy, operations, observe }) {
    const section = rateLimitSection(policy);
    if (!section) return undefined;
    const controls = controlsFor(operations, section, { observe });
    try {
      checkCosts(controls, operations);
    } catch (error) {
      void controls.close(); // a refused config must not leave a Redis connection open
      throw error;
    }
    const enumeration = controls.enumeration;
    return {
      close: () => controls.close(),
      request(ctx) {
        if (enumeration) {
          const blocked = enumeration.blockedFor(ctx.identity?.subject ?? ctx.clientAddress);
          if (blocked > 0) {
            // Answered like any other ban, so the client cannot tell that a detector fired.
            return refusal({
              allowed: false,
              status: 429,
              code: 'RATE_LIMIT_BLOCKED',
              detail: 'Too many requests. Retry later.',
              reason: 'enumeration block',
              rule: undefined,
              headers: [['Retry-After', String(Math.ceil(blocked / 1000))]],
            });
          }
        }
        const req = limitRequest(ctx);
        const outcome = controls.limiter.evaluate(req);
        return isPromise<LimitOutcome>(outcome)
          ? outcome.then((o) => afterLimits(controls, ctx, req, o))
          : afterLimits(controls, ctx, req, outcome);
      },
    };
  },
};
