import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker, type BreakerState } from '../../../src/protect/ratelimit/breaker.js';
import { ResilientStore } from '../../../src/protect/ratelimit/resilient-store.js';
import type {
  Decision,
  LimitSpec,
  RateLimitEvent,
  RateLimitStore,
} from '../../../src/protect/ratelimit/types.js';
import { isBulwarkError } from '../../../src/core/errors.js';

test('opens after the threshold, probes once after the cooldown, closes on success', () => {
  let now = 0;
  const changes: BreakerState[] = [];
  const b = new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 1_000,
    clock: () => now,
    onStateChange: (s) => changes.push(s),
  });
  b.failure();
  b.failure();
  assert.equal(b.allow(), true);
  b.failure();
  assert.equal(b.state, 'open');
  assert.equal(b.allow(), false);
  assert.equal(b.retryInMs(), 1_000);
  now = 1_000;
  assert.equal(b.allow(), true, 'one probe');
  assert.equal(b.allow(), false, 'only one probe at a time');
  b.failure();
  assert.equal(b.state, 'open', 'a failed probe re-opens');
  now = 2_000;
  assert.equal(b.allow(), true);
  b.success();
  assert.equal(b.state, 'closed');
  assert.deepEqual(changes, ['open', 'half-open', 'open', 'half-open', 'closed']);
});

test('a success resets the consecutive failure count', () => {
  const b = new CircuitBreaker({ failureThreshold: 2 });
  b.failure();
  b.success();
  b.failure();
  assert.equal(b.state, 'closed');
  assert.throws(() => new CircuitBreaker({ failureThreshold: 0 }), RangeError);
});

/** A store that fails or hangs on demand. */
class FlakyStore implements RateLimitStore {
  mode: 'ok' | 'error' | 'hang' = 'ok';
  calls = 0;
  consume(spec: LimitSpec): Promise<Decision> {
    this.calls++;
    if (this.mode === 'error') return Promise.reject(new Error('ECONNREFUSED'));
    if (this.mode === 'hang') return new Promise(() => undefined);
    return Promise.resolve({
      allowed: true,
      limit: spec.limit,
      remaining: 1,
      resetMs: 1,
      retryAfterMs: 0,
      banned: false,
      at: 0,
    });
  }
  refund(): Promise<void> {
    return this.mode === 'ok' ? Promise.resolve() : Promise.reject(new Error('down'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const spec: LimitSpec = { algorithm: 'fixed-window', limit: 2, periodMs: 60_000, burst: 2 };

for (const failMode of ['open', 'closed', 'local'] as const) {
  test(`fail ${failMode}: errors and hangs give degraded decisions, the breaker stops the calls, events and logs report it`, async () => {
    const inner = new FlakyStore();
    const events: RateLimitEvent[] = [];
    const logs: string[] = [];
    const store = new ResilientStore(inner, {
      failMode,
      timeoutMs: 20,
      breaker: { failureThreshold: 2, cooldownMs: 60_000 },
      onEvent: (e) => events.push(e),
      log: (level, message) => logs.push(`${level}:${message}`),
    });
    assert.equal((await store.consume(spec, 'k', 1)).degraded, undefined);
    inner.mode = 'hang';
    const first = await store.consume(spec, 'k', 1);
    inner.mode = 'error';
    await store.consume(spec, 'k', 1);
    assert.equal(store.breaker.state, 'open');
    const callsWhenOpen = inner.calls;
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await store.consume(spec, 'k', 1));
    assert.equal(inner.calls, callsWhenOpen, 'an open breaker does not call the store');
    assert.equal(first.degraded, true);
    const allowed = decisions.map((d) => d.allowed);
    if (failMode === 'open') assert.ok(allowed.every(Boolean));
    if (failMode === 'closed') {
      assert.ok(allowed.every((a) => !a));
      assert.ok(decisions.every((d) => d.retryAfterMs >= 1_000));
    }
    // local: the per-process store enforces the limit (2) on its own.
    if (failMode === 'local') assert.deepEqual(allowed, [false, false, false, false, false]);
    const storeErrors = events.filter((e) => e.type === 'store-error');
    assert.equal(storeErrors.length, 2);
    assert.ok(
      storeErrors.every(
        (e) =>
          e.type === 'store-error' &&
          isBulwarkError(e.error) &&
          e.error.code === 'BULWARK_ERR_RATELIMIT_STORE',
      ),
    );
    assert.ok(events.some((e) => e.type === 'breaker-open'));
    // Each failure's cause is logged; the transitions are events (observe.ts logs them).
    assert.equal(
      logs.filter((l) => l === 'warn:the rate-limit store failed or timed out').length,
      2,
    );
    await store.refund(spec, 'k', 1); // breaker open: a no-op, never a throw
  });
}

test('a throwing event or log hook never breaks a decision', async () => {
  const inner = new FlakyStore();
  inner.mode = 'error';
  const store = new ResilientStore(inner, {
    failMode: 'open',
    onEvent: () => {
      throw new Error('metrics down');
    },
    log: () => {
      throw new Error('log down');
    },
  });
  assert.equal((await store.consume(spec, 'k', 1)).allowed, true);
});

test('before the store is first ready, decisions wait for it instead of taking the fail mode', async () => {
  const inner = new FlakyStore();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const store = new ResilientStore(inner, { failMode: 'closed', timeoutMs: 5_000, ready });
  const pending = store.consume(spec, 'k', 1);
  assert.equal(inner.calls, 0, 'nothing sent before the connection is up');
  markReady();
  const d = await pending;
  assert.deepEqual([d.allowed, d.degraded], [true, undefined]);
});

test('a store that never becomes ready times out into the fail mode', async () => {
  const store = new ResilientStore(new FlakyStore(), {
    failMode: 'closed',
    timeoutMs: 10,
    ready: new Promise(() => undefined),
  });
  const d = await store.consume(spec, 'k', 1);
  assert.deepEqual([d.allowed, d.degraded], [false, true]);
});
