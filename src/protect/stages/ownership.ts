// Ownership on the answer (API1): for reads, the object the upstream returns must belong to the
// caller (a response field equal to a claim) unless the caller holds an override permission. A
// failure answers the gateway's ordinary 404, so existence does not leak, and the upstream body is
// buffered and dropped: it never reaches the client. Arrays (list answers) are filtered instead.
import type { StageDefinition } from '../engine/types.js';
import { isJsonMediaType } from '../engine/reply.js';
import { authSection } from '../auth/runtime.js';
import { notFound } from '../auth/refusals.js';
import type { AuthIdentity } from '../auth/types.js';
import { authzRuntime, ownedBy, overrides, permissionsOf } from '../authz/runtime.js';
import { pointerGet } from '../authz/pointer.js';

export const ownershipStage: StageDefinition = {
  name: 'ownership',
  summary: 'Checks the owner field of upstream answers against the caller (404, body dropped).',
  phase: 'authz-response',
  compile({ policy, operations }) {
    const config = authSection(policy);
    if (!config) return undefined;
    const rt = authzRuntime(policy, operations, config);
    const plan = (index: number) => rt.plans[index]?.ownership;
    if (!rt.plans.some((p) => p.ownership?.response !== undefined)) return undefined;
    return {
      needsBody(ctx, reply) {
        const o = ctx.operation && plan(ctx.operation.index);
        return o?.response !== undefined && reply.status >= 200 && reply.status < 300;
      },
      response(ctx, reply) {
        const o = ctx.operation && plan(ctx.operation.index);
        const id = ctx.identity as AuthIdentity | undefined;
        if (o?.response === undefined || reply.status < 200 || reply.status >= 300)
          return undefined;
        if (!id) return notFound('ownership: no identity');
        if (overrides(o, permissionsOf(rt, ctx, id))) return undefined;
        if (!reply.hasJson || !isJsonMediaType(reply.mediaType)) {
          return notFound('ownership: answer is not JSON, owner unknown');
        }
        const field = o.response;
        if (Array.isArray(reply.json)) {
          const kept = reply.json.filter((item) => ownedBy(pointerGet(item, field), id, o.claim));
          if (kept.length !== reply.json.length) {
            reply.json = kept;
            reply.jsonChanged = true;
          }
          return undefined;
        }
        return ownedBy(pointerGet(reply.json, field), id, o.claim)
          ? undefined
          : notFound(`ownership: ${field} is not the caller's ${o.claim}`);
      },
    };
  },
};
