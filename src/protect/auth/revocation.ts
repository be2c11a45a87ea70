// The jti deny-list (RFC 7519 §4.1.7): in memory for one gateway, or in Redis so every gateway sees a
// revocation at once. Entries expire with the token, so the list stays as small as the live tokens.
// A Redis that cannot answer fails closed: the token is treated as revoked (CWE-636).
import { Redis } from 'ioredis';
import type { AuthRevocation } from '../../core/config/sections/auth.js';

export interface RevocationList {
  isRevoked(jti: string): boolean | Promise<boolean>;
  /** Revokes until `expiresAt` (epoch ms). */
  revoke(jti: string, expiresAt: number): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRevocation implements RevocationList {
  private readonly entries = new Map<string, number>();
  private readonly max: number;

  constructor(initial: readonly string[] = [], max = 1_000_000) {
    this.max = max;
    for (const jti of initial) this.entries.set(jti, Infinity);
  }

  isRevoked(jti: string): boolean {
    const until = this.entries.get(jti);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.entries.delete(jti);
    return false;
  }

  revoke(jti: string, expiresAt: number): Promise<void> {
    if (this.entries.size >= this.max) {
      const now = Date.now();
      for (const [k, until] of this.entries) if (until <= now) this.entries.delete(k);
    }
    this.entries.set(jti, expiresAt);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class RedisRevocation implements RevocationList {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(url: string, prefix: string, initial: readonly string[] = []) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2000,
      commandTimeout: 1000,
    });
    this.redis.on('error', () => undefined); // reported per call as "revoked" (fail closed)
    // Stages have no close hook yet: an idle connection must not keep a stopped gateway's process alive.
    this.redis.on('connect', () =>
      (this.redis as unknown as { stream?: { unref?(): void } }).stream?.unref?.(),
    );
    this.prefix = prefix;
    for (const jti of initial) void this.redis.set(prefix + jti, '1').catch(() => undefined);
  }

  async isRevoked(jti: string): Promise<boolean> {
    try {
      return (await this.redis.exists(this.prefix + jti)) === 1;
    } catch {
      return true;
    }
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    const ms = Math.max(1, Math.ceil(expiresAt - Date.now()));
    await this.redis.set(this.prefix + jti, '1', 'PX', ms);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }
}

export function createRevocation(config: AuthRevocation | undefined): RevocationList | undefined {
  if (!config) return undefined;
  if ((config.store ?? 'memory') === 'redis') {
    const url = config.url ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    return new RedisRevocation(url, config.prefix ?? 'bulwark:revoked:', config.jti ?? []);
  }
  return new MemoryRevocation(config.jti ?? []);
}
