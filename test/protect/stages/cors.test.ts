import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testModel } from '../fixtures.js';
import { startHarness, type UpstreamHandler } from '../helpers.js';

const reflecting: UpstreamHandler = (req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json',
    'access-control-allow-origin': String(req.headers.origin ?? '*'),
    'access-control-allow-credentials': 'true',
  });
  res.end('{"id":"1","name":"a"}');
};

const cors = {
  cors: {
    origins: ['https://app.example'],
    credentials: true,
    headers: ['Authorization', 'Content-Type'],
  },
};

test('preflight is answered by the gateway from the spec methods, never forwarded', async (t) => {
  const h = await startHarness(t, testModel(), cors, reflecting);
  const res = await fetch(`${h.url}/users/1`, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
  assert.equal(res.headers.get('access-control-allow-methods'), 'GET, PUT, HEAD');
  assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(res.headers.get('access-control-allow-headers'), 'Authorization, Content-Type');
  assert.equal(h.upstream.seen.length, 0);
});

test('preflight for an undocumented method or an unlisted origin is refused', async (t) => {
  const h = await startHarness(t, testModel(), cors, reflecting);
  const method = await fetch(`${h.url}/users/1`, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'DELETE' },
  });
  assert.equal(method.status, 403);
  const origin = await fetch(`${h.url}/users/1`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
  });
  assert.equal(origin.status, 403);
  assert.equal(origin.headers.get('access-control-allow-origin'), null);
});

test('API8: a reflecting upstream cannot grant CORS to an unlisted origin', async (t) => {
  const h = await startHarness(t, testModel(), cors, reflecting);
  const evil = await fetch(`${h.url}/users/1`, { headers: { origin: 'https://evil.example' } });
  assert.equal(evil.status, 200);
  assert.equal(evil.headers.get('access-control-allow-origin'), null);
  assert.equal(evil.headers.get('access-control-allow-credentials'), null);
  const good = await fetch(`${h.url}/users/1`, { headers: { origin: 'https://app.example' } });
  assert.equal(good.headers.get('access-control-allow-origin'), 'https://app.example');
  assert.match(good.headers.get('vary') ?? '', /Origin/);
});

test('without CORS config no CORS header is ever sent', async (t) => {
  const h = await startHarness(t, testModel(), {}, reflecting);
  const res = await fetch(`${h.url}/users/1`, { headers: { origin: 'https://app.example' } });
  assert.equal(res.headers.get('access-control-allow-origin'), null);
});
