import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { algorithms } from '../../../src/protect/ratelimit/algorithms/index.js';
import { MemoryStore } from '../../../src/protect/ratelimit/memory-store.js';
import { RedisStore } from '../../../src/protect/ratelimit/redis-store.js';
import {
  ALGORITHMS,
  type Algorithm,
  type LimitSpec,
} from '../../../src/protect/ratelimit/types.js';
import { connectRedis, uniquePrefix } from './redis-helper.js';

const spec = (algorithm: Algorithm, limit = 3, periodMs = 1_000, burst = limit): LimitSpec => ({
  algorithm,
  limit,
  periodMs,
  burst,
});

for (const algorithm of ALGORITHMS) {
  test(`${algorithm}: the Lua script decides exactly like the memory store`, async (t) => {
    const redis = await connectRedis(t);
    const prefix = uniquePrefix(redis);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1e12, max: 2e12 }),
        fc.array(
          fc.record({
            gap: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 4_000 })),
            cost: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 15 })),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (limit, periodMs, extra, t0, arrivals) => {
          const s = spec(
            algorithm,
            limit,
            periodMs,
            algorithm === 'token-bucket' || algorithm === 'gcra' ? limit + extra : limit,
          );
          let now = t0;
          const store = new RedisStore(redis, { prefix, now: () => now });
          const memory = new MemoryStore({ clock: () => now });
          const key = `prop${run++}`;
          for (const { gap, cost } of arrivals) {
            now += gap;
            assert.deepEqual(await store.consume(s, key, cost), memory.consumeSync(s, key, cost));
          }
          await store.refund(s, key, 1);
          await memory.refund(s, key, 1);
          assert.deepEqual(await store.consume(s, key, 1), memory.consumeSync(s, key, 1));
        },
      ),
      { numRuns: 40 },
    );
    void algorithms;
  });
}

test('all keys of one decision share a hash tag (one Redis Cluster slot) and expire by themselves', async (t) => {
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const store = new RedisStore(redis, { prefix });
  const s: LimitSpec = {
    ...spec('sliding-window-log', 1),
    block: { after: 1, withinMs: 5_000, durationMs: 5_000 },
  };
  const keys = store.keys(s, 'user:{evil}key');
  // Redis Cluster hashes only the text between the first '{' and the next '}' when it is non-empty.
  const tagOf = (k: string): string => {
    const open = k.indexOf('{');
    const close = k.indexOf('}', open + 1);
    assert.ok(open >= 0 && close > open + 1, `${k} has a hash tag`);
    return k.slice(open + 1, close);
  };
  assert.equal(new Set(keys.map(tagOf)).size, 1);
  assert.ok(tagOf(keys[0] as string).includes('%7Bevil%7D'), 'braces in the key are escaped');
  assert.equal((await store.consume(s, 'user:{evil}key', 1)).allowed, true);
  const denied = await store.consume(s, 'user:{evil}key', 1);
  assert.deepEqual([denied.allowed, denied.banned], [false, true]);
  for (const k of [keys[0], keys[2], keys[3]] as string[]) {
    const ttl = await redis.pttl(k);
    assert.ok(ttl > 0 && ttl <= 6_000, `${k} has a TTL (${ttl})`);
  }
});

for (const algorithm of ALGORITHMS) {
  test(`${algorithm}: state, violation and ban keys are distinct, and a ban lands like in memory`, async (t) => {
    const redis = await connectRedis(t);
    const prefix = uniquePrefix(redis);
    const now = 1.5e12;
    const store = new RedisStore(redis, { prefix, now: () => now });
    const memory = new MemoryStore({ clock: () => now });
    const s: LimitSpec = {
      ...spec(algorithm, 2),
      block: { after: 2, withinMs: 10_000, durationMs: 5_000 },
    };
    const keys = store.keys(s, 'k');
    assert.equal(new Set(keys).size, keys.length, keys.join(' '));
    // The clock stands still: the ban key's PTTL runs on Redis' own clock, not the injected one.
    for (let i = 0; i < 6; i++) {
      const [r, m] = [await store.consume(s, 'k', 1), memory.consumeSync(s, 'k', 1)];
      assert.deepEqual(
        [r.allowed, r.banned, r.remaining],
        [m.allowed, m.banned, m.remaining],
        `decision ${i}`,
      );
      assert.ok(Math.abs(r.retryAfterMs - m.retryAfterMs) <= 100, `decision ${i} retry`);
    }
    assert.equal((await store.consume(s, 'k', 1)).banned, true);
  });
}

test('Redis TIME is the clock when none is injected, and decisions are real', async (t) => {
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const store = new RedisStore(redis, { prefix });
  const s = spec('fixed-window', 2, 60_000);
  const a = await store.consume(s, 'k', 1);
  const b = await store.consume(s, 'k', 1);
  const c = await store.consume(s, 'k', 1);
  assert.deepEqual([a.allowed, b.allowed, c.allowed], [true, true, false]);
  assert.deepEqual([a.remaining, b.remaining, c.remaining], [1, 0, 0]);
  assert.ok(c.retryAfterMs > 0 && c.retryAfterMs <= 60_000);
});

test('a flushed script cache (restart, failover) falls back from EVALSHA to EVAL', async (t) => {
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const store = new RedisStore(redis, { prefix });
  const s = spec('gcra', 5, 1_000);
  assert.equal((await store.consume(s, 'k', 1)).allowed, true);
  await redis.script('FLUSH');
  assert.equal((await store.consume(s, 'k', 1)).allowed, true);
  assert.equal((await store.consume(s, 'k', 1)).remaining, 2);
});

test('a key prefix with braces is refused (it would break the hash tag)', async (t) => {
  const redis = await connectRedis(t);
  assert.throws(() => new RedisStore(redis, { prefix: 'a{b}:' }), RangeError);
});

test('fixed window: a count made in the last millisecond of a window survives a slow next call', async (t) => {
  // Regression: the key expired exactly at the window's end on Redis' clock, so a caller whose own
  // clock still stood in that window (or a slow round-trip) found its count gone.
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const now = 1_000 * 1e9 - 1; // 1 ms before a 1 s window ends
  const store = new RedisStore(redis, { prefix, now: () => now });
  const s = spec('fixed-window', 2);
  assert.equal((await store.consume(s, 'edge', 1)).remaining, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal((await store.consume(s, 'edge', 1)).remaining, 0);
  assert.equal((await store.consume(s, 'edge', 1)).allowed, false);
});

test('fixed window: the hash keeps one window field however windows are skipped (no field leak)', async (t) => {
  // The first unit of a window drops what an earlier window left: by HDEL of the (at most two)
  // fields that can still be alive for windows of 0.5 s and more, by HLEN + rewrite below that.
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  for (const periodMs of [100, 500, 1_000, 60_000]) {
    let now = 1e12;
    const store = new RedisStore(redis, { prefix, now: () => now });
    const s = spec('fixed-window', 5, periodMs);
    const key = `fields${periodMs}`;
    // The key lives one second past its window (on Redis' clock, which this injected clock does not
    // move), so a later window can meet a field at most 1 + floor(1000 / P) windows old.
    const farthest = 1 + Math.floor(1_000 / periodMs);
    for (const back of [1, 2, 1, 3, farthest, 2, 11]) {
      now += Math.min(back, farthest) * periodMs;
      assert.equal((await store.consume(s, key, 1)).allowed, true);
      assert.equal((await store.consume(s, key, 1)).remaining, 3);
      const [stateKey] = store.keys(s, key);
      assert.deepEqual(await redis.hkeys(stateKey as string), [String(Math.floor(now / periodMs))]);
    }
  }
});
