import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryStore } from '../../../src/protect/ratelimit/memory-store.js';
import type { LimitSpec } from '../../../src/protect/ratelimit/types.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const spec: LimitSpec = { algorithm: 'token-bucket', limit: 5, periodMs: 60_000, burst: 5 };

test('a million distinct keys keep the table at its cap and the heap bounded', () => {
  let now = 1_000_000;
  const store = new MemoryStore({ maxKeys: 10_000, clock: () => now });
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1_000_000; i++) {
    now += 1;
    store.consumeSync(spec, `k${i}`, 1);
    if ((i & 0xffff) === 0) assert.ok(store.size <= 10_000);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.equal(store.size, 10_000);
  assert.equal(store.stats().evictions, 1_000_000 - 10_000);
  // 10,000 live entries are a few MB; a million unbounded entries would be hundreds of MB.
  assert.ok(grown < 40 * 1024 * 1024, `heap grew by ${grown} bytes`);
});

test('a hot key survives a flood of new keys (second chance) and stays limited', () => {
  let now = 0;
  const store = new MemoryStore({ maxKeys: 100, clock: () => now });
  for (let i = 0; i < 5; i++) assert.equal(store.consumeSync(spec, 'attacker', 1).allowed, true);
  for (let i = 0; i < 10_000; i++) {
    now += 1;
    store.consumeSync(spec, `flood${i}`, 1);
    if (i % 50 === 0) assert.equal(store.consumeSync(spec, 'attacker', 1).allowed, false);
  }
  assert.equal(store.size, 100);
});

test('idle keys are evicted before active ones', () => {
  let now = 0;
  const short: LimitSpec = { algorithm: 'fixed-window', limit: 5, periodMs: 10, burst: 5 };
  const store = new MemoryStore({ maxKeys: 3, clock: () => now });
  store.consumeSync(short, 'old', 1);
  store.consumeSync(spec, 'a', 1);
  store.consumeSync(spec, 'b', 1);
  now = 100; // 'old' has reset: its state equals a fresh one
  store.consumeSync(spec, 'c', 1);
  for (let i = 0; i < 4; i++) store.consumeSync(spec, 'a', 1);
  assert.equal(store.consumeSync(spec, 'a', 1).allowed, false, 'a kept its history');
});

test('block: repeated violations ban the key for the configured time, then lift', () => {
  let now = 0;
  const blocking: LimitSpec = {
    algorithm: 'fixed-window',
    limit: 2,
    periodMs: 1_000,
    burst: 2,
    block: { after: 3, withinMs: 10_000, durationMs: 60_000 },
  };
  const store = new MemoryStore({ clock: () => now });
  store.consumeSync(blocking, 'k', 1);
  store.consumeSync(blocking, 'k', 1);
  assert.equal(store.consumeSync(blocking, 'k', 1).banned, false);
  assert.equal(store.consumeSync(blocking, 'k', 1).banned, false);
  const third = store.consumeSync(blocking, 'k', 1);
  assert.deepEqual([third.allowed, third.banned, third.retryAfterMs], [false, true, 60_000]);
  now = 5_000; // the window reset, but the ban holds
  const during = store.consumeSync(blocking, 'k', 1);
  assert.deepEqual([during.allowed, during.banned, during.retryAfterMs], [false, true, 55_000]);
  now = 60_000;
  assert.equal(store.consumeSync(blocking, 'k', 1).allowed, true, 'lifted after the duration');
});

test('violations spread beyond the window do not ban', () => {
  let now = 0;
  const blocking: LimitSpec = {
    algorithm: 'fixed-window',
    limit: 1,
    periodMs: 1_000,
    burst: 1,
    block: { after: 2, withinMs: 1_000, durationMs: 60_000 },
  };
  const store = new MemoryStore({ clock: () => now });
  for (let i = 0; i < 5; i++) {
    now = i * 2_000;
    store.consumeSync(blocking, 'k', 1);
    assert.equal(store.consumeSync(blocking, 'k', 1).banned, false);
  }
});

test('refund gives units back (quota counted only on success)', async () => {
  const now = 0;
  const store = new MemoryStore({ clock: () => now });
  const q: LimitSpec = { algorithm: 'fixed-window', limit: 1, periodMs: 1_000, burst: 1 };
  assert.equal((await store.consume(q, 'k', 1)).allowed, true);
  assert.equal((await store.consume(q, 'k', 1)).allowed, false);
  await store.refund(q, 'k', 1);
  assert.equal((await store.consume(q, 'k', 1)).allowed, true);
  await store.refund(q, 'missing', 1); // no entry: a no-op, not a throw
});

test('bad capacity is refused', () => {
  assert.throws(() => new MemoryStore({ maxKeys: 0 }), RangeError);
  assert.throws(() => new MemoryStore({ maxKeys: 1.5 }), RangeError);
});
