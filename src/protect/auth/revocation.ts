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

/** Told when the store first answers, stops answering and answers again (logs, a gauge). */
export type StoreHealth = (up: boolean, err?: Error) => void;

export class RedisRevocation implements RevocationList {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly health: StoreHealth | undefined;
  private state: 'starting' | 'up' | 'down' = 'starting';

  constructor(url: string, prefix: string, initial: readonly string[] = [], health?: StoreHealth) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2000,
      commandTimeout: 1000,
      // Names the connection in CLIENT LIST, so an operator can tell which gateway process holds it.
      connectionName: `bulwark-revocation-${process.pid}`,
    });
    this.health = health;
    // Errors are reported per call as "revoked" (fail closed) and once per outage to the operator.
    this.redis.on('error', (err: Error) => this.markDown(err));
    this.redis.on('ready', () => {
      if (this.state === 'up') return;
      this.state = 'up';
      this.health?.(true);
    });
    this.prefix = prefix;
    for (const jti of initial) void this.redis.set(prefix + jti, '1').catch(() => undefined);
  }

  private markDown(err: Error): void {
    if (this.state === 'down') return;
    this.state = 'down';
    this.health?.(false, err);
  }

  async isRevoked(jti: string): Promise<boolean> {
    try {
      return (await this.redis.exists(this.prefix + jti)) === 1;
    } catch (err) {
      this.markDown(err as Error);
      return true;
    }
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    const ms = Math.max(1, Math.ceil(expiresAt - Date.now()));
    await this.redis.set(this.prefix + jti, '1', 'PX', ms);
  }

  /** Closes the connection for good (no reconnect); called when the gateway closes. */
  close(): Promise<void> {
    this.redis.removeAllListeners('ready');
    if (this.redis.status === 'end') return Promise.resolve();
    // 'end' follows once the socket has closed. Between reconnect attempts there is no socket, and
    // disconnect only cancels the pending retry: nothing is left open, but no 'end' comes, so the
    // wait is bounded.
    const ended = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      this.redis.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.redis.disconnect(false);
    return ended;
  }

  /** ioredis' connection state ('ready', 'end'...), for tests and diagnostics. */
  get status(): string {
    return this.redis.status;
  }
}

export function createRevocation(
  config: AuthRevocation | undefined,
  health?: StoreHealth,
): RevocationList | undefined {
  if (!config) return undefined;
  if ((config.store ?? 'memory') === 'redis') {
    const url = config.url ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    return new RedisRevocation(url, config.prefix ?? 'bulwark:revoked:', config.jti ?? [], health);
  }
  return new MemoryRevocation(config.jti ?? []);
}
