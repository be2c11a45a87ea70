// Response comparison for confirmation. Authorization checks compare an attacker's answer with the
// rightful owner's: equal content is proof the object was disclosed, not a look-alike error page.
import { isDeepStrictEqual } from 'node:util';
import type { ScanResponse } from '../types.js';

/** A 2xx answer. The brand keeps a failed `ok()` from narrowing a response to `never`. */
export type OkResponse = ScanResponse & { readonly __ok2xx: true };

export function ok(response: ScanResponse | undefined): response is OkResponse {
  return response !== undefined && response.status >= 200 && response.status < 300;
}

/**
 * The target refused to serve the request now rather than answering it: 429 (RFC 6585 §4), or 503
 * with Retry-After (RFC 9110 §15.6.4). Such an answer says nothing about the thing a check tests, so
 * it is neither a pass nor a finding, only evidence that the operation is rate-limited.
 */
export function isThrottled(response: ScanResponse | undefined): boolean {
  if (response === undefined) return false;
  return (
    response.status === 429 ||
    (response.status === 503 && response.headers['retry-after'] !== undefined)
  );
}

/** Same JSON (ignoring volatile fields), or the same text when not JSON. */
export function sameContent(a: ScanResponse, b: ScanResponse): boolean {
  if (a.json !== undefined && b.json !== undefined) {
    return isDeepStrictEqual(stripVolatile(a.json), stripVolatile(b.json));
  }
  return a.text === b.text && a.text !== '';
}

const VOLATILE = /^(updated_?at|timestamp|request_?id|trace_?id|now|time|server_?time|etag)$/i;

function stripVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripVolatile);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!VOLATILE.test(k)) out[k] = stripVolatile(v);
  return out;
}

/** A body normalised so two error answers can be compared without ids, times or numbers. */
export function normalisedBody(response: ScanResponse): string {
  return response.text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, 'UUID')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z?/g, 'TIME')
    .replace(/\d+/g, 'N')
    .replace(/"(instance|request_?id|trace_?id)"\s*:\s*"[^"]*"/gi, '"$1":"X"');
}

export function containsMarker(response: ScanResponse | undefined, marker: string): boolean {
  return response !== undefined && response.text.includes(marker);
}

/** Walks JSON with the path to each key. */
export function walkJson(
  value: unknown,
  visit: (key: string, value: unknown, path: string) => void,
  path = '',
  depth = 0,
): void {
  if (depth > 32) return;
  if (Array.isArray(value)) {
    value.slice(0, 50).forEach((v, i) => walkJson(v, visit, `${path}/${i}`, depth + 1));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    visit(k, v, `${path}/${k}`);
    walkJson(v, visit, `${path}/${k}`, depth + 1);
  }
}
