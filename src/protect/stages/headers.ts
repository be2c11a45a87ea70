// Response headers (API8): banners that fingerprint the upstream are removed (Server, X-Powered-By,
// ...), upstream CORS headers are removed so only the gateway's policy applies, and the OWASP secure
// headers for APIs are set: nosniff, a restrictive CSP, X-Frame-Options, Referrer-Policy, HSTS when
// the gateway serves TLS (RFC 6797 §7.2: never over plain HTTP), and Cache-Control: no-store on
// operations that need credentials. Runs on refusals too, so every answer carries them.
import type { RequestContext } from '../engine/context.js';
import type { UpstreamReply } from '../engine/reply.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

const BANNERS = [
  'server',
  'x-powered-by',
  'x-aspnet-version',
  'x-aspnetmvc-version',
  'x-runtime',
  'x-version',
  'x-generator',
  'x-debug-token',
  'x-debug-token-link',
  'x-backend-server',
  'via',
];

export const headersStage: StageDefinition = {
  name: 'headers',
  summary: 'banners removed; nosniff, CSP, X-Frame-Options, Referrer-Policy, HSTS, no-store added',
  phase: 'headers',
  compile({ policy }) {
    const h = policy.headers;
    const fixed: [string, string][] = [];
    if (h.contentTypeOptions) fixed.push(['x-content-type-options', 'nosniff']);
    if (h.contentSecurityPolicy) fixed.push(['content-security-policy', h.contentSecurityPolicy]);
    if (h.frameOptions) fixed.push(['x-frame-options', h.frameOptions]);
    if (h.referrerPolicy) fixed.push(['referrer-policy', h.referrerPolicy]);
    const hsts = h.hsts;
    return {
      onRefusals: true,
      response(ctx: RequestContext, reply: UpstreamReply): StageResult {
        const out = reply.headers;
        if (h.removeBanners) for (const b of BANNERS) delete out[b];
        for (const name of Object.keys(out)) {
          if (name.startsWith('access-control-')) delete out[name];
        }
        for (const [k, v] of fixed) out[k] = v;
        if (hsts && ctx.secure) out['strict-transport-security'] = hsts;
        if (h.noStoreAuthenticated && ctx.authenticated) out['cache-control'] = 'no-store';
        const extra = ctx.responseHeaders;
        if (extra) {
          for (const [k, v] of extra) {
            const prev = out[k];
            out[k] = prev === undefined ? v : k === 'vary' ? `${String(prev)}, ${v}` : v;
          }
        }
        out['x-request-id'] = ctx.id;
        return undefined;
      },
    };
  },
};
