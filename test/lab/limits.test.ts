// The secure variant's in-process limiters: exact within their window, bounded in memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlidingWindow, TokenBucket } from '../../src/lab/limits.js';

test('SlidingWindow admits `limit` events per window and says how long to wait', () => {
  const w = new SlidingWindow(3, 1000);
  for (const t of [0, 100, 200]) {
    assert.equal(w.waitMs('k', t), 0);
    w.record('k', t);
  }
  assert.equal(w.waitMs('k', 300), 700, 'until the first event leaves the window');
  assert.equal(w.waitMs('other', 300), 0, 'keys are independent');
  assert.equal(w.waitMs('k', 999), 1);
  assert.equal(w.waitMs('k', 1000), 0);
  w.reset('k');
  assert.equal(w.waitMs('k', 300), 0);
});

test('TokenBucket allows a burst, then refills at its rate', () => {
  const b = new TokenBucket(2, 1);
  assert.equal(b.take('k', 0), 0);
  assert.equal(b.take('k', 0), 0);
  assert.equal(b.take('k', 0), 1000);
  assert.equal(b.take('k', 500), 500);
  assert.equal(b.take('k', 1000), 0);
  assert.deepEqual(b.peek('k', 1000), { remaining: 0, fullInSeconds: 2 });
  assert.deepEqual(b.peek('k', 2500), { remaining: 1, fullInSeconds: 1 });
  assert.deepEqual(b.peek('new', 0), { remaining: 2, fullInSeconds: 0 });
});

test('a flood of distinct keys cannot grow either limiter past maxKeys', () => {
  const b = new TokenBucket(5, 1, 1000);
  const w = new SlidingWindow(5, 60_000, 1000);
  for (let i = 0; i < 100_000; i++) {
    b.take(`ip:${i}`, i);
    w.record(`acct:${i}`, i);
  }
  assert.equal(b.size, 1000);
  assert.equal(w.size, 1000);
  // The oldest keys were evicted: a key seen again starts from a full bucket, never a blocked one.
  for (let i = 0; i < 5; i++) assert.equal(b.take('ip:0', 100_000), 0);
  assert.ok(b.take('ip:0', 100_000) > 0);
});
