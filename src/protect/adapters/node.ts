// The plain node:http adapter: wraps an app handler with the gateway pipeline.
//   const handler = protectHandler(compileGateway(model, config), app);
//   http.createServer(handler).listen(8080);
//   ...; server.close(() => handler.close()); // releases the gateway's Redis and pools
// A JSON body the gateway validated has been read from the stream; the app finds it parsed on
// `req.body` and as bytes on `req.rawBody`. The app's answer is buffered so the response stages
// (projection, 5xx hiding, headers) apply before anything reaches the client.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Gateway } from '../engine/gateway.js';
import type { RequestContext } from '../engine/context.js';
import {
  contextFor,
  decide,
  replyAnswer,
  respond,
  type AdapterOptions,
  type Answer,
} from './core.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A handler or middleware that can release the gateway's outside resources (Redis, pools). */
export interface Closable {
  /** Closes the gateway (idempotent): call it after the HTTP server has stopped. */
  close(): Promise<void>;
}

export interface ProtectedRequest extends IncomingMessage {
  body?: unknown;
  rawBody?: Buffer;
  bulwark?: RequestContext;
}

export function write(res: ServerResponse, answer: Answer, head: boolean): void {
  res.writeHead(answer.status, answer.headers as OutgoingHttpHeaders);
  res.end(head ? undefined : answer.body);
}

/** Buffers what the app writes, then hands it to `finish` instead of the client. */
export function captureResponse(
  res: ServerResponse,
  finish: (status: number, headers: OutgoingHttpHeaders, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  const originalWriteHead = res.writeHead.bind(res);
  const originalEnd = res.end.bind(res);
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer | undefined => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return undefined;
    if (Buffer.isBuffer(chunk)) return chunk;
    if (chunk instanceof Uint8Array) return Buffer.from(chunk);
    return Buffer.from(
      String(chunk),
      typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
    );
  };
  let status: number | undefined;
  res.writeHead = ((code: number, ...rest: unknown[]) => {
    status = code;
    const headers = rest.find((r) => r && typeof r === 'object') as OutgoingHttpHeaders | undefined;
    if (headers && !Array.isArray(headers))
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
    return res;
  }) as typeof res.writeHead;
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const b = toBuffer(chunk, encoding);
    if (b) chunks.push(b);
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    const b = toBuffer(chunk, encoding);
    if (b) chunks.push(b);
    res.writeHead = originalWriteHead;
    res.end = originalEnd;
    const headers = res.getHeaders();
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    finish(status ?? res.statusCode, headers, Buffer.concat(chunks));
    const done = [chunk, encoding, cb].find((x) => typeof x === 'function');
    if (done) res.once('finish', done as () => void);
    return res;
  }) as typeof res.end;
}

export function protectHandler(
  gateway: Gateway,
  app: NodeHandler,
  options: AdapterOptions = {},
): NodeHandler & Closable {
  const secure = options.secure ?? false;
  const handler: NodeHandler = (req, res) => {
    const ctx = contextFor(req, req.url ?? '/', req, secure);
    const head = ctx.method === 'HEAD';
    void decide(gateway, ctx).then((reply) => {
      if (reply) return write(res, replyAnswer(gateway, ctx, reply), head);
      const preq = req as ProtectedRequest;
      preq.bulwark = ctx;
      if (ctx.body !== undefined) {
        preq.body = ctx.json;
        preq.rawBody = ctx.body;
      }
      captureResponse(res, (status, headers, body) => {
        respond(gateway, ctx, status, headers, body).then(
          (answer) => write(res, answer, head),
          () => res.destroy(),
        );
      });
      app(req, res);
    });
  };
  return Object.assign(handler, { close: () => gateway.close() });
}
