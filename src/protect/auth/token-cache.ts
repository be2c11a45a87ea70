// Verified-credential cache keyed by the SHA-256 of the credential (the credential itself is never
// kept). An entry lives until the token's exp or maxMs, whichever is first, and the map is bounded
// (oldest out first), so the cache never accepts what the verifier would refuse by time; key
// rotation drops entries by kid and revocation is checked on every hit by the caller.
import { hash } from 'node:crypto';
import type { Verified } from './types.js';

export class TokenCache {
  private readonly entries = new Map<string, Verified>();
  private readonly max: number;
  private readonly maxMs: number;

  constructor(maxEntries: number, maxMs: number) {
    this.max = maxEntries;
    this.maxMs = maxMs;
  }

  static key(credential: string): string {
    // One-shot hash: no Hash object per request (this runs on every authenticated request).
    return hash('sha256', credential, 'base64url');
  }

  get(key: string, now = Date.now()): Verified | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    if (now >= hit.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  set(key: string, value: Verified, now = Date.now()): void {
    if (this.max === 0) return;
    const expiresAt = Math.min(value.expiresAt, now + this.maxMs);
    if (expiresAt <= now) return;
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { ...value, expiresAt });
  }

  /** Drops every entry verified with one of these kids (the key rotated out of the JWKS). */
  dropKids(kids: readonly (string | undefined)[]): void {
    for (const [k, v] of this.entries) if (kids.includes(v.kid)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }
}
