import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testModel } from '../fixtures.js';
import { json, startHarness, type UpstreamHandler } from '../helpers.js';

const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}): UpstreamHandler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

test('API3: responses are projected onto the declared schema (nested, arrays, writeOnly)', async (t) => {
  const rows = [
    {
      id: '1',
      name: 'a',
      password: 'p',
      password_hash: '$2b$',
      address: { city: 'x', lat: 1 },
      tags: ['t'],
    },
  ];
  const h = await startHarness(t, testModel(), {}, reply(200, rows));
  const res = await fetch(`${h.url}/users`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), [{ id: '1', name: 'a', address: { city: 'x' }, tags: ['t'] }]);
});

test('projection can be turned off', async (t) => {
  const h = await startHarness(
    t,
    testModel(),
    { responses: { stripUndeclaredProperties: false } },
    reply(200, { id: '1', name: 'a', secret: 's' }),
  );
  assert.deepEqual(await (await fetch(`${h.url}/users/1`)).json(), {
    id: '1',
    name: 'a',
    secret: 's',
  });
});

test('API8: upstream 5xx bodies are replaced with a generic problem carrying the request id', async (t) => {
  const h = await startHarness(
    t,
    testModel(),
    {},
    reply(500, 'Error: boom\n    at Object.<anonymous> (/srv/app/db.js:12:3)', {
      'content-type': 'text/plain',
    }),
  );
  const res = await fetch(`${h.url}/boom`);
  assert.equal(res.status, 500);
  const text = await res.text();
  assert.doesNotMatch(text, /db\.js|at Object/);
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.equal(body['code'], 'BULWARK_UPSTREAM_ERROR');
  assert.equal(body['requestId'], res.headers.get('x-request-id'));
});

test('an undeclared status is logged by default and replaced with 502 when configured', async (t) => {
  const h = await startHarness(t, testModel(), {}, reply(418, { id: '1' }));
  assert.equal((await fetch(`${h.url}/users/1`)).status, 418);
  const b = await startHarness(
    t,
    testModel(),
    { responses: { undeclared: 'block' } },
    reply(418, { id: '1' }),
  );
  const res = await fetch(`${b.url}/users/1`);
  assert.equal(res.status, 502);
  assert.equal((await json(res))['code'], 'BULWARK_UPSTREAM_CONTRACT');
  await h.gateway.close();
  const line = h.logs.records().find((r) => r['status'] === 418);
  assert.deepEqual(line?.['violations'], ['BULWARK_UPSTREAM_CONTRACT']);
});

test('an undeclared media type is blocked when configured', async (t) => {
  const h = await startHarness(
    t,
    testModel(),
    { responses: { undeclared: 'block' } },
    reply(200, '<html>', { 'content-type': 'text/html' }),
  );
  assert.equal((await fetch(`${h.url}/users/1`)).status, 502);
});

test('declared JSON that does not parse fails closed (it could not be projected)', async (t) => {
  const h = await startHarness(t, testModel(), {}, reply(200, '{"id":"1","password_hash":"x"'));
  const res = await fetch(`${h.url}/users/1`);
  assert.equal(res.status, 502);
  assert.doesNotMatch(await res.text(), /password_hash/);
});

test('response validation in block mode replaces invalid answers', async (t) => {
  const h = await startHarness(
    t,
    testModel(),
    { responses: { validate: 'block' } },
    reply(200, { id: 1 }),
  );
  assert.equal((await fetch(`${h.url}/users/1`)).status, 502);
});

test('API8: banners are removed and security headers added, on answers and on refusals', async (t) => {
  const h = await startHarness(
    t,
    testModel(),
    {},
    reply(
      200,
      { id: '1', name: 'a' },
      { server: 'Apache/2.4.1', 'x-powered-by': 'Express', 'access-control-allow-origin': '*' },
    ),
  );
  for (const path of ['/users/1', '/nope']) {
    const res = await fetch(`${h.url}${path}`);
    assert.equal(res.headers.get('server'), null, path);
    assert.equal(res.headers.get('x-powered-by'), null);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
  }
});

test('Cache-Control: no-store on operations that need credentials only', async (t) => {
  const h = await startHarness(
    t,
    testModel(),
    {},
    reply(201, { id: '1', name: 'a' }, { 'cache-control': 'public, max-age=600' }),
  );
  const auth = await fetch(`${h.url}/users`, {
    method: 'POST',
    body: '{"name":"a"}',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(auth.headers.get('cache-control'), 'no-store');
  const open = await fetch(`${h.url}/users/1`);
  assert.equal(open.headers.get('cache-control'), 'public, max-age=600');
});
