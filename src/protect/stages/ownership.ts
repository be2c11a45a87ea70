// Ownership on the answer (API1): for reads, the object the upstream returns must belong to the
// caller (a response field equal to a claim) unless the caller holds an override permission. A
// failure answers the gateway's ordinary 404, so existence does not leak, and the upstream body is
// buffered and dropped: it never reaches the client. Lists (a top-level array, or `/items/*/owner_id`)
// are filtered to the caller's items instead.
import type { StageDefinition } from '../engine/types.js';
import { isJsonMediaType } from '../engine/reply.js';
import { authSection } from '../auth/runtime.js';
import { notFound } from '../auth/refusals.js';
import type { AuthIdentity } from '../auth/types.js';
import { authzRuntime, ownedBy, overrides, permissionsOf } from '../authz/runtime.js';
import { pointerAt } from '../authz/pointer.js';

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
        const path = o.responsePath!;
        // `/items/*/owner_id`: filter the array at /items; a top-level array is filtered by field.
        const list = path.list
          ? pointerAt(reply.json, path.list)
          : Array.isArray(reply.json)
            ? reply.json
            : undefined;
        if (path.list || list !== undefined) {
          if (!Array.isArray(list)) return notFound('ownership: no list where the pointer says');
          const kept = list.filter((item) => ownedBy(pointerAt(item, path.item), id, o.claim));
          if (kept.length !== list.length) {
            if (!path.list) reply.json = kept;
            else list.splice(0, list.length, ...kept);
            reply.jsonChanged = true;
          }
          return undefined;
        }
        return ownedBy(pointerAt(reply.json, path.item), id, o.claim)
          ? undefined
          : notFound(`ownership: ${o.response} is not the caller's ${o.claim}`);
      },
    };
  },
};
