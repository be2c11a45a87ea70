// API3: excessive data exposure (password_hash, internal_notes) and mass assignment (role).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENEROUS, labFor } from '../helpers.js';

test('vulnerable: /users/me leaks password_hash and internal_notes, and PATCH role makes Alice admin', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const alice = await lab.alice();
  const me = await lab.request('GET', '/api/v2/users/me', { token: alice });
  assert.equal(me.status, 200);
  assert.match(me.json.password_hash, /^scrypt\$/);
  assert.match(me.json.internal_notes, /card ending/);
  const patch = await lab.request('PATCH', '/api/v2/users/me', {
    token: alice,
    body: { name: 'Alice', role: 'admin' },
  });
  assert.equal(patch.status, 200);
  assert.equal(patch.json.role, 'admin');
  const admin = await lab.request('GET', '/api/v2/admin/users', { token: alice });
  assert.equal(admin.status, 200);
  // Registration binds role too.
  const reg = await lab.request('POST', '/api/v2/users', {
    body: { email: 'mallory@lab.test', password: 'mallory-password-1', name: 'M', role: 'admin' },
  });
  assert.equal(reg.status, 201);
  assert.equal(reg.json.role, 'admin');
});

test('secure: only the public user fields, and unknown input fields get 400 without any change', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const alice = await lab.alice();
  const me = await lab.request('GET', '/api/v2/users/me', { token: alice });
  assert.equal(me.status, 200);
  assert.deepEqual(Object.keys(me.json).sort(), ['created_at', 'email', 'id', 'name', 'role']);
  assert.doesNotMatch(me.text, /scrypt|card ending/);
  const patch = await lab.request('PATCH', '/api/v2/users/me', {
    token: alice,
    body: { name: 'Alice', role: 'admin' },
  });
  assert.equal(patch.status, 400);
  assert.equal(patch.json.code, 'invalid_body');
  assert.deepEqual(patch.json.errors, [{ pointer: '/', detail: "unknown field 'role'" }]);
  const after = await lab.request('GET', '/api/v2/users/me', { token: alice });
  assert.deepEqual(after.json, me.json, 'nothing changed');
  assert.equal((await lab.request('GET', '/api/v2/admin/users', { token: alice })).status, 403);
  const rename = await lab.request('PATCH', '/api/v2/users/me', {
    token: alice,
    body: { name: 'Alice Liddell' },
  });
  assert.equal(rename.status, 200);
  assert.equal(rename.json.name, 'Alice Liddell');
  assert.equal(rename.json.role, 'user');
  const reg = await lab.request('POST', '/api/v2/users', {
    body: { email: 'mallory@lab.test', password: 'mallory-password-1', name: 'M', role: 'admin' },
  });
  assert.equal(reg.status, 400);
  const admins = await lab.request('GET', '/api/v2/admin/users', { token: await lab.admin() });
  assert.equal(
    admins.json.some((u: { email: string }) => u.email === 'mallory@lab.test'),
    false,
    'no account was created',
  );
  for (const user of admins.json as Array<Record<string, unknown>>) {
    assert.deepEqual(Object.keys(user).sort(), ['created_at', 'email', 'id', 'name', 'role']);
  }
});
