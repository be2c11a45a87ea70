// Evaluates an operation's security requirements (OpenAPI: alternatives are OR, the schemes of one
// requirement are AND) for one request. Each scheme is verified at most once per request.
import type { RequestContext } from '../engine/context.js';
import type { Reply } from '../engine/types.js';
import { forbidden, invalid, missing } from './refusals.js';
import type { OperationPlan, PlanPart } from './runtime.js';
import { isPromise, type AuthIdentity, type VerifyResult } from './types.js';

/** `anonymous`: an optional-auth operation called with no credential at all. */
export type Outcome = { identity: AuthIdentity } | { refusal: Reply } | { anonymous: true };

const ANONYMOUS: Outcome = Object.freeze({ anonymous: true as const });

function satisfies(part: PlanPart, id: AuthIdentity): boolean {
  const have = part.requires === 'scopes' ? id.scopes : id.roles;
  return part.required.every((r) => have.includes(r));
}

function merge(ids: readonly AuthIdentity[]): AuthIdentity {
  const [first, ...rest] = ids as [AuthIdentity, ...AuthIdentity[]];
  if (rest.length === 0) return first;
  return Object.freeze({
    ...first,
    roles: Object.freeze([...new Set(ids.flatMap((i) => i.roles))]),
    scopes: Object.freeze([...new Set(ids.flatMap((i) => i.scopes))]),
    scoped: ids.some((i) => i.scoped),
  });
}

/** Verifies every distinct scheme the plan names (sync when all answers are cached). */
function verifyAll(
  ctx: RequestContext,
  plan: OperationPlan,
): Map<string, VerifyResult | undefined> | Promise<Map<string, VerifyResult | undefined>> {
  const results = new Map<string, VerifyResult | undefined>();
  let pending: Promise<void>[] | undefined;
  for (const alt of plan.alternatives) {
    for (const part of alt) {
      if (results.has(part.name)) continue;
      const r = part.verifier.verify(ctx);
      if (isPromise<VerifyResult | undefined>(r)) {
        results.set(part.name, undefined);
        (pending ??= []).push(r.then((v) => void results.set(part.name, v)));
      } else results.set(part.name, r);
    }
  }
  return pending ? Promise.all(pending).then(() => results) : results;
}

function lacks(part: PlanPart): string {
  return `${part.name} lacks ${part.requires} ${part.required.join(' ')}`;
}

/** `decide` for a plan of one scheme, with the same answers, without the per-request Map. */
function decideOne(plan: OperationPlan, part: PlanPart, r: VerifyResult | undefined): Outcome {
  if (r === undefined) {
    return plan.optional ? ANONYMOUS : { refusal: missing(plan.challenges, 'no credentials') };
  }
  if (!r.ok) return { refusal: invalid(plan.challenges, `${part.name}: ${r.reason}`) };
  if (!satisfies(part, r.value.identity)) {
    return { refusal: forbidden(lacks(part), part.requires === 'scopes') };
  }
  return { identity: r.value.identity };
}

function decide(plan: OperationPlan, results: Map<string, VerifyResult | undefined>): Outcome {
  let anyPresented = false;
  let lacking: string | undefined;
  const reasons: string[] = [];
  for (const [name, r] of results) {
    if (r !== undefined) anyPresented = true;
    if (r && !r.ok) reasons.push(`${name}: ${r.reason}`);
  }
  // A wrong credential is never outweighed by another alternative: sending a bad token is a 401.
  if (reasons.length > 0) return { refusal: invalid(plan.challenges, reasons.join('; ')) };
  for (const alt of plan.alternatives) {
    const ids: AuthIdentity[] = [];
    for (const part of alt) {
      const r = results.get(part.name);
      if (!r?.ok) break;
      if (!satisfies(part, r.value.identity)) {
        lacking ??= lacks(part);
        break;
      }
      ids.push(r.value.identity);
    }
    if (ids.length === alt.length && ids.length > 0) return { identity: merge(ids) };
  }
  if (lacking) return { refusal: forbidden(lacking, lacking.includes('scopes')) };
  if (!anyPresented) {
    return plan.optional ? ANONYMOUS : { refusal: missing(plan.challenges, 'no credentials') };
  }
  return { refusal: invalid(plan.challenges, 'credentials do not satisfy any requirement') };
}

export function authenticate(ctx: RequestContext, plan: OperationPlan): Outcome | Promise<Outcome> {
  const only = plan.single;
  if (only) {
    const r = only.verifier.verify(ctx);
    return isPromise<VerifyResult | undefined>(r)
      ? r.then((v) => decideOne(plan, only, v))
      : decideOne(plan, only, r);
  }
  const results = verifyAll(ctx, plan);
  return isPromise<Map<string, VerifyResult | undefined>>(results)
    ? results.then((r) => decide(plan, r))
    : decide(plan, results);
}
