// The compiled authorization state of one gateway, shared by the authz, authz-body and ownership
// stages, and the checks they run.
import type { AuthConfig } from '../../core/config/sections/auth.js';
import type { RequestContext } from '../engine/context.js';
import type { ProtectPolicy } from '../engine/policy.js';
import type { CompiledOperation } from '../engine/router.js';
import type { Reply } from '../engine/types.js';
import { forbidden, notFound } from '../auth/refusals.js';
import type { AuthIdentity } from '../auth/types.js';
import { compileAuthz, type AuthzPlan, type OwnershipPlan } from './compile.js';
import { evaluate, type Rule } from './expr.js';
import { claimValue, facts } from './facts.js';
import { effectivePermissions } from './permissions.js';
import { Preflight } from './preflight.js';

export interface AuthzRuntime {
  readonly config: AuthConfig;
  readonly plans: readonly AuthzPlan[];
  readonly preflight: Preflight | undefined;
}

const cache = new WeakMap<readonly CompiledOperation[], AuthzRuntime>();

export function authzRuntime(
  policy: ProtectPolicy,
  operations: readonly CompiledOperation[],
  config: AuthConfig,
): AuthzRuntime {
  let rt = cache.get(operations);
  if (rt) return rt;
  const plans = compileAuthz(config, operations);
  let preflight: Preflight | undefined;
  // The preflight needs the upstream's URL. Without one (an embedding adapter, or a policy built
  // without protect.upstream) guarded writes fail closed with a logged reason.
  if (plans.some((p) => p.ownership?.preflight) && policy.upstream) {
    const f = config.forwardHeaders;
    const identityHeaders =
      f === false
        ? []
        : [
            f?.subject ?? 'x-bulwark-subject',
            f?.roles ?? 'x-bulwark-roles',
            f?.scopes ?? 'x-bulwark-scopes',
          ].map((h) => h.toLowerCase());
    preflight = new Preflight(policy.upstream, policy.timeouts.upstreamMs, identityHeaders);
  }
  rt = Object.freeze({ config, plans, preflight });
  cache.set(operations, rt);
  return rt;
}

// Effective permissions per identity object: a cached token yields the same frozen identity on
// every request, so its permissions are computed once, not per request.
const permissionCache = new WeakMap<AuthIdentity, ReadonlySet<string>>();

export function permissionsOf(
  rt: AuthzRuntime,
  _ctx: RequestContext,
  id: AuthIdentity,
): ReadonlySet<string> {
  let perms = permissionCache.get(id);
  if (!perms) {
    perms = effectivePermissions(rt.config, id);
    permissionCache.set(id, perms);
  }
  return perms;
}

export function checkPermissions(plan: AuthzPlan, perms: ReadonlySet<string>): Reply | undefined {
  for (const p of plan.permissions) {
    if (!perms.has(p)) return forbidden(`missing permission ${p}`);
  }
  return undefined;
}

export function checkRule(
  rule: Rule,
  ctx: RequestContext,
  id: AuthIdentity,
  perms: ReadonlySet<string>,
  resource?: unknown,
): Reply | undefined {
  const verdict = evaluate(rule, facts(ctx, id, perms, resource));
  if (verdict === 'allow') return undefined;
  // Explainable: the log line names the rule and whether it was false or lacked a fact.
  return forbidden(
    `rule ${verdict === 'unknown' ? 'lacked a fact' : 'denied'}: ${rule.source.slice(0, 200)}`,
  );
}

export function overrides(o: OwnershipPlan, perms: ReadonlySet<string>): boolean {
  return o.override.some((p) => perms.has(p));
}

/** Path-parameter ownership: `/users/{userId}` with userId == claim. */
export function checkParamOwnership(
  o: OwnershipPlan,
  ctx: RequestContext,
  id: AuthIdentity,
): Reply | undefined {
  if (o.paramIndex === undefined) return undefined;
  const want = claimValue(id, o.claim);
  const got = ctx.pathParams[o.paramIndex];
  return want !== undefined && got === want
    ? undefined
    : notFound(`ownership: path parameter is not the caller's ${o.claim}`);
}

export function ownedBy(value: unknown, id: AuthIdentity, claim: string): boolean {
  const want = claimValue(id, claim);
  return (
    want !== undefined &&
    (typeof value === 'string' || typeof value === 'number') &&
    String(value) === want
  );
}
