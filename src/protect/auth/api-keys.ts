// API keys (header only): stored as salted digests, never in plain text (CWE-256). hmac-sha256 digests
// use a server-side pepper and are found by digest in O(1); scrypt digests (RFC 7914) are found by
// the key's id prefix (`<id>.<secret>`) and compared in constant time. Each key has its own identity,
// roles and scopes, and a validity window (notBefore/expires) so a new key can overlap the old one
// during rotation.
import { createHmac, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AuthApiKey, AuthApiKeyScheme } from '../../core/config/sections/auth.js';
import { BulwarkError } from '../../core/errors.js';
import type { AuthIdentity } from './types.js';
import { fail, type VerifyResult } from './types.js';

export const MAX_KEY_BYTES = 256;

interface Entry {
  readonly key: AuthApiKey;
  readonly identity: AuthIdentity;
  readonly notBefore: number;
  readonly expires: number;
  readonly scrypt?: { N: number; r: number; p: number; salt: Buffer; hash: Buffer } | undefined;
}

export function hmacDigest(pepper: string, key: string): string {
  return `hmac-sha256:${createHmac('sha256', pepper).update(key).digest('base64url')}`;
}

function parseScrypt(digest: string): NonNullable<Entry['scrypt']> {
  const [, n, r, p, salt, hash] = digest.split(':');
  const N = Number(n);
  // Bounds keep a hostile config from making each check take seconds or gigabytes.
  if (!(N >= 1024 && N <= 1_048_576 && (N & (N - 1)) === 0) || Number(r) > 32 || Number(p) > 16) {
    throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', 'apiKeys: scrypt parameters out of range');
  }
  return {
    N,
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt ?? '', 'base64url'),
    hash: Buffer.from(hash ?? '', 'base64url'),
  };
}

function time(value: string | undefined, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `${where}: not a date`);
  return t;
}

export class ApiKeyVerifier {
  private readonly byDigest = new Map<string, Entry>();
  private readonly byId = new Map<string, Entry>();
  private readonly pepper: string | undefined;

  constructor(name: string, scheme: AuthApiKeyScheme) {
    this.pepper = scheme.pepper;
    for (const key of scheme.apiKeys) {
      const where = `auth.schemes.${name}.apiKeys.${key.id}`;
      if (this.byId.has(key.id)) {
        throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `${where}: duplicate key id`);
      }
      const entry: Entry = {
        key,
        notBefore: time(key.notBefore, -Infinity, where),
        expires: time(key.expires, Infinity, where),
        identity: Object.freeze({
          subject: key.subject ?? key.id,
          scheme: name,
          roles: Object.freeze([...(key.roles ?? [])]),
          scopes: Object.freeze([...(key.scopes ?? [])]),
          scoped: key.scopes !== undefined,
          claims: Object.freeze({ sub: key.subject ?? key.id, key_id: key.id }),
        }),
        ...(key.digest.startsWith('scrypt:') ? { scrypt: parseScrypt(key.digest) } : {}),
      };
      if (!entry.scrypt) {
        if (!this.pepper) {
          throw new BulwarkError(
            'BULWARK_ERR_CONFIG_INVALID',
            `${where}: hmac-sha256 digests need the scheme's pepper`,
          );
        }
        this.byDigest.set(key.digest, entry);
      }
      this.byId.set(key.id, entry);
    }
  }

  verify(presented: string, now = Date.now()): VerifyResult {
    if (presented.length === 0 || presented.length > MAX_KEY_BYTES) return fail('malformed key');
    let entry = this.pepper ? this.byDigest.get(hmacDigest(this.pepper, presented)) : undefined;
    if (!entry) {
      const dot = presented.indexOf('.');
      const candidate = dot > 0 ? this.byId.get(presented.slice(0, dot)) : undefined;
      const s = candidate?.scrypt;
      if (s) {
        const got = scryptSync(presented, s.salt, s.hash.length, {
          N: s.N,
          r: s.r,
          p: s.p,
          maxmem: 256 * s.N * s.r + 1_048_576,
        });
        if (got.length === s.hash.length && timingSafeEqual(got, s.hash)) entry = candidate;
      }
    }
    if (!entry) return fail('unknown key');
    if (now < entry.notBefore) return fail(`key ${entry.key.id} not yet valid`);
    if (now >= entry.expires) return fail(`key ${entry.key.id} expired`);
    return { ok: true, value: { identity: entry.identity, expiresAt: entry.expires } };
  }
}
