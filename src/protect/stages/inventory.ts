// Inventory (API9): only what the spec documents is reachable. An undocumented path answers 404 and an
// undocumented method 405 with Allow (RFC 9110 §15.5.6); `inventory.undocumented: report` forwards
// them and logs a violation instead, for rolling the gateway out in front of a live API.
import { refuse } from '../engine/problem.js';
import type { RequestContext } from '../engine/context.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

export const inventoryStage: StageDefinition = {
  name: 'inventory',
  summary: 'route match against the spec: 404 undocumented path, 405 undocumented method',
  phase: 'inventory',
  compile({ router, policy }) {
    const report = policy.inventory.undocumented === 'report';
    return {
      request(ctx: RequestContext): StageResult {
        const entry = router.match(ctx.path, ctx.pathParams);
        if (entry === undefined) {
          if (report) return ctx.violation('BULWARK_DENY_NOT_FOUND');
          return refuse('BULWARK_DENY_NOT_FOUND', 'undocumented path');
        }
        ctx.pathEntry = entry;
        const method = ctx.method;
        const op =
          entry.operations.get(method) ??
          (method === 'HEAD' ? entry.operations.get('GET') : undefined);
        if (op === undefined) {
          // A CORS preflight is answered by the cors stage from the spec's methods.
          if (method === 'OPTIONS' && ctx.headers['access-control-request-method'] !== undefined) {
            return undefined;
          }
          if (report) return ctx.violation('BULWARK_DENY_METHOD_NOT_ALLOWED');
          return refuse('BULWARK_DENY_METHOD_NOT_ALLOWED', 'undocumented method', undefined, {
            allow: entry.allow,
          });
        }
        ctx.operation = op;
        ctx.cost = op.cost;
        return undefined;
      },
    };
  },
};
