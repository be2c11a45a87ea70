// Fastify plugin (fastify 5 as an optional peer dependency: only its types are imported).
//   await app.register(protectFastify, { gateway: compileGateway(model, config) });
// The request phases run in `preParsing`, on the raw payload stream, before Fastify parses it; the
// bytes the gateway checked are handed back for Fastify's own parser. The response phases run in
// `onSend` over the serialised payload. Register it with fastify-plugin semantics (skip-override)
// so it covers every route, or register it in the root context.
import type { OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../engine/context.js';
import type { Gateway } from '../engine/gateway.js';
import {
  contextFor,
  decide,
  replyAnswer,
  respond,
  type AdapterOptions,
  type Answer,
} from './core.js';

export interface FastifyProtectOptions extends AdapterOptions {
  readonly gateway: Gateway;
  /** Close the gateway when Fastify closes (default true; false when the gateway is shared). */
  readonly closeGateway?: boolean;
}

const CONTEXT = Symbol('bulwark.context');
type WithContext = FastifyRequest & { [CONTEXT]?: RequestContext };

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status);
  for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined) reply.header(k, v);
  return reply.send(answer.body);
}

async function plugin(app: FastifyInstance, options: FastifyProtectOptions): Promise<void> {
  const gw = options.gateway;
  const secure = options.secure ?? false;
  // app.close() waits for this, so the gateway's Redis connection and pools end with the app.
  if (options.closeGateway !== false) app.addHook('onClose', () => gw.close());
  app.addHook('preParsing', async (request, reply, payload) => {
    const ctx = contextFor(request.raw, request.raw.url ?? '/', payload, secure);
    (request as WithContext)[CONTEXT] = ctx;
    const refusal = await decide(gw, ctx);
    if (refusal) {
      await send(reply, replyAnswer(gw, ctx, refusal));
      return payload;
    }
    if (ctx.body !== undefined) {
      const replay = Readable.from([ctx.body]) as Readable & { receivedEncodedLength?: number };
      replay.receivedEncodedLength = ctx.body.length;
      return replay;
    }
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const ctx = (request as WithContext)[CONTEXT];
    if (ctx === undefined || ctx.decision === 'deny' || ctx.decision === 'answer') return payload;
    const body =
      payload === null || payload === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(payload)
          ? payload
          : typeof payload === 'string'
            ? Buffer.from(payload)
            : undefined;
    if (body === undefined) return payload; // a stream: passed through unprojected (documented)
    const answer = await respond(
      gw,
      ctx,
      reply.statusCode,
      reply.getHeaders() as OutgoingHttpHeaders,
      body,
    );
    reply.code(answer.status);
    for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined) reply.header(k, v);
    return answer.body;
  });
}

// Fastify's skip-override marker (what fastify-plugin sets): the hooks apply to the whole app.
Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });

export const protectFastify = plugin;
