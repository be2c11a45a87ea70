import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isBulwarkError } from '../../../src/core/errors.js';
import { checkRateLimitConfig } from '../../../src/protect/ratelimit/config.js';
import { createResourceControls } from '../../../src/protect/ratelimit/create.js';
import { parseDuration } from '../../../src/protect/ratelimit/duration.js';
import { MemoryStore } from '../../../src/protect/ratelimit/memory-store.js';
import { ResilientStore } from '../../../src/protect/ratelimit/resilient-store.js';

const invalid = (raw: unknown, pattern: RegExp) =>
  assert.throws(
    () => checkRateLimitConfig(raw),
    (e: unknown) =>
      isBulwarkError(e) && e.code === 'BULWARK_ERR_CONFIG_INVALID' && pattern.test(e.message),
  );

test('durations', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('24h'), 86_400_000);
  assert.equal(parseDuration('7d'), 604_800_000);
  assert.equal(parseDuration(250), 250);
  assert.throws(() => parseDuration('1.5h'), RangeError);
  assert.throws(() => parseDuration('0s'), RangeError);
});

test('bad sections are refused with a located, coded error', () => {
  invalid({ rules: [{ name: 'x', key: ['identity'], limit: 0, period: '1m' }] }, /rules\/0\/limit/);
  invalid({ rules: [{ name: 'x', key: ['ip'], limit: 1, period: '1m' }] }, /key\/0/);
  invalid({ rules: [{ name: 'Bad Name', key: ['identity'], limit: 1, period: '1m' }] }, /name/);
  invalid({ rules: [{ name: 'x', key: ['identity'], limit: 1, period: '1 minute' }] }, /period/);
  invalid(
    { rules: [{ name: 'x', key: ['identity'], limit: 1, period: '1m', extra: 1 }] },
    /additional/,
  );
  invalid({ store: { type: 'redis', url: 'http://x' } }, /store/);
  invalid({ store: { type: 'redis', url: 'redis://x', prefix: 'a{b' } }, /store/);
  invalid(
    { rules: [{ name: 'x', key: ['identity'], limit: 1, period: '1m', enforcement: 'block' }] },
    /no block settings/,
  );
  invalid(
    {
      rules: [{ name: 'x', key: ['identity'], limit: 1, period: '1m' }],
      quotas: [{ name: 'x', operations: ['a'], limit: 1, period: '1d' }],
    },
    /used twice/,
  );
  invalid(
    {
      rules: [
        {
          name: 'x',
          key: ['identity'],
          algorithm: 'fixed-window',
          burst: 5,
          limit: 1,
          period: '1m',
        },
      ],
    },
    /burst/,
  );
  invalid(
    { rules: [{ name: 'x', key: ['identity'], limit: 1_000_000_000, period: '9999999d' }] },
    /too large/,
  );
});

test('createResourceControls builds a memory store by default and a resilient Redis store on request', async () => {
  const memory = createResourceControls({
    rules: [{ name: 'a', key: ['global'], limit: 1, period: '1s' }],
  });
  assert.ok(memory.store instanceof MemoryStore);
  assert.equal(memory.login, undefined);
  await memory.close();
  const redis = createResourceControls({
    store: {
      type: 'redis',
      url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      failMode: 'closed',
      timeout: '200ms',
    },
    login: { operations: ['login'] },
    enumeration: {},
  });
  assert.ok(redis.store instanceof ResilientStore);
  assert.ok(redis.login && redis.enumeration && redis.redis);
  // Three stages share the toolkit and each closes it: one close, shared by every caller.
  const closing = redis.close();
  assert.equal(redis.close(), closing);
  await closing;
  // The socket closes asynchronously; the client must end, not reconnect.
  for (let i = 0; i < 100 && redis.redis.status !== 'end'; i++) await sleep(20);
  assert.equal(redis.redis.status, 'end');
});

test('the example in docs/protect/rate-limiting.md and the lab section are valid configs', async () => {
  const { readFileSync } = await import('node:fs');
  const { parse } = await import('yaml');
  const docs = readFileSync(
    new URL('../../../docs/protect/rate-limiting.md', import.meta.url),
    'utf8',
  );
  const block = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(block, 'the docs have a YAML example');
  const example = parse(block.replace("'${REDIS_URL}'", 'redis://127.0.0.1:6379')) as {
    protect: { rateLimit: unknown };
  };
  const config = checkRateLimitConfig(example.protect.rateLimit);
  assert.equal(config.rules?.length, 3);
  const lab = parse(
    readFileSync(new URL('../../../examples/lab/bulwark.yaml', import.meta.url), 'utf8'),
  ) as { protect: { rateLimit: unknown } };
  assert.ok(checkRateLimitConfig(lab.protect.rateLimit).login);
});

test('store clock: Redis TIME by default, the gateway clock with clock: gateway', async (t) => {
  // The gateway's clock is read at each decision: a mocked Date.now shows which clock decided.
  const fake = 2_000_000_000_000; // 2033, far from the real time Redis reports
  const spec = { algorithm: 'gcra', limit: 10, periodMs: 60_000, burst: 10 } as const;
  for (const clock of ['redis', 'gateway'] as const) {
    const controls = createResourceControls({
      store: { type: 'redis', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', clock },
    });
    t.after(() => controls.close());
    const key = `clock-${clock}-${process.pid}-${Date.now()}`;
    await controls.store.consume(spec, key, 1); // waits for the connection
    t.mock.method(Date, 'now', () => fake);
    const decision = await controls.store.consume(spec, key, 1);
    t.mock.restoreAll();
    assert.equal(decision.degraded, undefined);
    if (clock === 'gateway') assert.equal(decision.at, fake);
    else assert.ok(Math.abs(decision.at - Date.now()) < 60_000, `Redis TIME ${decision.at}`);
    await controls.close();
  }
});
