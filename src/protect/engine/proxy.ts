// Forwarding to the upstream over an undici Pool (keep-alive, no per-request agent). The request body
// is either the exact bytes a stage checked (ctx.body) or the client stream with the size cap
// enforced while streaming; the upstream body streams back unless a response stage needs it parsed.
// Request headers lose hop-by-hop fields and every client-sent forwarding header; the gateway sets
// X-Forwarded-For/-Proto/-Host and Forwarded (RFC 7239) itself, believing the client's chain only
// from trusted proxies.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { BodyTooLarge, capped } from './body.js';
import type { RequestContext } from './context.js';
import { forwardedNode, forwardedValue, TrustedProxies } from './forwarded.js';
import { HOP_BY_HOP, connectionTokens, stripHopByHop } from './hop.js';
import type { ProtectPolicy } from './policy.js';
import { refuse, type ProblemCode } from './problem.js';
import { UpstreamReply, type HeaderMap } from './reply.js';
import type { Reply } from './types.js';

/** Headers the gateway owns: whatever the client sent under these names is dropped. */
const GATEWAY_OWNED = new Set([
  'host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'forwarded',
  'x-real-ip',
  'x-request-id',
  'accept-encoding',
  'content-length',
  'expect',
]);

export class UpstreamFailure extends Error {
  readonly reply: Reply;
  readonly kind: string;
  constructor(code: ProblemCode, kind: string, reason: string) {
    super(reason);
    this.reply = refuse(code, reason);
    this.kind = kind;
  }
}

export class Forwarder {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly host: string;
  private readonly proxies: TrustedProxies;
  private readonly timeouts: ProtectPolicy['timeouts'];

  constructor(upstream: string, policy: ProtectPolicy, connections = 128) {
    const url = new URL(upstream);
    this.basePath = url.pathname.replace(/\/$/, '');
    this.host = url.host;
    this.proxies = new TrustedProxies(policy.trustedProxies);
    this.timeouts = policy.timeouts;
    const tls = policy.tls;
    this.pool = new Pool(url.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      headersTimeout: policy.timeouts.upstreamMs,
      bodyTimeout: policy.timeouts.upstreamBodyMs,
      connect: {
        timeout: policy.timeouts.connectMs,
        // Verify upstream TLS by default (CWE-295); a private CA is trusted explicitly.
        rejectUnauthorized: tls.upstreamVerify,
        ...(tls.upstreamCa ? { ca: readFileSync(tls.upstreamCa) } : {}),
      },
    });
  }

  headersFor(ctx: RequestContext): IncomingHttpHeaders {
    const src = ctx.headers;
    const out: IncomingHttpHeaders = {};
    const named = connectionTokens(src.connection);
    for (const name in src) {
      if (HOP_BY_HOP.has(name) || GATEWAY_OWNED.has(name)) continue;
      if (named?.includes(name)) continue;
      out[name] = src[name];
    }
    const trusted = this.proxies.has(ctx.peerAddress);
    const xff = src['x-forwarded-for'];
    const peer = ctx.peerAddress.startsWith('::ffff:') ? ctx.peerAddress.slice(7) : ctx.peerAddress;
    out['x-forwarded-for'] =
      trusted && xff ? `${Array.isArray(xff) ? xff.join(', ') : xff}, ${peer}` : peer;
    const proto = ctx.secure ? 'https' : 'http';
    out['x-forwarded-proto'] = proto;
    const host = src.host;
    let forwarded = `for=${forwardedNode(peer)};proto=${proto}`;
    if (host) {
      out['x-forwarded-host'] = host;
      forwarded += `;host=${forwardedValue(host)}`;
    }
    const prior = src.forwarded;
    out.forwarded = trusted && prior ? `${prior}, ${forwarded}` : forwarded;
    out['x-request-id'] = ctx.id;
    // Identity encoding lets response stages read JSON; compression belongs to the edge.
    out['accept-encoding'] = 'identity';
    out.host = this.host;
    if (ctx.body !== undefined) out['content-length'] = String(ctx.body.length);
    else if (src['content-length'] !== undefined) out['content-length'] = src['content-length'];
    return out;
  }

  async forward(ctx: RequestContext, limit: number): Promise<UpstreamReply> {
    const headers = this.headersFor(ctx);
    // Without the hygiene stage (a pipeline with no policy) the target goes through as received.
    const path =
      ctx.path === ''
        ? this.basePath + ctx.target
        : this.basePath + ctx.path + (ctx.query === '' ? '' : `?${ctx.query}`);
    const streaming =
      ctx.body === undefined &&
      (ctx.headers['transfer-encoding'] !== undefined ||
        (ctx.headers['content-length'] !== undefined && ctx.headers['content-length'] !== '0'));
    // undici accepts async iterables as bodies; its types list only streams.
    // A Content-Length body within the cap streams as is (the parser reads exactly that many
    // bytes); only chunked bodies need counting while they stream. undici also accepts async
    // iterables, though its types list only streams.
    const declared = ctx.headers['content-length'];
    const body =
      ctx.body ??
      (!streaming
        ? null
        : declared !== undefined && Number(declared) <= limit
          ? ctx.source
          : (capped(ctx.source, limit) as unknown as Readable));
    try {
      const r = await this.pool.request({
        path,
        method: ctx.method as 'GET',
        headers: headers as Record<string, string>,
        body,
      });
      const h = r.headers as HeaderMap;
      stripHopByHop(h);
      return new UpstreamReply(r.statusCode, h, r.body);
    } catch (err) {
      throw classify(err);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function codeOf(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}

function isTooLarge(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if (e instanceof BodyTooLarge) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Maps a transport failure to the client answer: 504 for timeouts, 502 for the rest. */
export function classify(err: unknown): UpstreamFailure | Error {
  if (isTooLarge(err))
    return new UpstreamFailure('BULWARK_DENY_BODY_TOO_LARGE', 'client', 'body over the cap');
  const code = codeOf(err);
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new UpstreamFailure('BULWARK_UPSTREAM_TIMEOUT', 'connect_timeout', code);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new UpstreamFailure('BULWARK_UPSTREAM_TIMEOUT', 'timeout', code);
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|VERIFY/.test(code))
    return new UpstreamFailure('BULWARK_UPSTREAM_UNAVAILABLE', 'tls', code);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new UpstreamFailure('BULWARK_UPSTREAM_UNAVAILABLE', 'connect', code);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return new UpstreamFailure('BULWARK_UPSTREAM_UNAVAILABLE', 'reset', code);
  }
  if (code === 'UND_ERR_ABORTED' || code === 'ECONNABORTED') {
    return new UpstreamFailure('BULWARK_UPSTREAM_UNAVAILABLE', 'aborted', code);
  }
  return new UpstreamFailure('BULWARK_UPSTREAM_UNAVAILABLE', 'other', code || 'upstream failure');
}
