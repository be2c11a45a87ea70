// Rate-limit keys. A key is the rule name plus one encoded value per key part, so two rules never
// share counters and a value can never forge another part's boundary ('|' and '%' are escaped; long
// untrusted values such as headers are hashed to a fixed size so they cannot bloat the store).
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { LimitRequest } from './request.js';

export type KeyPart =
  | { readonly kind: 'identity' | 'address' | 'operation' | 'group' | 'global' }
  | { readonly kind: 'header' | 'claim'; readonly name: string };

export type OnMissingKey = 'address' | 'skip' | 'shared';

export function parseKeyPart(text: string): KeyPart {
  const colon = text.indexOf(':');
  if (colon === -1)
    return { kind: text as 'identity' | 'address' | 'operation' | 'group' | 'global' };
  const kind = text.slice(0, colon) as 'header' | 'claim';
  const name = text.slice(colon + 1);
  return { kind, name: kind === 'header' ? name.toLowerCase() : name };
}

const MAX_VALUE = 128;

export function encodeValue(value: string): string {
  if (value.length > MAX_VALUE)
    return `#${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
  return /[|%{}\s#]/.test(value)
    ? value.replace(/[|%{}\s#]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    : value;
}

/**
 * The client address as a key: IPv4-mapped IPv6 becomes IPv4, and IPv6 is keyed on its /64 by
 * default, since one host usually owns a whole /64 and could otherwise rotate through 2^64 keys.
 */
export function addressKey(address: string, ipv6Prefix = 64): string {
  if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) return address.slice(7);
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  const keep = Math.ceil(ipv6Prefix / 16);
  return `${groups.slice(0, keep).join(':')}::/${ipv6Prefix}`;
}

function expandIpv6(address: string): string[] {
  let text = address.split('%')[0] ?? address; // drop a zone id
  // An embedded IPv4 tail (::1.2.3.4) becomes two hextets.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => (parseInt(g, 16) || 0).toString(16));
}

/** The value of one key part, or undefined when the request does not have it. */
export function partValue(part: KeyPart, req: LimitRequest): string | undefined {
  switch (part.kind) {
    case 'identity':
      return req.subject === undefined ? undefined : `i:${encodeValue(req.subject)}`;
    case 'address':
      return `a:${encodeValue(addressKey(req.clientAddress))}`;
    case 'operation':
      return `o:${encodeValue(req.operationId ?? req.operationKey)}`;
    case 'group':
      return req.group === undefined ? undefined : `g:${encodeValue(req.group)}`;
    case 'global':
      return '*';
    case 'header': {
      const value = req.header(part.name);
      return value === undefined || value === '' ? undefined : `h:${encodeValue(value)}`;
    }
    case 'claim': {
      const value = req.claim(part.name);
      if (value === undefined || value === null) return undefined;
      return `c:${encodeValue(typeof value === 'string' ? value : JSON.stringify(value))}`;
    }
  }
}

/** The full key of a rule for a request, or undefined when the rule is skipped. */
export function buildKey(
  name: string,
  parts: readonly KeyPart[],
  onMissing: OnMissingKey,
  req: LimitRequest,
): string | undefined {
  let key = name;
  for (const part of parts) {
    let value = partValue(part, req);
    if (value === undefined) {
      if (onMissing === 'skip') return undefined;
      value = onMissing === 'address' ? `a:${encodeValue(addressKey(req.clientAddress))}` : '-';
    }
    key += `|${value}`;
  }
  return key;
}
