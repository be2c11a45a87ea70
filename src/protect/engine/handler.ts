// One request through the gateway: pipeline, forward, response stages, answer. Used by the proxy
// server; the adapters reuse the same Gateway with their own "upstream" (the wrapped app).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { BodyTooLarge, hasBody, readBody } from './body.js';
import { RequestContext } from './context.js';
import type { Gateway } from './gateway.js';
import type { Observer } from './observe.js';
import { problemBody, refuse } from './problem.js';
import type { Forwarder } from './proxy.js';
import { UpstreamFailure } from './proxy.js';
import { isJsonMediaType, UpstreamReply, type HeaderMap } from './reply.js';
import type { Reply } from './types.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const NO_BODY_STATUS = new Set([204, 304]);
/** Bodies up to this size with a known length are buffered instead of streamed. */
const SMALL_BODY = 65_536;

function isSmall(length: string | string[] | undefined): boolean {
  return typeof length === 'string' && length !== '' && Number(length) <= SMALL_BODY;
}

export function newContext(
  req: IncomingMessage,
  secure: boolean,
  trustId: boolean,
): RequestContext {
  const incoming = req.headers['x-request-id'];
  const id =
    trustId && typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  return new RequestContext(
    id,
    req.method ?? 'GET',
    req.url ?? '/',
    req.headers,
    req.rawHeaders,
    req,
    req.socket.remoteAddress ?? '',
    secure,
  );
}

function isPromise<T>(v: unknown): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

/** Sends a gateway-made answer (refusal or preflight), dressed by the refusal-phase stages. */
export function sendReply(
  gw: Gateway,
  ctx: RequestContext,
  res: ServerResponse,
  reply: Reply,
): void {
  if (ctx.decision !== 'answer')
    ctx.decision = reply.code?.startsWith('BULWARK_UPSTREAM') ? 'error' : 'deny';
  if (reply.code) ctx.code = reply.code;
  if (reply.reason) ctx.reason = reply.reason;
  const headers: HeaderMap = {};
  let body: string;
  if (reply.code) {
    body = problemBody(reply, ctx.id);
    headers['content-type'] = 'application/problem+json';
  } else body = reply.body ?? '';
  headers['content-length'] = String(Buffer.byteLength(body));
  // A refused request whose body was never read would desynchronise a reused connection.
  if (ctx.body === undefined && hasBody(ctx) && !ctx.source.readableEnded)
    headers['connection'] = 'close';
  const dressed = new UpstreamReply(reply.status, headers, undefined);
  gw.decorateRefusal(ctx, dressed);
  // The stage's own headers (Allow, preflight CORS, Retry-After) go on last: they are the gateway's.
  if (reply.headers) Object.assign(dressed.headers, reply.headers);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(reply.status, dressed.headers as OutgoingHttpHeaders);
  res.end(ctx.method === 'HEAD' ? undefined : body);
}

export interface HandlerOptions {
  readonly gateway: Gateway;
  readonly forwarder: Forwarder;
  readonly observer: Observer;
  readonly secure: boolean;
  readonly trustRequestId?: boolean;
  readonly isDraining?: () => boolean;
}

export function createProxyHandler(options: HandlerOptions) {
  const { gateway: gw, forwarder, observer, secure } = options;
  const limit = gw.policy.limits.responseBytes;
  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const ctx = newContext(req, secure, options.trustRequestId ?? false);
    observer.inFlight.inc();
    res.once('close', () => {
      observer.inFlight.dec();
      observer.done(ctx, res.statusCode, !res.writableFinished);
    });
    if (options.isDraining?.()) res.setHeader('connection', 'close');
    run(ctx, res).catch((err: unknown) => {
      observer.logger.error({ requestId: ctx.id, err: (err as Error).message }, 'gateway failure');
      ctx.decision = 'error';
      sendReply(gw, ctx, res, refuse('BULWARK_INTERNAL', 'internal failure'));
    });
  };

  async function run(ctx: RequestContext, res: ServerResponse): Promise<void> {
    let r = gw.runRequest(ctx);
    if (isPromise<Reply | undefined>(r)) r = await r;
    if (r) return sendReply(gw, ctx, res, r);
    // Small bodies with a known length are read whole and sent as one buffer: cheaper for undici
    // than piping a stream per request (the same reason nginx buffers by default).
    const bodyLimit = gw.bodyLimit(ctx);
    const declared = ctx.body === undefined ? ctx.headers['content-length'] : undefined;
    if (
      declared !== undefined &&
      declared !== '0' &&
      ctx.headers['transfer-encoding'] === undefined
    ) {
      const size = Number(declared);
      if (size > bodyLimit)
        return sendReply(
          gw,
          ctx,
          res,
          refuse('BULWARK_DENY_BODY_TOO_LARGE', 'Content-Length over the cap'),
        );
      if (size <= SMALL_BODY) {
        try {
          ctx.body = await readBody(ctx.source, size);
        } catch {
          return sendReply(
            gw,
            ctx,
            res,
            refuse('BULWARK_DENY_BODY_MALFORMED', 'body could not be read'),
          );
        }
      }
    }
    let reply: UpstreamReply;
    try {
      reply = await forwarder.forward(ctx, bodyLimit);
    } catch (err) {
      if (err instanceof UpstreamFailure) {
        if (err.kind !== 'client') observer.upstreamError(err.kind);
        return sendReply(gw, ctx, res, err.reply);
      }
      throw err;
    }
    const hasBody = !NO_BODY_STATUS.has(reply.status) && ctx.method !== 'HEAD';
    if (hasBody && gw.needsBody(ctx, reply)) {
      const failed = await bufferReply(reply, limit);
      if (failed) {
        observer.upstreamError(
          failed.code === 'BULWARK_UPSTREAM_TOO_LARGE' ? 'too_large' : 'contract',
        );
        return sendReply(gw, ctx, res, failed);
      }
    }
    const replaced = await gw.runResponse(ctx, reply);
    if (replaced) {
      discard(reply);
      return sendReply(gw, ctx, res, replaced);
    }
    if (reply.jsonChanged) {
      reply.body = Buffer.from(JSON.stringify(reply.json));
      reply.headers['content-length'] = String(reply.body.length);
    }
    if (
      reply.stream &&
      hasBody &&
      reply.body === undefined &&
      isSmall(reply.headers['content-length'])
    ) {
      try {
        reply.body = await readBody(reply.stream, SMALL_BODY);
        reply.stream = undefined;
      } catch {
        observer.upstreamError('stream');
        return sendReply(
          gw,
          ctx,
          res,
          refuse('BULWARK_UPSTREAM_UNAVAILABLE', 'upstream body failed'),
        );
      }
    }
    res.writeHead(reply.status, reply.headers as OutgoingHttpHeaders);
    if (reply.body !== undefined) res.end(reply.body);
    else if (reply.stream && hasBody) {
      pipeline(reply.stream, res, (err) => {
        if (err && !res.writableFinished) observer.upstreamError('stream');
      });
    } else {
      discard(reply);
      res.end();
    }
  }
}

function discard(reply: UpstreamReply): void {
  const s = reply.stream as (UpstreamReply['stream'] & { dump?: () => Promise<void> }) | undefined;
  if (!s) return;
  if (typeof s.dump === 'function') s.dump().catch(() => undefined);
  else s.resume();
}

/** Buffers and parses the upstream body; fails closed when it cannot be read as declared. */
async function bufferReply(reply: UpstreamReply, limit: number): Promise<Reply | undefined> {
  const stream = reply.stream;
  if (!stream) return undefined;
  const encoding = reply.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    discard(reply);
    return refuse('BULWARK_UPSTREAM_CONTRACT', 'encoded body cannot be checked');
  }
  try {
    reply.body = await readBody(stream, limit);
  } catch (err) {
    stream.destroy();
    if (err instanceof BodyTooLarge)
      return refuse('BULWARK_UPSTREAM_TOO_LARGE', 'upstream body over the cap');
    return refuse('BULWARK_UPSTREAM_UNAVAILABLE', 'upstream body failed');
  }
  reply.stream = undefined;
  reply.headers['content-length'] = String(reply.body.length);
  if (isJsonMediaType(reply.mediaType) && reply.body.length > 0) {
    try {
      reply.json = JSON.parse(reply.body.toString('utf8'));
      reply.hasJson = true;
    } catch {
      return refuse('BULWARK_UPSTREAM_CONTRACT', 'declared JSON does not parse');
    }
  }
  return undefined;
}
