// API6: the invitation flow used as a spam cannon.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENEROUS, labFor, outboxCount } from '../helpers.js';

test('vulnerable: Alice sends 25 invitations in a row, all queued', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const alice = await lab.alice();
  for (let i = 0; i < 25; i++) {
    const reply = await lab.request('POST', '/api/v2/invitations', {
      token: alice,
      body: { email: `victim${i}@example.test` },
    });
    assert.equal(reply.status, 202, `invitation ${i}`);
  }
  const list = await lab.request('GET', '/api/v2/invitations', { token: alice });
  assert.equal(list.json.items.length, 25);
  assert.equal(outboxCount(lab.lab.dbFile), 25, '25 emails queued in the outbox');
});

test('secure: the 11th invitation within 24 h is 429 with Retry-After, and nothing more is queued', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  const bob = await lab.bob();
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 12; i++) {
    last = await lab.request('POST', '/api/v2/invitations', {
      token: alice,
      body: { email: `victim${i}@example.test` },
    });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [...Array<number>(10).fill(202), 429, 429]);
  assert.equal(last?.json.code, 'invitation_quota');
  const retry = Number(last?.headers['retry-after']);
  assert.ok(retry > 23 * 3600 && retry <= 24 * 3600, `Retry-After ${retry} is about a day`);
  const list = await lab.request('GET', '/api/v2/invitations', { token: alice });
  assert.equal(list.json.items.length, 10);
  assert.equal(outboxCount(lab.lab.dbFile), 10);
  // The quota is per user.
  const bobs = await lab.request('POST', '/api/v2/invitations', {
    token: bob,
    body: { email: 'friend@example.test' },
  });
  assert.equal(bobs.status, 202);
  // Concurrent requests cannot squeeze past the last slot.
  const racers = await Promise.all(
    Array.from({ length: 15 }, (_, i) =>
      lab.request('POST', '/api/v2/invitations', {
        token: bob,
        body: { email: `r${i}@example.test` },
      }),
    ),
  );
  assert.equal(racers.filter((r) => r.status === 202).length, 9);
});
