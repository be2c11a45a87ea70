// GraphQL endpoints (issue 10; API4, API3, API1 at field level, API8). Operations marked with
// `x-bulwark-graphql` (or listed in protect.graphql.operations) get the GraphQL gate
// (src/protect/graphql/gate.ts): pre-parse budgets, one cached parse, whole-request limits summed
// over a batch, cyclic fragments refused, introspection off by default, field authorization after
// fragment expansion, trusted documents, GET for queries only with a CSRF preflight header, and
// suggestion masking in upstream errors. It runs in the `guard` phase because the body stage has
// parsed the JSON by then; the query cost is charged to the rate limiter here, on top of the
// operation's base cost already charged in the `rate-limit` phase (ctx.cost is set for logs and
// later stages). See docs/graphql.md.
import { mediaTypeOf } from './body.js';
import { GraphqlGate, DENY_STATUS, type Denial } from '../graphql/gate.js';
import { resolve } from 'node:path';
import { resolveOptions, withResolvedPaths } from '../graphql/options.js';
import { loadSchema } from '../graphql/schema.js';
import { graphqlSection, isGraphql, markedOperations, specDir } from '../graphql/marking.js';
import { introspectedSdl } from '../graphql/prepare.js';
import { blocked, settle } from '../graphql/login.js';
import type { LoginCall } from '../graphql/analyze.js';
import { maskResponse } from '../graphql/mask.js';
import type { RequestContext } from '../engine/context.js';
import type { Reply, StageDefinition, StageResult } from '../engine/types.js';
import { controlsFor } from '../ratelimit/create.js';
import { rateLimitSection } from './ratelimit.js';
import { limitRequest, refusal } from '../ratelimit/gateway-adapter.js';
import { isJsonMediaType, type UpstreamReply } from '../engine/reply.js';

function denial(d: Denial): Reply {
  return {
    status: DENY_STATUS[d.code],
    code: d.code,
    detail: d.detail,
    reason: `graphql: ${d.reason}`,
    ...(d.errors !== undefined
      ? { extra: { errors: d.errors.map((message) => ({ message })) } }
      : {}),
  };
}

/** ctx.locals key of the request's login calls (request phase -> response phase). */
const LOGINS = 'graphql-logins';

/** The login guard's answer, the same as the rate-limit guard stage gives a REST login. */
function throttled(retryAfterMs: number): Reply {
  return refusal({
    allowed: false,
    status: 429,
    code: 'LOGIN_THROTTLED',
    detail: 'Too many attempts. Retry later.',
    reason: 'graphql: login penalty',
    rule: undefined,
    headers: [['Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000)))]],
  });
}

function getPayload(query: string): Record<string, unknown> | undefined {
  const params = new URLSearchParams(query);
  const out: Record<string, unknown> = {};
  for (const name of ['query', 'operationName'] as const) {
    const v = params.get(name);
    if (v !== null) out[name] = v;
  }
  for (const name of ['variables', 'extensions'] as const) {
    const v = params.get(name);
    if (v === null) continue;
    try {
      out[name] = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return out;
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export const graphqlStage: StageDefinition = {
  name: 'graphql',
  summary:
    'GraphQL gate: pre-parse budgets, cached parse, batch-wide depth/cost/alias/directive limits, introspection, field authz, trusted documents',
  phase: 'guard',
  compile({ model, policy, operations, observe }) {
    const section = graphqlSection(policy);
    const listed = markedOperations(section);
    const base = specDir(model);
    const gates: (GraphqlGate | undefined)[] = operations.map((cop) => {
      if (!isGraphql(cop, listed)) return undefined;
      // Extension paths are relative to the spec file; the CLI made protect.graphql's absolute.
      const ext = withResolvedPaths(cop.op.extensions['x-bulwark-graphql'], (p) =>
        resolve(base, p),
      );
      const options = resolveOptions(section, ext);
      const schema = loadSchema(options, cop.key, process.cwd(), introspectedSdl(section, cop.key));
      return new GraphqlGate(schema, options);
    });
    if (gates.every((g) => g === undefined)) return undefined;
    const rateLimit = rateLimitSection(policy);
    // Same options as the rate-limit stages: whichever compiles first creates the shared toolkit.
    const controls = rateLimit ? controlsFor(operations, rateLimit, { observe }) : undefined;
    const limiter = controls?.limiter;
    // Login calls feed the shared login guard of protect.rateLimit.login (one guess per call).
    const guard = controls?.login;
    const failureStatus =
      (rateLimit as { login?: { failureStatuses?: readonly number[] } } | undefined)?.login
        ?.failureStatuses?.[0] ?? 401;
    const loginsOf = (ctx: RequestContext): readonly LoginCall[] | undefined =>
      ctx.locals?.[LOGINS] as readonly LoginCall[] | undefined;

    const charge = (ctx: RequestContext, cost: number): StageResult | Promise<StageResult> => {
      // The rate-limit phase charged the operation's base cost; the rest of the query cost is
      // charged now, so a costly query drains the same bucket faster (cost as weight).
      const base = ctx.operation?.cost ?? 1;
      ctx.cost = Math.max(1, Math.ceil(cost));
      const extra = ctx.cost - Math.ceil(base);
      if (limiter === undefined || extra <= 0) return undefined;
      const outcome = limiter.evaluate({ ...limitRequest(ctx), cost: extra });
      if (outcome instanceof Promise)
        return outcome.then((o) => (o.allowed ? undefined : refusal(o)));
      return outcome.allowed ? undefined : refusal(outcome);
    };

    return {
      request(ctx) {
        const gate = ctx.operation && gates[ctx.operation.index];
        if (gate === undefined) return undefined;
        const caller = { roles: ctx.identity?.roles ?? [], scopes: ctx.identity?.scopes ?? [] };
        let method: 'GET' | 'POST';
        let payload: unknown;
        if (ctx.method === 'GET') {
          if (!gate.options.get.allow) {
            return denial({
              ok: false,
              code: 'BULWARK_DENY_GRAPHQL_METHOD',
              reason: 'GET disabled',
              detail: 'Use POST.',
            });
          }
          // CSRF (CWE-352): a cross-site <img>/<form> GET cannot set custom headers; require one.
          const json = isJsonMediaType(mediaTypeOf(header(ctx, 'content-type')));
          if (
            !json &&
            !gate.options.get.preflightHeaders.some((h) => header(ctx, h) !== undefined)
          ) {
            return denial({
              ok: false,
              code: 'BULWARK_DENY_GRAPHQL_CSRF',
              reason: 'GET without a preflight header',
              detail: 'GET requests need a preflight header such as GraphQL-Require-Preflight.',
            });
          }
          method = 'GET';
          payload = getPayload(ctx.query);
        } else if (ctx.method === 'POST') {
          // Only JSON: text/plain, form and multipart bodies are CORS-simple, i.e. CSRF-able.
          if (
            !isJsonMediaType(mediaTypeOf(header(ctx, 'content-type'))) ||
            ctx.json === undefined
          ) {
            return denial({
              ok: false,
              code: 'BULWARK_DENY_GRAPHQL_CSRF',
              reason: 'POST without a JSON body',
              detail: 'GraphQL POST requests must be application/json.',
            });
          }
          method = 'POST';
          payload = ctx.json;
        } else {
          return denial({
            ok: false,
            code: 'BULWARK_DENY_GRAPHQL_METHOD',
            reason: ctx.method,
            detail: 'Use GET or POST.',
          });
        }
        if (payload === undefined) {
          return denial({
            ok: false,
            code: 'BULWARK_DENY_GRAPHQL_MALFORMED',
            reason: 'GET parameters',
            detail: 'The GraphQL request is not valid.',
          });
        }
        const verdict = gate.check(method, payload, caller);
        if (!verdict.ok) return denial(verdict);
        const calls = verdict.totals.loginCalls;
        if (guard !== undefined && calls.length > 0) {
          const penalty = blocked(calls, guard, ctx.clientAddress);
          if (penalty !== undefined) return throttled(penalty.retryAfterMs);
          (ctx.locals ??= {})[LOGINS] = calls;
        }
        if (verdict.rewritten !== undefined) {
          ctx.json = verdict.rewritten;
          ctx.body = Buffer.from(JSON.stringify(verdict.rewritten));
        }
        return charge(ctx, verdict.cost);
      },
      needsBody(ctx: RequestContext, reply: UpstreamReply): boolean {
        const gate = ctx.operation && gates[ctx.operation.index];
        return (
          gate !== undefined &&
          (gate.options.maskSuggestions || loginsOf(ctx) !== undefined) &&
          isJsonMediaType(reply.mediaType)
        );
      },
      response(ctx: RequestContext, reply: UpstreamReply): StageResult {
        const gate = ctx.operation && gates[ctx.operation.index];
        if (gate === undefined || !reply.hasJson) return undefined;
        const calls = loginsOf(ctx);
        if (guard !== undefined && calls !== undefined && reply.status < 500) {
          const options = { successField: gate.options.loginSuccessField, failureStatus };
          if (settle(reply.json, calls, guard, ctx.clientAddress, options))
            reply.jsonChanged = true;
        }
        if (gate.options.maskSuggestions && maskResponse(reply.json)) reply.jsonChanged = true;
        return undefined;
      },
    };
  },
};
