// One test per OWASP category the gateway core can stop, through the gateway, against the
// VULNERABLE lab with examples/lab/bulwark.yaml. Each first shows the flaw is live on the lab itself,
// so a passing test means the gateway stopped it, not that the lab was already safe.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { labBehindGateway } from './helpers.js';

const jsonHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

test('API3: password_hash and internal_notes are stripped, role cannot be assigned', async (t) => {
  const g = await labBehindGateway(t);
  const token = await g.token();
  const direct = await (
    await fetch(`${g.labUrl}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } })
  ).text();
  assert.match(direct, /password_hash/, 'the lab leaks it directly');
  const res = await fetch(`${g.url}/api/v2/users/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200);
  const me = (await res.json()) as Record<string, unknown>;
  assert.equal(me['email'], 'alice@lab.test');
  assert.equal(me['password_hash'], undefined);
  assert.equal(me['internal_notes'], undefined);
  const patch = await fetch(`${g.url}/api/v2/users/me`, {
    method: 'PATCH',
    headers: jsonHeaders(token),
    body: '{"name":"Alice","role":"admin"}',
  });
  assert.equal(patch.status, 400);
  assert.equal(
    ((await patch.json()) as { code: string }).code,
    'BULWARK_DENY_BODY_UNKNOWN_PROPERTY',
  );
  const reg = await fetch(`${g.url}/api/v2/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'eve@lab.test',
      password: 'eve-password-123',
      name: 'Eve',
      role: 'admin',
    }),
  });
  assert.equal(reg.status, 400);
  const me2 = (await (
    await fetch(`${g.labUrl}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as Record<string, unknown>;
  assert.equal(me2['role'], 'user');
});

test('API4: limit over 100 and oversized bodies are refused', async (t) => {
  const g = await labBehindGateway(t);
  const token = await g.token();
  const direct = await fetch(`${g.labUrl}/api/v2/documents?limit=1000000`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(direct.status, 200, 'the lab accepts it directly');
  for (const limit of ['101', '1000000', '1e3', '-1', '0x10']) {
    const res = await fetch(`${g.url}/api/v2/documents?limit=${limit}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 400, limit);
  }
  assert.equal(
    (
      await fetch(`${g.url}/api/v2/documents?limit=100`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).status,
    200,
  );
  const big = JSON.stringify({ title: 'big', content: 'x'.repeat(1_000_000) });
  const res = await fetch(`${g.url}/api/v2/documents`, {
    method: 'POST',
    headers: jsonHeaders(token),
    body: big,
  });
  assert.equal(res.status, 413);
  assert.doesNotMatch(await res.text(), /262144|1000000/);
});

test('API7: imports of loopback, private and link-local URLs never reach the upstream', async (t) => {
  const g = await labBehindGateway(t);
  const token = await g.token();
  let hits = 0;
  const internal = createServer((_req, res) => {
    hits++;
    res.end('internal secret');
  });
  await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => internal.close(() => r())));
  const port = (internal.address() as AddressInfo).port;
  const direct = await fetch(`${g.labUrl}/api/v2/documents/import`, {
    method: 'POST',
    headers: jsonHeaders(token),
    body: JSON.stringify({ url: `http://127.0.0.1:${port}/` }),
  });
  assert.equal(direct.status, 201, 'the lab fetches it directly');
  assert.equal(hits, 1);
  for (const url of [
    `http://127.0.0.1:${port}/`,
    `https://127.0.0.1:${port}/`,
    `https://localhost:${port}/`,
    'https://10.1.2.3/',
    'https://192.168.0.1/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/',
    'https://[fe80::1]/',
  ]) {
    const res = await fetch(`${g.url}/api/v2/documents/import`, {
      method: 'POST',
      headers: jsonHeaders(token),
      body: JSON.stringify({ url }),
    });
    assert.equal(res.status, 400, url);
    assert.equal(((await res.json()) as { code: string }).code, 'BULWARK_DENY_URL_REFUSED');
  }
  assert.equal(hits, 1, 'nothing reached the internal service through the gateway');
});

test('API8: no stack trace, no reflected CORS, no banner', async (t) => {
  const g = await labBehindGateway(t);
  const token = await g.token();
  const directErr = await fetch(`${g.labUrl}/api/v2/documents`, {
    method: 'POST',
    headers: jsonHeaders(token),
    body: '{"title": ',
  });
  assert.match(await directErr.text(), /stack|at /, 'the lab leaks a stack directly');
  const err = await fetch(`${g.url}/api/v2/documents`, {
    method: 'POST',
    headers: jsonHeaders(token),
    body: '{"title": ',
  });
  assert.equal(err.status, 400);
  assert.doesNotMatch(await err.text(), /stack|\.ts|\.js|at /);
  const evil = await fetch(`${g.url}/api/v2/users/me`, {
    headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
  });
  assert.equal(evil.headers.get('access-control-allow-origin'), null);
  assert.equal(evil.headers.get('access-control-allow-credentials'), null);
  assert.equal(evil.headers.get('x-powered-by'), null);
  assert.equal(evil.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(evil.headers.get('cache-control'), 'no-store');
  const trace = await fetch(`${g.url}/api/v2/users/me`, {
    method: 'TRACE',
    headers: { authorization: `Bearer ${token}` },
  }).catch(() => undefined);
  if (trace) assert.equal(trace.status, 405);
  const good = await fetch(`${g.url}/api/v2/users/me`, {
    headers: { authorization: `Bearer ${token}`, origin: 'http://localhost:5173' },
  });
  assert.equal(good.headers.get('access-control-allow-origin'), 'http://localhost:5173');
});

test('API9: /api/v1 and the debug route are unreachable', async (t) => {
  const g = await labBehindGateway(t);
  const direct = await fetch(`${g.labUrl}/api/v2/debug/config`);
  assert.equal(direct.status, 200, 'the lab serves it directly');
  for (const path of [
    '/api/v2/debug/config',
    '/api/v1/documents/4',
    '/api/v1/documents/1',
    '/api/V2/debug/config',
    '/api/v2/debug/config/',
    '/api/v2//debug/config',
    '/api/v2/x/../debug/config',
  ]) {
    const res = await fetch(`${g.url}${path}`);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(await res.text(), /secret/);
  }
});
