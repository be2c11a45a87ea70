// Reading credentials off a request. Tokens come only from the Authorization header (RFC 6750 §2.1);
// a request carrying two Authorization headers is ambiguous (parsers keep different ones) and fails.
import type { RequestContext } from '../engine/context.js';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function count(ctx: RequestContext, lower: string): number {
  let n = 0;
  const raw = ctx.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // The length test skips the lower-casing (a string per header) for nearly every name.
    if (name.length === lower.length && name.toLowerCase() === lower) n++;
  }
  return n;
}

/** undefined: no bearer credential; null: present but malformed or ambiguous. */
export function bearerToken(ctx: RequestContext): string | null | undefined {
  const value = ctx.headers.authorization;
  if (value === undefined) return undefined;
  if (!/^bearer /i.test(value)) return undefined; // another scheme's credential (Basic...)
  if (count(ctx, 'authorization') !== 1) return null;
  return BEARER.exec(value)?.[1] ?? null;
}

export function headerCredential(
  ctx: RequestContext,
  lowerName: string,
): string | null | undefined {
  const value = ctx.headers[lowerName];
  if (value === undefined) return undefined;
  if (Array.isArray(value) || count(ctx, lowerName) !== 1) return null;
  return value.trim();
}

/** RFC 6750 §2.3 access_token (and common aliases) in the query string. */
export function tokenInQuery(query: string): boolean {
  if (query.length === 0) return false;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    let name = eq === -1 ? pair : pair.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'access_token' || lower === 'id_token' || lower === 'jwt') return true;
  }
  return false;
}
