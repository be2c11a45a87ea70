import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { algorithms } from '../../../src/protect/ratelimit/algorithms/index.js';
import { MemoryStore } from '../../../src/protect/ratelimit/memory-store.js';
import { RedisStore } from '../../../src/protect/ratelimit/redis-store.js';
import {
  ALGORITHMS,
  type Algorithm,
  type Decision,
  type LimitSpec,
} from '../../../src/protect/ratelimit/types.js';
import { connectRedis, uniquePrefix } from './redis-helper.js';

const spec = (algorithm: Algorithm, limit = 3, periodMs = 1_000, burst = limit): LimitSpec => ({
  algorithm,
  limit,
  periodMs,
  burst,
});

// The fixed window is left out here: its windows end when its key expires on Redis' own clock, which
// an injected clock cannot move. It has its own real-time property test below.
for (const algorithm of ALGORITHMS.filter((a) => a !== 'fixed-window')) {
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

/**
 * One fixed-window decision and the Redis time it was made at. The script reports no time, but on
 * one host Redis and the test share the wall clock: the window's end is the multiple of the period
 * nearest to the call's midpoint plus the ms the answer says are left, exact while the round-trip
 * stays under half a period (`at` is undefined, unknown, when it does not). An answer with nothing
 * left (an admitted cost of 0 on an empty window) names no window: the call's own time is used,
 * unless a boundary fell within the call, where `at` is undefined (unknown).
 */
async function timedConsume(
  store: RedisStore,
  s: LimitSpec,
  key: string,
  cost: number,
): Promise<{ decision: Decision; at: number | undefined; nearBoundary: boolean }> {
  const t0 = Date.now();
  const decision = await store.consume(s, key, cost);
  const t1 = Date.now();
  // Date.now() floors to the ms; a boundary in the ms after t1 may already be Redis' time.
  const nearBoundary = Math.floor(t0 / s.periodMs) !== Math.floor((t1 + 1) / s.periodMs);
  // A stall of half a window (a loaded CI machine) leaves the window unknown, not wrong.
  if (t1 - t0 >= s.periodMs / 2) return { decision, at: undefined, nearBoundary };
  // A denial reports the time to the window's end as its retry, an admitted answer as its reset.
  const left = decision.allowed ? decision.resetMs : decision.retryAfterMs;
  if (left === 0) return { decision, at: nearBoundary ? undefined : t0, nearBoundary };
  const end = Math.round(((t0 + t1) / 2 + left) / s.periodMs) * s.periodMs;
  return { decision, at: end - left, nearBoundary };
}

for (const clock of ['redis', 'gateway'] as const) {
  test(`fixed-window (clock: ${clock}): the Lua script decides exactly like the memory store, on real time`, async (t) => {
    const redis = await connectRedis(t);
    const prefix = uniquePrefix(redis);
    const store = new RedisStore(
      redis,
      clock === 'gateway' ? { prefix, now: Date.now } : { prefix },
    );
    let run = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 150, max: 300 }),
        fc.array(
          fc.record({
            // Percent of a period to wait first: mostly none, sometimes past one or two boundaries.
            wait: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 150 })),
            cost: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 15 })),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        async (limit, periodMs, arrivals) => {
          const s = spec('fixed-window', limit, periodMs);
          let now = 0;
          const memory = new MemoryStore({ clock: () => now });
          const key = `real${run++}`;
          const strip = ({ at: _at, ...rest }: Decision): Omit<Decision, 'at'> => rest;
          for (const { wait, cost } of arrivals) {
            if (wait > 0) await sleep((wait * periodMs) / 100);
            const { decision, at, nearBoundary } = await timedConsume(store, s, key, cost);
            // With the gateway's clock a window ends on Redis a round-trip after it ends on the
            // gateway (the expiry is relative), so a decision sent within that round-trip of a
            // boundary may count in either window: the run stops comparing there, as it does when
            // an answer names no window.
            if (at === undefined || (clock === 'gateway' && nearBoundary)) return;
            now = at;
            assert.deepEqual(strip(decision), strip(memory.consumeSync(s, key, cost)));
            compared++;
          }
          await store.refund(s, key, 1);
          const { decision, at, nearBoundary } = await timedConsume(store, s, key, 1);
          if (at === undefined || (clock === 'gateway' && nearBoundary)) return;
          now = at;
          await memory.refund(s, key, 1);
          assert.deepEqual(strip(decision), strip(memory.consumeSync(s, key, 1)));
          compared++;
        },
      ),
      { numRuns: 10 },
    );
    // Runs stop comparing at an unknown window; most decisions must still have been compared
    // (10 runs of 1 to 10 arrivals and a refund: about 65 on average, few stop early).
    assert.ok(compared >= 10, `${compared} decisions compared`);
  });
}

test("fixed window: the counter is one string that expires at the aligned end of its window on Redis' clock", async (t) => {
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const store = new RedisStore(redis, { prefix });
  const s = spec('fixed-window', 5, 60_000);
  const [stateKey] = store.keys(s, 'aligned') as [string];
  const [sec] = await redis.time();
  const before = Number(sec) * 1000;
  const d = await store.consume(s, 'aligned', 2);
  assert.equal(d.remaining, 3);
  assert.equal(await redis.type(stateKey), 'string');
  assert.equal(await redis.get(stateKey), '2');
  const expiresAt = Number(await redis.call('PEXPIRETIME', stateKey));
  assert.equal(expiresAt % 60_000, 0, `expiry ${expiresAt} is on a window boundary`);
  assert.ok(expiresAt > before && expiresAt <= before + 61_000, `expiry ${expiresAt}`);
  // Later decisions read the time left from the key itself: the same end.
  const e = await store.consume(s, 'aligned', 1);
  assert.ok(Math.abs(e.resetMs - d.resetMs) < 1_000 && e.resetMs <= d.resetMs, `${e.resetMs}`);
  assert.equal(Number(await redis.call('PEXPIRETIME', stateKey)), expiresAt);
});

test("fixed window (clock: gateway): the first unit sets the expiry from the gateway's time", async (t) => {
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const now = 1_000 * 1e9 - 7; // 7 ms before a 1 s window ends, on the gateway's clock
  const store = new RedisStore(redis, { prefix, now: () => now });
  const s = spec('fixed-window', 2);
  const d = await store.consume(s, 'edge', 1);
  assert.deepEqual([d.remaining, d.resetMs, d.at], [1, 7, now]);
  const ttl = await redis.pttl(store.keys(s, 'edge')[0] as string);
  assert.ok(ttl > 0 && ttl <= 7, `ttl ${ttl}`);
});

test('fixed window: a counter left without expiry gets one, and counting goes on from it', async (t) => {
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const store = new RedisStore(redis, { prefix });
  const s = spec('fixed-window', 5, 60_000);
  const [stateKey] = store.keys(s, 'bare') as [string];
  await redis.set(stateKey, '3');
  const d = await store.consume(s, 'bare', 1);
  assert.equal(d.remaining, 1);
  const ttl = await redis.pttl(stateKey);
  assert.ok(ttl > 0 && ttl <= 60_000, `ttl ${ttl}`);
  assert.ok(d.resetMs > 0 && d.resetMs <= 60_000);
});

test('fixed window: a denial takes its units back, and a refund never goes below zero nor creates a key', async (t) => {
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const store = new RedisStore(redis, { prefix });
  const s = spec('fixed-window', 3, 60_000);
  const [stateKey] = store.keys(s, 'back') as [string];
  await store.refund(s, 'back', 2);
  assert.equal(await redis.exists(stateKey), 0, 'a refund on no window writes nothing');
  assert.equal((await store.consume(s, 'back', 2)).remaining, 1);
  const denied = await store.consume(s, 'back', 2);
  assert.deepEqual([denied.allowed, denied.remaining], [false, 1]);
  assert.ok(denied.retryAfterMs > 0 && denied.retryAfterMs <= 60_000);
  assert.equal(await redis.get(stateKey), '2');
  await store.refund(s, 'back', 5);
  assert.equal(await redis.get(stateKey), '0');
  assert.ok((await redis.pttl(stateKey)) > 0, 'the refund kept the expiry');
  assert.equal((await store.consume(s, 'back', 3)).remaining, 0);
});

test('fixed window: the hash an earlier version kept is left alone (no WRONGTYPE after an upgrade)', async (t) => {
  // Versions before 2026-11-29 kept a hash under ":fw:s"; the string counter lives under ":fw:t".
  const redis = await connectRedis(t);
  const prefix = uniquePrefix(redis);
  const store = new RedisStore(redis, { prefix });
  const s = spec('fixed-window', 3, 60_000);
  const [stateKey] = store.keys(s, 'old') as [string];
  assert.ok(stateKey.endsWith(':fw:t'), stateKey);
  await redis.hset(stateKey.replace(/:t$/, ':s'), '1', '2');
  assert.equal((await store.consume(s, 'old', 1)).remaining, 2);
});
