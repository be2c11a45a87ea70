// Authentication (API2:2023). Default deny: an operation whose spec declares no security is refused
// unless it is public (`security: []` or auth.public). An empty alternative beside schemes makes
// authentication optional: no credential passes anonymously, a sent one is verified. Every declared scheme is
// enforced as declared: alternatives OR, schemes within one requirement AND, each with its scopes
// (OAuth 2 / OIDC) or roles (other schemes). Client-sent identity headers are removed from every
// request before anything else, and the verified identity is forwarded in their place.
import type { AuthConfig } from '../../core/config/sections/auth.js';
import { BulwarkError } from '../../core/errors.js';
import type { RequestContext } from '../engine/context.js';
import type { ProtectPolicy } from '../engine/policy.js';
import type { StageDefinition, StageResult } from '../engine/types.js';
import { tokenInQuery } from '../auth/credentials.js';
import { authenticate, type Outcome } from '../auth/evaluate.js';
import { missing, tokenInQuery as queryRefusal } from '../auth/refusals.js';
import { authRuntime, authSection, type AuthRuntime } from '../auth/runtime.js';
import { isPromise } from '../auth/types.js';

function apply(rt: AuthRuntime, ctx: RequestContext, outcome: Outcome): StageResult {
  if ('refusal' in outcome) return outcome.refusal;
  if ('anonymous' in outcome) return undefined;
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

/**
 * A gateway that terminates TLS itself (protect.tls.cert) but asks for no client certificate can
 * never satisfy an mTLS scheme or a certificate-bound token: refuse to start rather than refuse every
 * request. Embedded behind an adapter, the app's own server does TLS, so nothing is checked there.
 */
function checkClientCertificates(policy: ProtectPolicy, config: AuthConfig): void {
  if (policy.tls.cert === undefined || policy.tls.clientCa.length > 0) return;
  for (const [name, s] of Object.entries(config.schemes)) {
    if (s.type === 'mtls' || (s.type === 'jwt' && s.certificateBound === true)) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        `auth.schemes.${name} needs client certificates, but protect.tls.clientCa is not set`,
        { hint: 'list the CA file(s) that issue client certificates in protect.tls.clientCa' },
      );
    }
  }
}

export const authnStage: StageDefinition = {
  name: 'authn',
  summary:
    'Verifies credentials as the spec declares them (JWT, API key, introspection, mTLS); default deny; 401 with WWW-Authenticate.',
  phase: 'authn',
  compile({ policy, model, operations, observe }) {
    const config = authSection(policy);
    if (!config) return undefined;
    checkClientCertificates(policy, config);
    const rt = authRuntime(model, operations, config, observe);
    return {
      close: () => rt.close(),
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
