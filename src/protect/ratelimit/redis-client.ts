// The ioredis client for rate limiting: fail fast while disconnected (no offline queue, no retries
// per request, short command timeout) and reconnect forever in the background, so an outage costs
// one fast failure per request until the breaker opens, never a growing queue or a hang.
import { Redis, type RedisOptions } from 'ioredis';
import type { LogFn } from './resilient-store.js';

export interface RateLimitRedisOptions {
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly log?: LogFn;
}

export function redisClientOptions(options: RateLimitRedisOptions = {}): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 100,
    connectTimeout: options.connectTimeoutMs ?? 1_000,
    // Concurrent decisions share one socket write: still one round-trip each, fewer syscalls.
    enableAutoPipelining: true,
    retryStrategy: (times: number) => Math.min(50 * times, 1_000),
  };
}

/** Creates the client and routes its connection errors to `log`, at most one line per second. */
export function createRateLimitRedis(url: string, options: RateLimitRedisOptions = {}): Redis {
  const client = new Redis(url, redisClientOptions(options));
  let lastLog = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLog < 1_000) return;
    lastLog = now;
    options.log?.('warn', 'rate-limit Redis connection error', { cause: error.message });
  });
  return client;
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export async function waitReady(client: Redis, timeoutMs = 5_000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error('Redis not ready in time'));
    }, timeoutMs);
    timer.unref(); // waiting for Redis must not keep a finished process alive
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
