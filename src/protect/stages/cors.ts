// CORS (API8, CWE-942): origins are an explicit list; the gateway answers preflight itself from the
// methods the spec declares for the path, and adds Access-Control-Allow-Origin only for a listed
// origin. Upstream CORS headers are always removed (headers stage), so a reflecting upstream cannot
// widen the policy.
import { refuse } from '../engine/problem.js';
import type { RequestContext } from '../engine/context.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

export const corsStage: StageDefinition = {
  name: 'cors',
  summary: 'explicit-origin CORS; preflight answered from the spec',
  phase: 'cors',
  compile({ policy }) {
    const cors = policy.cors;
    const any = cors?.origins.includes('*') ?? false;
    const origins = new Set(cors?.origins.map((o) => o.toLowerCase()) ?? []);
    const allowHeaders = cors?.headers.join(', ') ?? '';
    const expose = cors?.exposeHeaders.join(', ') ?? '';
    const restrict = cors?.methods ? new Set<string>(cors.methods) : undefined;
    return {
      request(ctx: RequestContext): StageResult {
        const origin = ctx.headers.origin;
        const preflight =
          ctx.method === 'OPTIONS' && ctx.headers['access-control-request-method'] !== undefined;
        if (origin === undefined) {
          return preflight
            ? refuse('BULWARK_DENY_CORS_ORIGIN', 'preflight without Origin')
            : undefined;
        }
        if (cors === undefined) {
          return preflight
            ? refuse('BULWARK_DENY_CORS_ORIGIN', 'CORS is not configured')
            : undefined;
        }
        ctx.addResponseHeader('vary', 'Origin');
        const allowed = any || origins.has(origin.toLowerCase());
        if (!allowed) {
          return preflight ? refuse('BULWARK_DENY_CORS_ORIGIN', 'origin not listed') : undefined;
        }
        const allowOrigin = any && !cors.credentials ? '*' : origin;
        if (!preflight) {
          ctx.addResponseHeader('access-control-allow-origin', allowOrigin);
          if (cors.credentials) ctx.addResponseHeader('access-control-allow-credentials', 'true');
          if (expose) ctx.addResponseHeader('access-control-expose-headers', expose);
          return undefined;
        }
        const entry = ctx.pathEntry;
        if (entry === undefined)
          return refuse('BULWARK_DENY_NOT_FOUND', 'preflight for undocumented path');
        const requested = String(ctx.headers['access-control-request-method']).toUpperCase();
        const methods = restrict ? entry.methods.filter((m) => restrict.has(m)) : entry.methods;
        if (!methods.includes(requested)) {
          return refuse('BULWARK_DENY_CORS_METHOD', 'preflight for an undocumented method');
        }
        const headers: Record<string, string> = {
          'access-control-allow-origin': allowOrigin,
          'access-control-allow-methods': methods.join(', '),
          'access-control-max-age': String(cors.maxAge),
        };
        if (allowHeaders) headers['access-control-allow-headers'] = allowHeaders;
        if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
        ctx.decision = 'answer';
        return { status: 204, headers, body: '' };
      },
    };
  },
};
