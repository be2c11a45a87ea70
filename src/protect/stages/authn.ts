// Authentication (API2:2023). Default deny: an operation whose spec declares no security is refused
// unless it is public (`security: []`, an empty alternative, or auth.public). Every declared scheme is
// enforced as declared: alternatives OR, schemes within one requirement AND, each with its scopes
// (OAuth 2 / OIDC) or roles (other schemes). Client-sent identity headers are removed from every
// request before anything else, and the verified identity is forwarded in their place.
import type { RequestContext } from '../engine/context.js';
import type { StageDefinition, StageResult } from '../engine/types.js';
import { tokenInQuery } from '../auth/credentials.js';
import { authenticate, type Outcome } from '../auth/evaluate.js';
import { missing, tokenInQuery as queryRefusal } from '../auth/refusals.js';
import { authRuntime, authSection, type AuthRuntime } from '../auth/runtime.js';
import { isPromise } from '../auth/types.js';

function apply(rt: AuthRuntime, ctx: RequestContext, outcome: Outcome): StageResult {
  if ('refusal' in outcome) return outcome.refusal;
  const id = outcome.identity;
  ctx.identity = id;
  const f = rt.forward;
  if (f) {
    ctx.headers[f.subject] = id.subject;
    ctx.headers[f.roles] = id.roles.join(' ');
    ctx.headers[f.scopes] = id.scopes.join(' ');
  }
  return undefined;
}

export const authnStage: StageDefinition = {
  name: 'authn',
  summary:
    'Verifies credentials as the spec declares them (JWT, API key, introspection, mTLS); default deny; 401 with WWW-Authenticate.',
  phase: 'authn',
  compile({ policy, model, operations }) {
    const config = authSection(policy);
    if (!config) return undefined;
    const rt = authRuntime(model, operations, config);
    return {
      request(ctx) {
        for (const name of rt.strip) delete ctx.headers[name];
        if (tokenInQuery(ctx.query)) return queryRefusal();
        const op = ctx.operation;
        // Undocumented requests forwarded in report mode still need credentials: nothing declares
        // them public, so the default (deny) holds.
        if (!op) return missing(['Bearer'], 'undocumented operation has no security requirement');
        const plan = rt.plans[op.index]!;
        if (plan.public) return undefined;
        if (plan.alternatives.length === 0) {
          return missing(
            plan.challenges,
            'the spec declares no security for this operation (default deny)',
          );
        }
        const outcome = authenticate(ctx, plan);
        return isPromise<Outcome>(outcome)
          ? outcome.then((o) => apply(rt, ctx, o))
          : apply(rt, ctx, outcome);
      },
    };
  },
};
