// POST and GET /graphql. In `vulnerable` the route is public (login is a mutation) and a bearer token,
// when sent, names the caller. `secure` needs a valid token (401 otherwise, as the spec's bearerAuth
// says): logins go through POST /api/v2/auth/login, where attempts are throttled, so GraphQL cannot
// become a second, unwatched login door (API2). Batches (JSON arrays) run in the vulnerable variant
// only (batching multiplies brute-force attempts and every per-operation limit); secure answers a
// batch with 400.
import type { IncomingMessage } from 'node:http';
import { problems } from '../http/problem.js';
import type { UserRow } from '../db/store.js';
import type { LabContext, LabRequest, LabResponse, RouteDef } from '../types.js';
import { runOne, type GraphqlCall } from './execute.js';

async function optionalCaller(ctx: LabContext, req: IncomingMessage): Promise<UserRow | undefined> {
  const raw = req.headers.authorization ?? '';
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)[ ]*$/i.exec(raw);
  if (!match?.[1]) return undefined;
  const subject = await ctx.flaws.tokens.verify(match[1]);
  const user = subject === undefined ? undefined : ctx.store.userById(subject);
  if (!user) throw problems.unauthorized();
  return user;
}

function call(value: unknown): GraphqlCall {
  const v = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return { query: v['query'], variables: v['variables'], operationName: v['operationName'] };
}

async function answer(
  ctx: LabContext,
  req: LabRequest,
  payload: unknown,
  post: boolean,
): Promise<LabResponse> {
  const secure = ctx.variant === 'secure';
  const caller = await optionalCaller(ctx, req.raw);
  if (secure && caller === undefined) throw problems.unauthorized();
  const context = { caller, ip: req.ip };
  // FLAW (vulnerable): mutations over GET are CSRF-able.
  const mutations = post || !secure;
  if (Array.isArray(payload)) {
    if (secure)
      throw problems.badRequest('batch_refused', 'Batched GraphQL requests are not accepted.');
    const results = [];
    for (const item of payload) results.push(await runOne(ctx, call(item), context, mutations));
    return { status: 200, body: results };
  }
  return { status: 200, body: await runOne(ctx, call(payload), context, mutations) };
}

export const graphqlPost: RouteDef = {
  auth: false,
  body: true,
  handle: (ctx, req) => answer(ctx, req, req.body, true),
};

export const graphqlGet: RouteDef = {
  auth: false,
  body: false,
  handle(ctx, req) {
    const variables = req.query.get('variables');
    let parsed: unknown;
    try {
      parsed = variables === null ? undefined : JSON.parse(variables);
    } catch {
      throw problems.badRequest('invalid_variables', 'variables is not JSON.');
    }
    const payload = {
      query: req.query.get('query') ?? undefined,
      operationName: req.query.get('operationName') ?? undefined,
      variables: parsed,
    };
    return answer(ctx, req, payload, false);
  },
};
