// Authorization before forwarding (API5, API1): RBAC permissions (x-bulwark-permissions, config, and
// `admin` for admin paths by default), ABAC rules that do not read the body, and ownership that can
// be proven before forwarding (a path parameter equal to a claim, or a preflight GET of the object
// for writes). 403 for missing permissions or a failed rule; 404 for a failed ownership check.
import type { RequestContext } from '../engine/context.js';
import type { StageDefinition, StageResult } from '../engine/types.js';
import { authRuntime, authSection } from '../auth/runtime.js';
import type { AuthIdentity } from '../auth/types.js';
import { missing, notFound } from '../auth/refusals.js';
import {
  authzRuntime,
  checkParamOwnership,
  checkPermissions,
  checkRule,
  ownedBy,
  overrides,
  permissionsOf,
} from '../authz/runtime.js';

export const authzStage: StageDefinition = {
  name: 'authz',
  summary:
    'RBAC permissions, ABAC rules, scopes intersected with permissions, and ownership before forwarding (403 / 404).',
  phase: 'authz',
  compile({ model, policy, operations, observe }) {
    const config = authSection(policy);
    if (!config) return undefined;
    const rt = authzRuntime(policy, operations, config);
    // The authn stage's compiled plans (shared per gateway): their challenges name the schemes
    // an anonymous caller could authenticate with (RFC 9110 §11.6.1).
    const authn = authRuntime(model, operations, config, observe);
    return {
      // The ownership preflight's upstream pool (the authz-body and ownership stages share the
      // runtime but open nothing of their own).
      close: () => rt.preflight?.close(),
      request(ctx: RequestContext): StageResult | Promise<StageResult> {
        const op = ctx.operation;
        const id = ctx.identity as AuthIdentity | undefined;
        if (!op) return undefined;
        const plan = rt.plans[op.index]!;
        if (plan.permissions.length === 0 && !plan.rule && !plan.ownership) return undefined;
        // An anonymous caller (public or optional-auth operation) holds no permission, so an
        // operation that requires one, or an admin path, is closed to it (fail closed, API5).
        if (!id) {
          const { challenges } = authn.plans[op.index]!;
          return missing(
            challenges.length > 0 ? challenges : ['Bearer'],
            'anonymous caller; the operation requires permissions',
          );
        }
        const perms = permissionsOf(rt, ctx, id);
        const denied =
          checkPermissions(plan, perms) ??
          (plan.rule && !plan.rule.readsBody ? checkRule(plan.rule, ctx, id, perms) : undefined);
        if (denied) return denied;
        const o = plan.ownership;
        if (!o || overrides(o, perms)) return undefined;
        const byParam = checkParamOwnership(o, ctx, id);
        if (byParam || !o.preflight) return byParam;
        if (!rt.preflight) return notFound('ownership: preflight configured but no upstream URL');
        const { op: target, field } = o.preflight;
        return rt.preflight
          .owner(ctx, target, field)
          .then((owner) =>
            ownedBy(owner, id, o.claim)
              ? undefined
              : notFound(`ownership: preflight ${target.key} owner is not the caller`),
          );
      },
    };
  },
};
