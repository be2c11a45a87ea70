// Redis killed mid-traffic and restarted: decisions follow the fail mode during the outage, nothing
// throws or hangs, and exact decisions resume by themselves once Redis is back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisStore } from '../../../src/protect/ratelimit/redis-store.js';
import { createRateLimitRedis, waitReady } from '../../../src/protect/ratelimit/redis-client.js';
import { ResilientStore, type FailMode } from '../../../src/protect/ratelimit/resilient-store.js';
import type { LimitSpec, RateLimitEvent } from '../../../src/protect/ratelimit/types.js';
import { startPrivateRedis } from './redis-server-helper.js';

const spec: LimitSpec = {
  algorithm: 'fixed-window',
  limit: 1_000_000,
  periodMs: 3_600_000,
  burst: 1_000_000,
};

for (const failMode of ['open', 'closed'] as FailMode[]) {
  test(`fail ${failMode}: Redis killed mid-traffic and restarted`, async (t) => {
    const server = await startPrivateRedis(t);
    const events: RateLimitEvent[] = [];
    const logs: string[] = [];
    const client = createRateLimitRedis(server.url, {
      commandTimeoutMs: 1_000, // generous: the shared CI machine is slow; failures here are fast anyway
      log: (level, message) => logs.push(`${level} ${message}`),
    });
    t.after(() => client.disconnect());
    await waitReady(client);
    const store = new ResilientStore(new RedisStore(client, { prefix: 'outage:' }), {
      failMode,
      timeoutMs: 1_000,
      breaker: { failureThreshold: 3, cooldownMs: 200 },
      onEvent: (e) => events.push(e),
      log: (level, message) => logs.push(`${level} ${message}`),
    });
    const fire = async (n: number) =>
      Promise.all(Array.from({ length: n }, () => store.consume(spec, 'k', 1)));

    const before = await fire(50);
    assert.ok(before.every((d) => d.allowed && d.degraded === undefined));
    assert.equal(before.map((d) => d.remaining).sort((a, b) => a - b)[0], 1_000_000 - 50);

    // Kill while a batch is in flight.
    const inFlight = fire(50);
    await server.kill();
    const during = [...(await inFlight), ...(await fire(50))];
    for (let i = 0; i < 5; i++) during.push(...(await fire(20)));
    const degraded = during.filter((d) => d.degraded);
    assert.ok(degraded.length >= 100, `degraded decisions during the outage: ${degraded.length}`);
    assert.ok(degraded.every((d) => d.allowed === (failMode === 'open')));
    assert.ok(events.some((e) => e.type === 'breaker-open'));
    assert.ok(logs.some((l) => l.startsWith('warn the rate-limit store failed or timed out')));
    // Reconnect attempts fail while Redis is down; the client reports them (rate-limited) to the log.
    for (let i = 0; i < 100 && !logs.some((l) => l.startsWith('warn rate-limit Redis')); i++)
      await sleep(20);
    assert.ok(logs.some((l) => l.startsWith('warn rate-limit Redis connection error')));

    await server.start();
    let recovered = false;
    for (let i = 0; i < 200 && !recovered; i++) {
      await sleep(50);
      recovered = (await store.consume(spec, 'after', 1)).degraded === undefined;
    }
    assert.ok(recovered, 'recovers by itself');
    assert.equal(store.breaker.state, 'closed');
    assert.ok(events.some((e) => e.type === 'breaker-closed'));
    const after = await fire(10);
    assert.ok(after.every((d) => d.allowed && d.degraded === undefined));
    // The restarted Redis has no persistence (--save ''), so the count started again from zero.
    assert.equal(Math.min(...after.map((d) => d.remaining)), 1_000_000 - 10);
  });
}
