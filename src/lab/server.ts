// The request pipeline, identical for both variants; every difference is a call into ctx.flaws.
// Order: base headers -> path -> retired versions -> route -> CORS/preflight -> TRACE ->
// authentication -> rate limit -> body (cap, media type, JSON) -> handler -> answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http/body.js';
import { HttpProblem, problems } from './http/problem.js';
import type { Router } from './http/router.js';
import type { UserRow } from './db/store.js';
import type { LabContext, LabRequest, LabResponse, RouteDef } from './types.js';

export function createHandler(ctx: LabContext, router: Router<RouteDef>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, router, req, res).catch((error: unknown) => {
      // Last resort: the answer itself failed. Never let one request take the process down.
      if (!res.headersSent) send(res, ctx.flaws.config.internalError(error));
      else res.destroy();
    });
  };
}

async function handle(
  ctx: LabContext,
  router: Router<RouteDef>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { config } = ctx.flaws;
  for (const [name, value] of Object.entries(config.headers)) res.setHeader(name, value);
  const ip = req.socket.remoteAddress ?? 'unknown';
  try {
    const { path, segments, query } = parseTarget(req.url ?? '/');
    const retired = ctx.flaws.inventory.retired(path);
    if (retired) throw retired;
    const method = req.method ?? 'GET';
    const match = router.match(method === 'HEAD' ? 'GET' : method, segments);
    const allow =
      match.kind === 'found' ? [match.route.method] : match.kind === 'method' ? match.allow : [];
    const origin = header(req, 'origin');
    const preflightMethod =
      method === 'OPTIONS' ? header(req, 'access-control-request-method') : undefined;
    if (origin !== undefined) {
      const cors = config.cors({
        origin,
        preflightMethod,
        preflightHeaders: header(req, 'access-control-request-headers'),
        allow: allowedMethods(router, segments, allow),
      });
      for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    }
    if (method === 'TRACE' && config.traceEchoes) return traceEcho(req, res);
    if (method === 'OPTIONS' && match.kind !== 'none') {
      res.setHeader('Allow', [...allowedMethods(router, segments, allow), 'OPTIONS'].join(', '));
      res.writeHead(204).end();
      return;
    }
    if (match.kind === 'none') throw problems.notFound();
    if (match.kind === 'method') throw problems.methodNotAllowed(match.allow);
    const route = match.route.handler;
    // Failed authentications count against the client address, so a flood of bad tokens is
    // rate limited like any other anonymous traffic.
    const admit = (identity: string) => {
      const budget = ctx.flaws.resources.admit(identity, Date.now());
      for (const [name, value] of Object.entries(budget)) res.setHeader(name, value);
    };
    const caller = route.auth
      ? await authenticate(ctx, req).catch((error: unknown) => {
          admit(`ip:${ip}`);
          throw error;
        })
      : undefined;
    admit(caller ? `user:${caller.id}` : `ip:${ip}`);
    const body = route.body ? await readJsonBody(ctx, req) : undefined;
    const request: LabRequest = {
      raw: req,
      method,
      path,
      params: match.params,
      query,
      ip,
      caller,
      body,
    };
    const answer = await route.handle(ctx, request);
    send(res, answer, method === 'HEAD');
  } catch (error) {
    if (error instanceof HttpProblem) {
      // A refused body may still be arriving; close the connection instead of reading it all.
      if (error.status === 413) res.setHeader('Connection', 'close');
      send(res, {
        status: error.status,
        body: error.toJSON(),
        headers: error.headers,
        contentType: 'application/problem+json',
      });
    } else {
      send(res, config.internalError(error));
    }
  }
}

interface Target {
  readonly path: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

/**
 * Splits and decodes the request target. Segments are decoded one by one, and a segment that
 * decodes to something containing `/`, `\` or that is `.`/`..` is refused, so the path the router
 * matched is the only path there is.
 */
function parseTarget(raw: string): Target {
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  if (!rawPath.startsWith('/') || rawPath.length > 2048) throw problems.notFound();
  const segments = rawPath.split('/').slice(1).map(decodeSegment);
  return { path: `/${segments.join('/')}`, segments, query };
}

function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw problems.notFound();
  }
  if (decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) throw problems.notFound();
  return decoded;
}

function allowedMethods(
  router: Router<RouteDef>,
  segments: readonly string[],
  fallback: readonly string[],
): string[] {
  const methods = new Set<string>(fallback);
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    if (router.match(method, segments).kind === 'found') methods.add(method);
  }
  return [...methods];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function authenticate(ctx: LabContext, req: IncomingMessage): Promise<UserRow> {
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)[ ]*$/i.exec(header(req, 'authorization') ?? '');
  const subject = match?.[1] ? await ctx.flaws.tokens.verify(match[1]) : undefined;
  // The account is read fresh on every request: a deleted user's token stops working at once.
  const user = subject === undefined ? undefined : ctx.store.userById(subject);
  if (!user) throw problems.unauthorized();
  return user;
}

async function readJsonBody(ctx: LabContext, req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, ctx.flaws.resources.bodyBytes);
  return ctx.flaws.config.parseBody(raw, header(req, 'content-type'));
}

function traceEcho(req: IncomingMessage, res: ServerResponse): void {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  res.writeHead(200, { 'Content-Type': 'message/http' }).end(`${lines.join('\r\n')}\r\n\r\n`);
}

function send(res: ServerResponse, answer: LabResponse, headOnly = false): void {
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.body === undefined || answer.status === 204) {
    res.writeHead(answer.status).end();
    return;
  }
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.setHeader('Content-Type', answer.contentType ?? 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.writeHead(answer.status);
  res.end(headOnly ? undefined : text);
}
