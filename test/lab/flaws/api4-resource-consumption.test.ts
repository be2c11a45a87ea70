// API4: unbounded page size, no body cap, no rate limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labFor } from '../helpers.js';

const TWO_MIB = 'x'.repeat(2 * 1024 * 1024);

test('vulnerable: limit=1000000 is honoured, a 2 MiB body is stored, and 60 rapid requests all pass', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const alice = await lab.alice();
  const huge = await lab.request('GET', '/api/v2/documents?limit=1000000', { token: alice });
  assert.equal(huge.status, 200);
  assert.equal(huge.json.items.length, 3);
  const big = await lab.request('POST', '/api/v2/documents', {
    token: alice,
    body: { title: 'big', content: TWO_MIB },
  });
  assert.equal(big.status, 201);
  assert.equal(big.json.content.length, TWO_MIB.length);
  const burst = await Promise.all(
    Array.from({ length: 60 }, () => lab.request('GET', '/api/v2/users/me', { token: alice })),
  );
  assert.deepEqual(new Set(burst.map((r) => r.status)), new Set([200]));
  assert.equal(burst[0]?.headers['ratelimit-policy'], undefined, 'no budget, no headers');
});

test('secure: limit over 100 is 400, a 2 MiB body is 413, and a burst gets 429 with Retry-After', async (t) => {
  const lab = await labFor(t, { variant: 'secure' });
  const alice = await lab.alice();
  for (const limit of ['101', '1000000', '0', '-1', '1e3', '0x10', '99999999999999999999', 'abc']) {
    const reply = await lab.request('GET', `/api/v2/documents?limit=${limit}`, { token: alice });
    assert.equal(reply.status, 400, limit);
    assert.equal(reply.json.code, 'invalid_limit', limit);
  }
  const ok = await lab.request('GET', '/api/v2/documents?limit=100', { token: alice });
  assert.equal(ok.status, 200);
  // The budget is announced (draft-ietf-httpapi-ratelimit-headers).
  assert.equal(ok.headers['ratelimit-policy'], '"burst";q=20;w=4');
  assert.match(String(ok.headers['ratelimit']), /^"burst";r=[0-9]+;t=[0-9]+$/);
  const big = await lab.request('POST', '/api/v2/documents', {
    token: alice,
    body: { title: 'big', content: TWO_MIB },
  });
  assert.equal(big.status, 413);
  assert.equal(big.json.code, 'payload_too_large');
  const chunked = await lab.request('POST', '/api/v2/documents', {
    token: alice,
    body: { title: 'big', content: TWO_MIB },
    chunked: true,
  });
  assert.equal(chunked.status, 413, 'a chunked body is cut off at the cap too');
  assert.equal((await lab.documents(alice)).length, 3, 'nothing stored');
  // The default bucket: a burst of 20, then 5 per second. 120 concurrent requests overrun it
  // unless they take more than 20 s to serve, so this holds on a loaded machine too.
  const burst = await Promise.all(
    Array.from({ length: 120 }, () => lab.request('GET', '/api/v2/users/me', { token: alice })),
  );
  const limited = burst.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, 'some requests were limited');
  // Bad tokens are rate limited as well (by address).
  const forged = await Promise.all(
    Array.from({ length: 80 }, () => lab.request('GET', '/api/v2/users/me', { token: 'x.y.z' })),
  );
  assert.ok(forged.some((r) => r.status === 429));
  for (const r of limited) {
    assert.match(String(r.headers['retry-after']), /^[1-9][0-9]*$/);
    assert.equal(r.json.code, 'rate_limited');
    assert.match(String(r.headers['ratelimit']), /^"burst";r=0;t=[0-9]+$/);
  }
});

test('secure: the limits are per identity, so Bob is not slowed down by Alice', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: { rateBurst: 5, ratePerSecond: 0.01 } });
  const alice = await lab.alice();
  const bob = await lab.bob();
  const statuses = [];
  for (let i = 0; i < 6; i++) {
    statuses.push((await lab.request('GET', '/api/v2/users/me', { token: alice })).status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  assert.equal((await lab.request('GET', '/api/v2/users/me', { token: bob })).status, 200);
});
