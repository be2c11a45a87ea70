// Request hygiene, before routing: message framing (request smuggling, CWE-444), request-target form,
// path normalisation (CWE-22/CWE-436), size caps (API4) and the client address behind trusted proxies.
// Node's parser already refuses most framing attacks on the proxy listener; this stage repeats the
// checks on the raw header list so the embedded adapters, which may sit behind other parsers, get
// the same guarantees.
import { TrustedProxies } from '../engine/forwarded.js';
import { normalisePath } from '../engine/normalise.js';
import { refuse } from '../engine/problem.js';
import type { RequestContext } from '../engine/context.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

export const hygieneStage: StageDefinition = {
  name: 'hygiene',
  summary: 'framing, path normalisation, URL/header/query caps, client address',
  phase: 'hygiene',
  compile({ policy }) {
    const { urlLength, headerBytes, queryParams } = policy.limits;
    const proxies = new TrustedProxies(policy.trustedProxies);
    // Limits are named only when errors.exposeLimits asks (CWE-209).
    const expose = policy.errors.exposeLimits;
    const urlDetail = expose ? `the request target is limited to ${urlLength} bytes` : undefined;
    const queryDetail = expose ? `at most ${queryParams} query parameters` : undefined;
    return {
      request(ctx: RequestContext): StageResult {
        const target = ctx.target;
        if (target.length > urlLength)
          return refuse('BULWARK_DENY_URL_TOO_LONG', 'URL over the cap', urlDetail);
        const framing = checkFraming(ctx.rawHeaders, headerBytes);
        if (framing) return framing;
        if (target.charCodeAt(0) !== 0x2f) {
          return refuse('BULWARK_DENY_TARGET_INVALID', 'request target is not origin-form');
        }
        const q = target.indexOf('?');
        const rawPath = q === -1 ? target : target.slice(0, q);
        const query = q === -1 ? '' : target.slice(q + 1);
        if (query.includes('#')) return refuse('BULWARK_DENY_TARGET_INVALID', 'fragment in target');
        const n = normalisePath(rawPath);
        if (!n.ok) return refuse('BULWARK_DENY_PATH_AMBIGUOUS', n.reason);
        ctx.path = n.path;
        ctx.query = query;
        if (query !== '' && countParams(query) > queryParams) {
          return refuse(
            'BULWARK_DENY_QUERY_TOO_MANY',
            'query parameters over the cap',
            queryDetail,
          );
        }
        ctx.clientAddress = proxies.clientAddress(ctx.peerAddress, ctx.headers['x-forwarded-for']);
        return undefined;
      },
    };
  },
};

function countParams(query: string): number {
  let n = 1;
  for (let i = 0; i < query.length; i++) if (query.charCodeAt(i) === 0x26) n++;
  return n;
}

/**
 * RFC 9112 §6.1 and §6.3: a request with both Content-Length and Transfer-Encoding is a smuggling
 * attempt; a transfer coding other than a final `chunked` cannot be framed (501); several
 * Content-Length or Host fields are ambiguous (§3.2). Refused, never "repaired".
 */
export function checkFraming(raw: readonly string[], headerBytes: number): StageResult {
  let cl = 0;
  let te = 0;
  let host = 0;
  let size = 0;
  let teValue = '';
  let clValue = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    size += name.length + value.length + 4;
    const len = name.length;
    if (len === 14 && name.toLowerCase() === 'content-length') {
      cl++;
      clValue = value;
    } else if (len === 17 && name.toLowerCase() === 'transfer-encoding') {
      te++;
      teValue = value;
    } else if (len === 4 && name.toLowerCase() === 'host') host++;
  }
  if (size > headerBytes) return refuse('BULWARK_DENY_HEADERS_TOO_LARGE', 'headers over the cap');
  if (cl > 1) return refuse('BULWARK_DENY_FRAMING', 'duplicate Content-Length');
  if (host > 1) return refuse('BULWARK_DENY_FRAMING', 'duplicate Host');
  if (te > 0 && cl > 0)
    return refuse('BULWARK_DENY_FRAMING', 'Content-Length with Transfer-Encoding');
  if (te > 1 || (te === 1 && teValue.trim().toLowerCase() !== 'chunked')) {
    return refuse('BULWARK_DENY_TE_UNSUPPORTED', 'transfer coding other than chunked');
  }
  if (cl === 1 && !/^\d{1,15}$/.test(clValue)) {
    return refuse('BULWARK_DENY_FRAMING', 'malformed Content-Length');
  }
  return undefined;
}
