// Events become metrics and log lines: repeated lines are throttled with a count of what was held
// back, outage boundaries are always logged, and metrics are registered once per registry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { observeResourceControls } from '../../../src/protect/ratelimit/observe.js';
import { LogSink } from '../helpers.js';

function setup() {
  const sink = new LogSink();
  const metrics = new Registry();
  let now = 1_000_000;
  const hooks = observeResourceControls(
    { logger: createLogger(sink), metrics },
    { intervalMs: 10_000, clock: () => now },
  );
  return {
    sink,
    metrics,
    hooks,
    advance: (ms: number) => (now += ms),
    lines: () => sink.records().filter((r) => r['component'] === 'rate-limit'),
  };
}

const value = async (metrics: Registry, name: string, labels: Record<string, string>) => {
  const metric = metrics.getSingleMetric(name);
  assert.ok(metric, name);
  const data = await metric.get();
  const found = data.values.find((v) =>
    Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x),
  );
  return found?.value ?? 0;
};

test('a flood of fail-open decisions is one line per interval, with the count held back', async () => {
  const s = setup();
  for (let i = 0; i < 1000; i++)
    s.hooks.onEvent({ type: 'degraded-decision', store: 'redis', allowed: true });
  assert.equal(s.lines().length, 1);
  s.advance(10_000);
  s.hooks.onEvent({ type: 'degraded-decision', store: 'redis', allowed: true });
  const lines = s.lines();
  assert.equal(lines.length, 2);
  assert.equal(lines[1]?.['suppressed'], 999);
  assert.equal(
    lines[1]?.['msg'],
    'rate-limit store unavailable; fail-open: admitting without a limit',
  );
  assert.equal(
    await value(s.metrics, 'bulwark_ratelimit_degraded_decisions_total', { decision: 'allow' }),
    1001,
    'every decision is counted, even when its line is not written',
  );
});

test('breaker boundaries are always logged; re-opens within one outage are throttled', async () => {
  const s = setup();
  const event = (type: 'breaker-open' | 'breaker-half-open' | 'breaker-closed') =>
    s.hooks.onEvent({ type, store: 'redis' });
  s.hooks.storeStarted('redis');
  assert.equal(await value(s.metrics, 'bulwark_ratelimit_store_state', { state: 'closed' }), 1);
  event('breaker-open');
  for (let i = 0; i < 50; i++) {
    event('breaker-half-open');
    event('breaker-open'); // each failed probe re-opens
  }
  event('breaker-half-open');
  event('breaker-closed');
  const msgs = s.lines().map((r) => r['msg']);
  assert.deepEqual(msgs, [
    'rate-limit store unavailable; circuit breaker open',
    'rate-limit store probe; circuit breaker half-open',
    'rate-limit store still unavailable; probe failed',
    'rate-limit store recovered; circuit breaker closed',
  ]);
  assert.equal(s.lines()[0]?.['level'], 50, 'the outage starts at error level');
  assert.equal(await value(s.metrics, 'bulwark_ratelimit_store_state', { state: 'closed' }), 1);
  assert.equal(await value(s.metrics, 'bulwark_ratelimit_store_state', { state: 'open' }), 0);
  assert.equal(
    await value(s.metrics, 'bulwark_ratelimit_breaker_transitions_total', { to: 'open' }),
    51,
  );
  // A second outage is announced again.
  event('breaker-open');
  assert.equal(s.lines().at(-1)?.['msg'], 'rate-limit store unavailable; circuit breaker open');
});

test('limits, bans, login penalties and enumeration alerts are counted; alerts are each logged', async () => {
  const s = setup();
  s.hooks.onEvent({ type: 'limited', rule: 'per-user', enforcement: 'throttle', banned: false });
  s.hooks.onEvent({ type: 'ban', rule: 'per-user', durationMs: 1000 });
  s.hooks.onEvent({ type: 'login-penalty', scope: 'account', ms: 1000 });
  s.hooks.onEnumerationAlert({ identity: 'alice', reason: 'sequential-ids', blocked: false });
  s.hooks.onEnumerationAlert({ identity: 'bob', reason: 'sequential-ids', blocked: false });
  assert.equal(await value(s.metrics, 'bulwark_ratelimit_limited_total', { rule: 'per-user' }), 1);
  assert.equal(await value(s.metrics, 'bulwark_ratelimit_bans_total', { rule: 'per-user' }), 1);
  assert.equal(
    await value(s.metrics, 'bulwark_ratelimit_login_penalties_total', { scope: 'account' }),
    1,
  );
  assert.equal(
    await value(s.metrics, 'bulwark_ratelimit_enumeration_alerts_total', {
      reason: 'sequential-ids',
    }),
    2,
  );
  assert.deepEqual(
    s.lines().map((r) => r['identity']),
    ['alice', 'bob'],
  );
});

test('a second toolkit on the same registry reuses the metrics instead of throwing', async () => {
  const s = setup();
  const again = observeResourceControls({
    logger: createLogger(new LogSink()),
    metrics: s.metrics,
  });
  s.hooks.onEvent({ type: 'store-error', store: 'redis', error: new Error('x') });
  again.onEvent({ type: 'store-error', store: 'redis', error: new Error('x') });
  assert.equal(
    await value(s.metrics, 'bulwark_ratelimit_store_errors_total', { store: 'redis' }),
    2,
  );
});
