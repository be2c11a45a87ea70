// Response projection (API3, CWE-213): JSON answers are reduced to the properties the declared
// response schema describes (engine/projector.ts), so fields such as password_hash never leave even
// when the upstream serialises whole database rows.
import { matchMedia, ResponseTable } from '../engine/responses.js';
import type { RequestContext } from '../engine/context.js';
import type { UpstreamReply } from '../engine/reply.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

export const projectionStage: StageDefinition = {
  name: 'projection',
  summary: 'JSON responses projected onto the declared schema (undeclared properties stripped)',
  phase: 'project',
  compile({ operations, policy, schemas }) {
    if (!policy.responses.stripUndeclaredProperties) return undefined;
    const table = new ResponseTable(
      operations,
      { ...policy, responses: { ...policy.responses, validate: 'off' } },
      schemas,
    );
    const projectorFor = (ctx: RequestContext, reply: UpstreamReply) => {
      const op = ctx.operation;
      if (op === undefined || reply.status >= 500) return undefined;
      const plan = table.lookup(op, reply.status);
      return plan && matchMedia(plan, reply.mediaType)?.projector;
    };
    return {
      needsBody(ctx: RequestContext, reply: UpstreamReply): boolean {
        return projectorFor(ctx, reply) !== undefined;
      },
      response(ctx: RequestContext, reply: UpstreamReply): StageResult {
        const projector = projectorFor(ctx, reply);
        if (projector === undefined || !reply.hasJson) return undefined;
        if (projector(reply.json) > 0) reply.jsonChanged = true;
        return undefined;
      },
    };
  },
};
