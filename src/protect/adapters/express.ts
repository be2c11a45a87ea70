// Express middleware (express 4/5 as an optional peer dependency: only its types are imported).
//   app.use(protectExpress(compileGateway(model, config)));
//   app.use(express.json()); // skipped for bodies the gateway already parsed (req._body)
//   server.close(() => middleware.close()); // releases the gateway's Redis and pools
// Mount it first, at the root: it checks `req.originalUrl` against the spec's full paths.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Gateway } from '../engine/gateway.js';
import { contextFor, decide, replyAnswer, respond, type AdapterOptions } from './core.js';
import { captureResponse, write, type ProtectedRequest } from './node.js';

type Next = (err?: unknown) => void;

export function protectExpress(gateway: Gateway, options: AdapterOptions = {}) {
  const secure = options.secure ?? false;
  const middleware = function bulwarkProtect(
    req: IncomingMessage,
    res: ServerResponse,
    next: Next,
  ): void {
    const original =
      (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const ctx = contextFor(req, original, req, secure);
    const head = ctx.method === 'HEAD';
    decide(gateway, ctx).then((reply) => {
      if (reply) return write(res, replyAnswer(gateway, ctx, reply), head);
      const preq = req as ProtectedRequest & { _body?: boolean };
      preq.bulwark = ctx;
      if (ctx.body !== undefined) {
        preq.body = ctx.json;
        preq.rawBody = ctx.body;
        preq._body = true; // body-parser's marker: do not read the stream again
      }
      captureResponse(res, (status, headers, body) => {
        respond(gateway, ctx, status, headers, body).then(
          (answer) => write(res, answer, head),
          (err: unknown) => next(err),
        );
      });
      next();
    }, next);
  };
  // Express has no close hook of its own: the app calls this after its server stopped.
  return Object.assign(middleware, { close: (): Promise<void> => gateway.close() });
}
