// What every embedding adapter shares: build the context, run the request pipeline, and run the
// response stages over the app's buffered answer. The decisions are the gateway's own (same compiled
// Gateway, same stages), only the transport differs: there is no upstream hop, the wrapped app is
// the upstream. Middleware mode buffers the app's answer so projection and 5xx hiding can apply.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { RequestContext } from '../engine/context.js';
import type { Gateway } from '../engine/gateway.js';
import { problemBody, refuse } from '../engine/problem.js';
import { isJsonMediaType, UpstreamReply, type HeaderMap } from '../engine/reply.js';
import type { Reply } from '../engine/types.js';

export interface AdapterOptions {
  /** True when the app is served over TLS (HSTS, X-Forwarded-Proto). */
  readonly secure?: boolean;
}

/** A finished answer: what the adapter writes to the client. */
export interface Answer {
  readonly status: number;
  readonly headers: HeaderMap;
  readonly body: Buffer | string;
}

export function contextFor(
  req: IncomingMessage,
  target: string,
  source: Readable,
  secure: boolean,
): RequestContext {
  return new RequestContext(
    randomUUID(),
    req.method ?? 'GET',
    target,
    req.headers,
    req.rawHeaders,
    source,
    req.socket.remoteAddress ?? '',
    secure,
  );
}

/** The request phases; a Reply means "answer this instead of calling the app". */
export async function decide(gw: Gateway, ctx: RequestContext): Promise<Reply | undefined> {
  try {
    const r = gw.runRequest(ctx);
    return (await r) ?? undefined;
  } catch {
    ctx.decision = 'error';
    return refuse('BULWARK_INTERNAL', 'internal failure');
  }
}

/** A gateway-made answer dressed by the refusal-phase stages (security headers, CORS). */
export function replyAnswer(gw: Gateway, ctx: RequestContext, reply: Reply): Answer {
  if (ctx.decision !== 'answer') ctx.decision = 'deny';
  if (reply.code) ctx.code = reply.code;
  if (reply.reason) ctx.reason = reply.reason;
  const body = reply.code ? problemBody(reply, ctx.id) : (reply.body ?? '');
  const headers: HeaderMap = { 'content-length': String(Buffer.byteLength(body)) };
  if (reply.code) headers['content-type'] = 'application/problem+json';
  const dressed = new UpstreamReply(reply.status, headers, undefined);
  gw.decorateRefusal(ctx, dressed);
  if (reply.headers) Object.assign(dressed.headers, reply.headers);
  return { status: reply.status, headers: dressed.headers, body };
}

/** Runs the response phases over the app's buffered answer. */
export async function respond(
  gw: Gateway,
  ctx: RequestContext,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Buffer,
): Promise<Answer> {
  const lower: HeaderMap = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) lower[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
  }
  const reply = new UpstreamReply(status, lower, undefined);
  reply.body = body;
  if (gw.needsBody(ctx, reply) && isJsonMediaType(reply.mediaType) && body.length > 0) {
    try {
      reply.json = JSON.parse(body.toString('utf8'));
      reply.hasJson = true;
    } catch {
      return replyAnswer(
        gw,
        ctx,
        refuse('BULWARK_UPSTREAM_CONTRACT', 'declared JSON does not parse'),
      );
    }
  }
  const replaced = await gw.runResponse(ctx, reply);
  if (replaced) return replyAnswer(gw, ctx, replaced);
  let out: Buffer = body;
  if (reply.jsonChanged) out = Buffer.from(JSON.stringify(reply.json));
  reply.headers['content-length'] = String(out.length);
  delete reply.headers['transfer-encoding'];
  return { status: reply.status, headers: reply.headers, body: out };
}
