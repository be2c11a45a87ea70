import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStore } from '../../../src/protect/ratelimit/memory-store.js';
import { QuotaTracker } from '../../../src/protect/ratelimit/quota.js';
import { RedisStore } from '../../../src/protect/ratelimit/redis-store.js';
import type { RateLimitStore } from '../../../src/protect/ratelimit/types.js';
import { connectRedis, uniquePrefix } from './redis-helper.js';
import { makeRequest } from './request-helper.js';

const invitations = [
  { name: 'invitations', operations: ['createInvitation'], limit: 10, period: '24h' },
];
const invite = (subject = 'alice') =>
  makeRequest({ operationId: 'createInvitation', operationKey: 'POST /invitations', subject });

async function exactUnderConcurrency(store: RateLimitStore): Promise<void> {
  const q = new QuotaTracker(invitations, store);
  // 40 concurrent attempts, of which the upstream fails every third: exactly 10 succeed.
  let succeeded = 0;
  let refused = 0;
  let attempt = 0;
  await Promise.all(
    Array.from({ length: 40 }, async () => {
      const r = await q.reserve(invite());
      if (!r.outcome.allowed) {
        refused++;
        assert.equal(r.outcome.code, 'QUOTA_EXCEEDED');
        assert.equal(r.outcome.status, 429);
        assert.doesNotMatch(r.outcome.detail ?? '', /10|24|invitations/);
        return;
      }
      const status = attempt++ % 3 === 2 ? 500 : 201;
      await r.settle(status);
      if (status === 201) succeeded++;
    }),
  );
  // Failed attempts gave their unit back, so late attempts could still use it.
  let extra = 0;
  for (let i = 0; i < 20; i++) {
    const r = await q.reserve(invite());
    if (r.outcome.allowed) {
      extra++;
      await r.settle(201);
    }
  }
  assert.equal(succeeded + extra, 10);
  assert.ok(refused > 0);
  assert.equal((await q.reserve(invite('bob'))).outcome.allowed, true, 'per identity');
}

test('a quota counts only 2xx answers, exactly, under concurrency (memory)', async () => {
  await exactUnderConcurrency(new MemoryStore());
});

test('a quota counts only 2xx answers, exactly, under concurrency (Redis)', async (t) => {
  const redis = await connectRedis(t);
  await exactUnderConcurrency(new RedisStore(redis, { prefix: uniquePrefix(redis) }));
});

test('settle is idempotent and operations outside the quota are not counted', async () => {
  const q = new QuotaTracker(
    [{ name: 'one', operations: ['createInvitation'], limit: 1, period: '1h' }],
    new MemoryStore(),
  );
  const r = await q.reserve(invite());
  await r.settle(500);
  await r.settle(500); // a second refund must not mint a unit
  const a = await q.reserve(invite());
  await a.settle(201);
  assert.equal((await q.reserve(invite())).outcome.allowed, false);
  assert.equal((await q.reserve(makeRequest())).outcome.allowed, true);
  assert.equal(
    q.covers({ operationId: 'createInvitation', operationKey: 'x', group: undefined }),
    true,
  );
  assert.equal(q.covers({ operationId: 'other', operationKey: 'y', group: undefined }), false);
});
