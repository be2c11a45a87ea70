// Ownership before a write (API1): the gateway GETs the object from the upstream with the caller's
// own credentials and compares its owner field with the caller's claim before forwarding a PUT,
// PATCH or DELETE. Cost: one extra upstream round trip per guarded write (reads are checked on the
// answer instead). Anything but a 200 JSON object whose field equals the claim is a refusal: the
// check fails closed.
import { Pool } from 'undici';
import type { RequestContext } from '../engine/context.js';
import type { CompiledOperation } from '../engine/router.js';
import { pointerGet } from './pointer.js';

const MAX_BYTES = 1_048_576;
const FORWARDED = ['authorization', 'cookie'];

export class Preflight {
  private readonly pool: Pool;
  private readonly timeoutMs: number;
  private readonly extra: readonly string[];

  constructor(upstream: string, timeoutMs: number, identityHeaders: readonly string[]) {
    this.pool = new Pool(new URL(upstream).origin, {
      connections: 16,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    this.timeoutMs = timeoutMs;
    this.extra = identityHeaders;
  }

  /** The path of `target` with the request's own (still encoded, normalised) parameter values. */
  static path(ctx: RequestContext, target: CompiledOperation): string {
    const names = ctx.operation?.pathParamNames ?? [];
    return target.template.replace(/\{([^{}]+)\}/g, (_, name: string) =>
      encodeURIComponent(ctx.pathParams[names.indexOf(name)] ?? ''),
    );
  }

  async owner(ctx: RequestContext, target: CompiledOperation, field: string): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': ctx.id };
    for (const name of [...FORWARDED, ...this.extra]) {
      const v = ctx.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    try {
      const res = await this.pool.request({
        method: 'GET',
        path: Preflight.path(ctx, target),
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        return undefined;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of res.body) {
        size += (c as Buffer).length;
        if (size > MAX_BYTES) return undefined;
        chunks.push(c as Buffer);
      }
      return pointerGet(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, field);
    } catch {
      return undefined;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
