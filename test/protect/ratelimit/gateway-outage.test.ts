// A Redis outage through the real gateway, as an operator sees it: a private redis-server is killed
// mid-traffic and restarted. The admin port's /metrics shows the breaker open and the store errors,
// the log has the transition lines (not a line per request), the gateway recovers by itself, and
// closing it leaves no connection on Redis.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { RateLimitConfig } from '../../../src/core/config/sections/ratelimit.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/index.js';
import { LogSink, openapi, startUpstream } from '../helpers.js';
import { startPrivateRedis, type PrivateRedis } from './redis-server-helper.js';

const model = openapi({
  '/item': { get: { operationId: 'getItem', responses: { '200': { description: 'ok' } } } },
});

/** One sample of a metric from the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Clients connected to the private Redis, other than the one asking. */
async function redisClients(server: PrivateRedis): Promise<number> {
  const probe = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    const list = (await probe.client('LIST')) as string;
    return list.split('\n').filter((l) => l.includes('cmd=') && !l.includes('cmd=client')).length;
  } finally {
    probe.disconnect();
  }
}

test('Redis killed mid-traffic: /metrics and the log show the outage, it recovers, close releases Redis', async (t) => {
  const server = await startPrivateRedis(t);
  const upstream = await startUpstream(t, (_req, res) => res.end('{}'));
  const logs = new LogSink();
  const rateLimit: RateLimitConfig = {
    store: {
      type: 'redis',
      url: server.url,
      failMode: 'open',
      timeout: '500ms',
      breaker: { failures: 3, cooldown: '100ms' },
    },
    rules: [{ name: 'per-client', key: ['address'], limit: 1_000_000, period: '1h' }],
  };
  const gw = await startProtect({
    model,
    upstream: upstream.url,
    port: 0,
    adminPort: 0,
    config: { rateLimit },
    logger: createLogger(logs),
  });
  let closed = false;
  t.after(() => (closed ? undefined : gw.close()));
  const metrics = async () => (await fetch(`${gw.adminUrl}/metrics`)).text();
  const fire = async (n: number) => {
    const answers = await Promise.all(
      Array.from({ length: n }, () => fetch(`${gw.url}/item`).then((r) => r.status)),
    );
    return answers;
  };
  const state = (text: string, s: string) =>
    sample(text, 'bulwark_ratelimit_store_state', `state="${s}"`);

  assert.deepEqual(new Set(await fire(20)), new Set([200]));
  assert.equal(state(await metrics(), 'closed'), 1, 'the gauge exists before any outage');
  assert.equal(await redisClients(server), 1, 'the gateway holds one connection');

  // Kill Redis while a batch is in flight, then keep the traffic going: fail-open admits all of it.
  const inFlight = fire(20);
  await server.kill();
  const during = [...(await inFlight)];
  for (let i = 0; i < 10; i++) during.push(...(await fire(20)));
  assert.deepEqual(new Set(during), new Set([200]), 'fail-open: nothing refused, nothing hangs');

  const down = await metrics();
  assert.equal(state(down, 'open'), 1, down);
  assert.equal(state(down, 'closed'), 0);
  assert.ok(sample(down, 'bulwark_ratelimit_store_errors_total', 'store="redis"') >= 3, down);
  assert.ok(sample(down, 'bulwark_ratelimit_breaker_transitions_total', 'to="open"') >= 1);
  const failOpen = sample(down, 'bulwark_ratelimit_degraded_decisions_total', 'decision="allow"');
  assert.ok(failOpen >= 150, `fail-open decisions: ${failOpen}`);
  const messages = () => logs.records().map((r) => String(r['msg']));
  const count = (m: string) => messages().filter((x) => x === m).length;
  assert.equal(count('rate-limit store unavailable; circuit breaker open'), 1);
  // One fail-open line (throttled), not one per request.
  const failOpenLines = count('rate-limit store unavailable; fail-open: admitting without a limit');
  assert.ok(failOpenLines >= 1 && failOpenLines <= 2, `fail-open lines: ${failOpenLines}`);
  const ours = logs.records().filter((r) => r['component'] === 'rate-limit');
  assert.ok(ours.length <= 8, `${ours.length} rate-limit lines for ${during.length} requests`);

  // Redis returns: the breaker's probe closes it and the metric goes back to closed.
  await server.start();
  let recovered = false;
  for (let i = 0; i < 200 && !recovered; i++) {
    await fire(2);
    recovered = state(await metrics(), 'closed') === 1;
    if (!recovered) await sleep(50);
  }
  assert.ok(recovered, 'recovers by itself');
  const up = await metrics();
  assert.equal(state(up, 'open'), 0);
  assert.ok(sample(up, 'bulwark_ratelimit_breaker_transitions_total', 'to="closed"') >= 1);
  assert.equal(count('rate-limit store recovered; circuit breaker closed'), 1);
  const record = logs
    .records()
    .find((r) => r['msg'] === 'rate-limit store recovered; circuit breaker closed');
  assert.equal(record?.['component'], 'rate-limit');
  assert.equal(await redisClients(server), 1, 'one connection again after the restart');

  // Closing the gateway closes the shared toolkit once and leaves nothing on Redis.
  await gw.close();
  closed = true;
  let left = await redisClients(server);
  for (let i = 0; i < 40 && left > 0; i++) {
    await sleep(25);
    left = await redisClients(server);
  }
  assert.equal(left, 0, 'no Redis connection left after close');
});

test('a refused rate-limit config does not leave a Redis connection open', async (t) => {
  const server = await startPrivateRedis(t);
  const upstream = await startUpstream(t, (_req, res) => res.end('{}'));
  const costly = openapi({
    '/item': {
      get: {
        operationId: 'getItem',
        'x-bulwark-cost': 50,
        responses: { '200': { description: 'ok' } },
      },
    },
  });
  await assert.rejects(
    startProtect({
      model: costly,
      upstream: upstream.url,
      port: 0,
      config: {
        rateLimit: {
          store: { type: 'redis', url: server.url },
          rules: [{ name: 'small', key: ['address'], limit: 10, period: '1s' }],
        },
      },
      logger: createLogger(new LogSink()),
    }),
    { code: 'BULWARK_ERR_CONFIG_INVALID' },
  );
  let left = await redisClients(server);
  for (let i = 0; i < 40 && left > 0; i++) {
    await sleep(25);
    left = await redisClients(server);
  }
  assert.equal(left, 0);
});
