// Real Redis for tests: REDIS_URL or the local default. An unreachable Redis FAILS the test (it is
// never skipped), so a CI without Redis cannot pass silently.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const cleanupsOf = new WeakMap<Redis, Array<() => Promise<unknown>>>();

export async function connectRedis(t: TestContext): Promise<Redis> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: () => null,
  });
  const cleanups: Array<() => Promise<unknown>> = [];
  cleanupsOf.set(redis, cleanups);
  // node:test runs after-hooks in registration order, so key cleanup runs inside this one hook.
  t.after(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    redis.disconnect();
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is required at ${REDIS_URL} (CI=${process.env.CI ?? ''})`, {
      cause: error,
    });
  }
  return redis;
}

/** A unique prefix per test, and cleanup of every key under it. */
export function uniquePrefix(redis: Redis): string {
  const prefix = `bulwark-test:${randomBytes(6).toString('hex')}:`;
  cleanupsOf.get(redis)?.push(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  return prefix;
}
