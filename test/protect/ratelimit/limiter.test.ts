import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RateLimitConfig } from '../../../src/protect/ratelimit/config.js';
import { RateLimiter, type LimitOutcome } from '../../../src/protect/ratelimit/limiter.js';
import { MemoryStore } from '../../../src/protect/ratelimit/memory-store.js';
import { RedisStore } from '../../../src/protect/ratelimit/redis-store.js';
import type { RateLimitEvent } from '../../../src/protect/ratelimit/types.js';
import { connectRedis, uniquePrefix } from './redis-helper.js';
import { makeRequest } from './request-helper.js';

function limiter(
  config: RateLimitConfig,
  now = { t: 0 },
  events: RateLimitEvent[] = [],
): RateLimiter {
  return new RateLimiter(config, {
    store: new MemoryStore({ clock: () => now.t }),
    onEvent: (e) => events.push(e),
  });
}

const header = (o: LimitOutcome, name: string): string | undefined =>
  o.headers.find(([n]) => n === name)?.[1];

test('throttle: 429 with Retry-After and RateLimit headers in the draft structured-field syntax', () => {
  const now = { t: 1_000_000 };
  const l = limiter(
    {
      rules: [
        { name: 'per-user', key: ['identity'], algorithm: 'fixed-window', limit: 2, period: '1m' },
      ],
    },
    now,
  );
  const a = l.evaluate(makeRequest()) as LimitOutcome;
  assert.equal(a.allowed, true);
  assert.equal(header(a, 'RateLimit-Policy'), '"per-user";q=2;w=60');
  assert.equal(header(a, 'RateLimit'), '"per-user";r=1;t=20');
  l.evaluate(makeRequest());
  const c = l.evaluate(makeRequest()) as LimitOutcome;
  assert.deepEqual([c.allowed, c.status, c.code], [false, 429, 'RATE_LIMITED']);
  assert.equal(header(c, 'Retry-After'), '20');
  assert.equal(header(c, 'RateLimit'), '"per-user";r=0;t=20');
  assert.doesNotMatch(c.detail ?? '', /2|60|per-user/, 'the limit is not revealed');
  // Another identity has its own budget.
  assert.equal((l.evaluate(makeRequest({ subject: 'bob' })) as LimitOutcome).allowed, true);
});

test('revealLimits names the policy in the detail; exposePolicy false hides RateLimit-Policy', () => {
  const l = limiter({
    revealLimits: true,
    exposePolicy: false,
    rules: [
      { name: 'tight', key: ['address'], algorithm: 'fixed-window', limit: 1, period: '10s' },
    ],
  });
  const first = l.evaluate(makeRequest()) as LimitOutcome;
  assert.equal(header(first, 'RateLimit-Policy'), undefined);
  assert.ok(header(first, 'RateLimit'));
  const refused = l.evaluate(makeRequest()) as LimitOutcome;
  assert.match(refused.detail ?? '', /"tight": 1 per 10s/);
});

test('headers: false sends no RateLimit fields but still Retry-After on refusal', () => {
  const l = limiter({
    headers: false,
    rules: [{ name: 'r', key: ['global'], limit: 1, period: '1s' }],
  });
  assert.deepEqual((l.evaluate(makeRequest()) as LimitOutcome).headers, []);
  const refused = l.evaluate(makeRequest()) as LimitOutcome;
  assert.deepEqual(
    refused.headers.map(([n]) => n),
    ['Retry-After'],
  );
});

test('rules stack; a global limit answers 503 and is evaluated last, so a throttled client cannot drain it', () => {
  const l = limiter({
    rules: [
      { name: 'global', key: ['global'], algorithm: 'fixed-window', limit: 5, period: '1m' },
      { name: 'per-client', key: ['address'], algorithm: 'fixed-window', limit: 2, period: '1m' },
    ],
  });
  assert.deepEqual(
    l.rules.map((r) => r.name),
    ['per-client', 'global'],
  );
  const attacker = makeRequest({ clientAddress: '198.51.100.1' });
  for (let i = 0; i < 50; i++) l.evaluate(attacker);
  // The attacker's 48 refusals used no global budget: three other clients still get through.
  for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
    assert.equal(
      (l.evaluate(makeRequest({ clientAddress: ip })) as LimitOutcome).allowed,
      true,
      ip,
    );
  }
  const busy = l.evaluate(makeRequest({ clientAddress: '192.0.2.4' })) as LimitOutcome;
  assert.deepEqual([busy.allowed, busy.status, busy.code], [false, 503, 'RATE_LIMIT_GLOBAL']);
  assert.equal(header(busy, 'RateLimit-Policy'), '"per-client";q=2;w=60, "global";q=5;w=60');
});

test('warn: headers show the budget but nothing is refused; the violation is an event', () => {
  const events: RateLimitEvent[] = [];
  const l = limiter(
    { rules: [{ name: 'soft', key: ['identity'], limit: 1, period: '1m', enforcement: 'warn' }] },
    { t: 0 },
    events,
  );
  l.evaluate(makeRequest());
  const over = l.evaluate(makeRequest()) as LimitOutcome;
  assert.equal(over.allowed, true);
  assert.match(header(over, 'RateLimit') ?? '', /r=0/);
  assert.ok(events.some((e) => e.type === 'limited' && e.enforcement === 'warn'));
});

test('block: repeated violations ban the client (429 RATE_LIMIT_BLOCKED) until the ban ends', () => {
  const now = { t: 0 };
  const l = limiter(
    {
      rules: [
        {
          name: 'b',
          key: ['address'],
          algorithm: 'fixed-window',
          limit: 1,
          period: '1s',
          enforcement: 'block',
          block: { after: 2, duration: '1h' },
        },
      ],
    },
    now,
  );
  l.evaluate(makeRequest());
  assert.equal((l.evaluate(makeRequest()) as LimitOutcome).code, 'RATE_LIMITED');
  const banned = l.evaluate(makeRequest()) as LimitOutcome;
  assert.deepEqual(
    [banned.status, banned.code, header(banned, 'Retry-After')],
    [429, 'RATE_LIMIT_BLOCKED', '3600'],
  );
  now.t = 60_000;
  assert.equal((l.evaluate(makeRequest()) as LimitOutcome).code, 'RATE_LIMIT_BLOCKED');
  now.t = 3_600_000;
  assert.equal((l.evaluate(makeRequest()) as LimitOutcome).allowed, true);
});

test('costs drain more than one unit; a cost above the bucket is always refused', () => {
  const l = limiter({
    rules: [{ name: 'c', key: ['identity'], algorithm: 'token-bucket', limit: 10, period: '1m' }],
  });
  assert.equal((l.evaluate(makeRequest({ cost: 7 })) as LimitOutcome).allowed, true);
  const second = l.evaluate(makeRequest({ cost: 7 })) as LimitOutcome;
  assert.equal(second.allowed, false);
  assert.equal((l.evaluate(makeRequest({ cost: 3 })) as LimitOutcome).allowed, true);
  assert.equal(
    (l.evaluate(makeRequest({ subject: 'rich', cost: 11 })) as LimitOutcome).allowed,
    false,
  );
});

test('scope: operations and groups select the rules; other operations are untouched', () => {
  const l = limiter({
    rules: [
      { name: 'search', key: ['identity', 'group'], groups: ['search'], limit: 1, period: '1m' },
      { name: 'login', key: ['address'], operations: ['POST /login'], limit: 1, period: '1m' },
    ],
  });
  const search = makeRequest({ group: 'search', operationId: 'find', operationKey: 'GET /find' });
  assert.equal((l.evaluate(search) as LimitOutcome).allowed, true);
  assert.equal((l.evaluate(search) as LimitOutcome).allowed, false);
  for (let i = 0; i < 5; i++)
    assert.deepEqual((l.evaluate(makeRequest()) as LimitOutcome).headers, []);
  const login = makeRequest({ operationId: undefined, operationKey: 'POST /login' });
  assert.equal((l.evaluate(login) as LimitOutcome).allowed, true);
  assert.equal((l.evaluate(login) as LimitOutcome).allowed, false);
});

test('missing identity falls back to the address by default, or skips, or shares one bucket', () => {
  const anon = (ip: string) => makeRequest({ subject: undefined, clientAddress: ip });
  const byAddress = limiter({ rules: [{ name: 'u', key: ['identity'], limit: 1, period: '1m' }] });
  byAddress.evaluate(anon('192.0.2.1'));
  assert.equal((byAddress.evaluate(anon('192.0.2.2')) as LimitOutcome).allowed, true);
  assert.equal((byAddress.evaluate(anon('192.0.2.1')) as LimitOutcome).allowed, false);
  const skip = limiter({
    rules: [{ name: 'u', key: ['identity'], limit: 1, period: '1m', onMissingKey: 'skip' }],
  });
  for (let i = 0; i < 3; i++)
    assert.equal((skip.evaluate(anon('192.0.2.1')) as LimitOutcome).allowed, true);
  const shared = limiter({
    rules: [{ name: 'u', key: ['identity'], limit: 1, period: '1m', onMissingKey: 'shared' }],
  });
  shared.evaluate(anon('192.0.2.1'));
  assert.equal((shared.evaluate(anon('192.0.2.2')) as LimitOutcome).allowed, false);
});

test('header and claim keys; a subject cannot collide with an address or another part', () => {
  const l = limiter({
    rules: [
      { name: 'tenant', key: ['claim:tenant'], limit: 1, period: '1m', onMissingKey: 'skip' },
      { name: 'apikey', key: ['header:X-Api-Key'], limit: 1, period: '1m', onMissingKey: 'skip' },
    ],
  });
  assert.equal(
    (l.evaluate(makeRequest({ claims: { tenant: 't1' } })) as LimitOutcome).allowed,
    true,
  );
  assert.equal(
    (l.evaluate(makeRequest({ claims: { tenant: 't1' } })) as LimitOutcome).allowed,
    false,
  );
  assert.equal(
    (l.evaluate(makeRequest({ claims: { tenant: 't2' } })) as LimitOutcome).allowed,
    true,
  );
  assert.equal(
    (l.evaluate(makeRequest({ headers: { 'x-api-key': 'k1' } })) as LimitOutcome).allowed,
    true,
  );
  assert.equal(
    (l.evaluate(makeRequest({ headers: { 'x-api-key': 'k1' } })) as LimitOutcome).allowed,
    false,
  );
  const ids = limiter({
    rules: [{ name: 'x', key: ['identity', 'operation'], limit: 1, period: '1m' }],
  });
  // "a|o:b" as a subject must not land in the bucket of subject "a" on operation "b".
  ids.evaluate(makeRequest({ subject: 'a', operationId: 'b' }));
  assert.equal(
    (ids.evaluate(makeRequest({ subject: 'a|o:b', operationId: 'b' })) as LimitOutcome).allowed,
    true,
  );
});

test('IPv6 clients are keyed on their /64; IPv4-mapped addresses on the IPv4', () => {
  const l = limiter({ rules: [{ name: 'ip', key: ['address'], limit: 1, period: '1m' }] });
  l.evaluate(makeRequest({ clientAddress: '2001:db8:1:2::1' }));
  assert.equal(
    (l.evaluate(makeRequest({ clientAddress: '2001:db8:1:2:ffff::9' })) as LimitOutcome).allowed,
    false,
  );
  assert.equal(
    (l.evaluate(makeRequest({ clientAddress: '2001:db8:1:3::1' })) as LimitOutcome).allowed,
    true,
  );
  l.evaluate(makeRequest({ clientAddress: '192.0.2.9' }));
  assert.equal(
    (l.evaluate(makeRequest({ clientAddress: '::ffff:192.0.2.9' })) as LimitOutcome).allowed,
    false,
  );
});

test('the same rules on Redis decide the same way (async path)', async (t) => {
  const redis = await connectRedis(t);
  const store = new RedisStore(redis, { prefix: uniquePrefix(redis) });
  const l = new RateLimiter(
    {
      rules: [
        { name: 'r', key: ['identity'], algorithm: 'sliding-window-log', limit: 3, period: '1m' },
      ],
    },
    { store },
  );
  const results = [];
  for (let i = 0; i < 5; i++) results.push((await l.evaluate(makeRequest())).allowed);
  assert.deepEqual(results, [true, true, true, false, false]);
});
