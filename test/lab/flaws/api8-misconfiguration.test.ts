// API8: reflected CORS with credentials, stack traces, banners, missing headers, TRACE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENEROUS, labFor } from '../helpers.js';

const EVIL = 'https://evil.example';
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

test('vulnerable: any origin may call with credentials, bad JSON shows the stack, banner and TRACE on', async (t) => {
  const lab = await labFor(t, { variant: 'vulnerable' });
  const alice = await lab.alice();
  const preflight = await lab.request('OPTIONS', '/api/v2/users/me', {
    headers: { origin: EVIL, 'access-control-request-method': 'GET' },
  });
  assert.equal(preflight.headers['access-control-allow-origin'], EVIL);
  assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
  const read = await lab.request('GET', '/api/v2/users/me', {
    token: alice,
    headers: { origin: EVIL },
  });
  assert.equal(read.status, 200);
  assert.equal(read.headers['access-control-allow-origin'], EVIL);
  const bad = await lab.request('POST', '/api/v2/documents', { token: alice, raw: '{"title": ' });
  assert.equal(bad.status, 500);
  assert.match(bad.json.stack, /SyntaxError[\s\S]*\n\s+at /);
  assert.match(String(bad.headers['x-powered-by']), /^Node\.js\//);
  for (const name of Object.keys(SECURITY_HEADERS)) assert.equal(read.headers[name], undefined);
  const trace = await lab.request('TRACE', '/api/v2/users/me', { token: alice });
  assert.equal(trace.status, 200);
  assert.match(trace.text, /authorization: Bearer /i, 'TRACE reflects the credentials');
});

test('secure: listed origins only, 400 without internals, no banner, security headers, TRACE refused', async (t) => {
  const app = 'https://app.lab.test';
  const lab = await labFor(t, { variant: 'secure', corsOrigins: [app], limits: GENEROUS });
  const alice = await lab.alice();
  const evil = await lab.request('OPTIONS', '/api/v2/users/me', {
    headers: { origin: EVIL, 'access-control-request-method': 'GET' },
  });
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
  assert.equal(evil.headers['access-control-allow-credentials'], undefined);
  const evilRead = await lab.request('GET', '/api/v2/users/me', {
    token: alice,
    headers: { origin: EVIL },
  });
  assert.equal(evilRead.headers['access-control-allow-origin'], undefined);
  const good = await lab.request('OPTIONS', '/api/v2/users/me', {
    headers: { origin: app, 'access-control-request-method': 'PATCH' },
  });
  assert.equal(good.status, 204);
  assert.equal(good.headers['access-control-allow-origin'], app);
  assert.equal(good.headers['access-control-allow-methods'], 'GET, PATCH');
  assert.equal(good.headers['vary'], 'Origin');

  const bad = await lab.request('POST', '/api/v2/documents', { token: alice, raw: '{"title": ' });
  assert.equal(bad.status, 400);
  assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
  assert.deepEqual(Object.keys(bad.json).sort(), ['code', 'detail', 'status', 'title', 'type']);
  assert.equal(bad.json.code, 'malformed_json');
  assert.doesNotMatch(bad.text, /SyntaxError|\bat |\/src\/|position/);

  const me = await lab.request('GET', '/api/v2/users/me', { token: alice });
  assert.equal(me.headers['x-powered-by'], undefined);
  assert.equal(me.headers['server'], undefined);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    assert.equal(me.headers[name], value, name);
    assert.equal(bad.headers[name], value, `${name} on errors too`);
  }
  assert.equal(me.headers['cache-control'], 'no-store');
  const form = await lab.request('POST', '/api/v2/documents', {
    token: alice,
    raw: 'title=a&content=b',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(form.status, 415);
  const trace = await lab.request('TRACE', '/api/v2/users/me', { token: alice });
  assert.equal(trace.status, 405);
  assert.doesNotMatch(trace.text, /Bearer/);
});
