// API9: the forgotten v1 route and the debug route.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { b64url, GENEROUS, labFor } from '../helpers.js';

test('vulnerable: v1 serves any document without a token, and /debug/config leaks the signing secret', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const old = await lab.request('GET', '/api/v1/documents/4');
  assert.equal(old.status, 200);
  assert.equal(old.json.title, 'Bob: merger memo');
  const debug = await lab.request('GET', '/api/v2/debug/config');
  assert.equal(debug.status, 200);
  const secret = debug.json.jwt.secret as string;
  assert.equal(secret, 'secret');
  // The leaked secret mints a valid admin session.
  const body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '3', iss: 'bulwark-lab' })}`;
  const token = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
  const admin = await lab.request('GET', '/api/v2/admin/users', { token });
  assert.equal(admin.status, 200);
});

test('secure: /api/v1 is 410 Gone with Deprecation and Sunset, and /debug/config is 404', async (t) => {
  const lab = await labFor(t, { variant: 'secure', limits: GENEROUS });
  const bob = await lab.bob();
  const id = String((await lab.documents(bob))[0]?.['id']);
  for (const path of [
    `/api/v1/documents/${id}`,
    '/api/v1/documents/4',
    '/api/v1',
    '/api/v1/users/me',
  ]) {
    const reply = await lab.request('GET', path);
    assert.equal(reply.status, 410, path);
    assert.equal(reply.json.code, 'api_version_retired', path);
    assert.match(String(reply.headers['deprecation']), /^@[0-9]+$/, path);
    assert.match(String(reply.headers['sunset']), /GMT$/, path);
    assert.doesNotMatch(reply.text, /merger/);
  }
  const debug = await lab.request('GET', '/api/v2/debug/config');
  assert.equal(debug.status, 404);
  assert.doesNotMatch(debug.text, /secret/);
});
