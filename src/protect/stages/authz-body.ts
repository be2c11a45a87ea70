// ABAC rules that read request.body run here, after the body stage has parsed and validated it, so a
// rule never sees bytes the upstream would read differently.
import type { StageDefinition } from '../engine/types.js';
import { authSection } from '../auth/runtime.js';
import type { AuthIdentity } from '../auth/types.js';
import { authzRuntime, checkRule, permissionsOf } from '../authz/runtime.js';

export const authzBodyStage: StageDefinition = {
  name: 'authz-body',
  summary: 'ABAC rules over request body fields, after the body is parsed and validated (403).',
  phase: 'guard',
  compile({ policy, operations }) {
    const config = authSection(policy);
    if (!config) return undefined;
    const rt = authzRuntime(policy, operations, config);
    if (!rt.plans.some((p) => p.rule?.readsBody)) return undefined;
    return {
      request(ctx) {
        const op = ctx.operation;
        const id = ctx.identity as AuthIdentity | undefined;
        const rule = op ? rt.plans[op.index]!.rule : undefined;
        if (!rule?.readsBody || !id) return undefined;
        return checkRule(rule, ctx, id, permissionsOf(rt, ctx, id));
      },
    };
  },
};
