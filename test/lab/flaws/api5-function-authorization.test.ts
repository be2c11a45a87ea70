// API5 BFLA: a plain user calls the admin functions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENEROUS, labFor } from '../helpers.js';

test('vulnerable: Alice lists every account and deletes Bob through /admin/users', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const alice = await lab.alice();
  const list = await lab.request('GET', '/api/v2/admin/users', { token: alice });
  assert.equal(list.status, 200);
  assert.equal(list.json.length, 3);
  const bob = list.json.find((u: { email: string }) => u.email === 'bob@lab.test');
  const del = await lab.request('DELETE', `/api/v2/admin/users/${bob.id}`, { token: alice });
  assert.equal(del.status, 204);
  const login = await lab.request('POST', '/api/v2/auth/login', {
    body: { email: 'bob@lab.test', password: 'bob-password-1' },
  });
  assert.equal(login.status, 401, 'Bob is gone');
});

test('secure: a user gets 403 on both admin operations, and an admin succeeds', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  const admin = await lab.admin();
  const list = await lab.request('GET', '/api/v2/admin/users', { token: admin });
  assert.equal(list.status, 200);
  const bob = list.json.find((u: { email: string }) => u.email === 'bob@lab.test');
  const forbidden = await lab.request('GET', '/api/v2/admin/users', { token: alice });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.json.code, 'forbidden');
  assert.doesNotMatch(forbidden.text, /bob@lab\.test/);
  const del = await lab.request('DELETE', `/api/v2/admin/users/${bob.id}`, { token: alice });
  assert.equal(del.status, 403);
  await lab.bob(); // Bob still exists
  // Unauthenticated: 401, not 403.
  assert.equal((await lab.request('GET', '/api/v2/admin/users')).status, 401);
  const adminDelete = await lab.request('DELETE', `/api/v2/admin/users/${bob.id}`, {
    token: admin,
  });
  assert.equal(adminDelete.status, 204);
  assert.equal(
    (await lab.request('DELETE', `/api/v2/admin/users/${bob.id}`, { token: admin })).status,
    404,
  );
});
