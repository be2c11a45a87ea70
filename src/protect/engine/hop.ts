// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded, nor is any
// header the sender names in `Connection`. `Proxy-Connection` is legacy but still seen in attacks.
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Header names listed in a Connection header value, lower-cased. */
export function connectionTokens(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (text === '' || text.toLowerCase() === 'keep-alive' || text.toLowerCase() === 'close') {
    return undefined;
  }
  return text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/** Removes hop-by-hop headers from a lower-case header object in place. */
export function stripHopByHop(headers: Record<string, unknown>): void {
  const named = connectionTokens(headers['connection'] as string | string[] | undefined);
  if (named) for (const n of named) delete headers[n];
  for (const h of HOP_BY_HOP) delete headers[h];
}
