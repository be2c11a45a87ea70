import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/index.js';
import { testModel } from '../fixtures.js';
import { LogSink, json, rawRequest, startHarness } from '../helpers.js';

test('hop-by-hop headers and headers named in Connection are not forwarded', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await rawRequest(
    h.url,
    'GET /users/1 HTTP/1.1\r\nHost: api.example\r\nConnection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nKeep-Alive: timeout=5\r\nProxy-Authorization: Basic eA==\r\nTE: trailers\r\nUpgrade: websocket\r\nX-Kept: yes\r\n\r\n',
  );
  assert.equal(res.status, 200);
  const seen = h.upstream.seen[0]!.headers;
  for (const name of ['x-secret-hop', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) {
    assert.equal(seen[name], undefined, name);
  }
  assert.equal(seen['x-kept'], 'yes');
});

test('X-Forwarded-* and Forwarded are set by the gateway; spoofed values from untrusted peers are dropped', async (t) => {
  const h = await startHarness(t, testModel());
  await fetch(`${h.url}/users/1`, {
    headers: {
      'x-forwarded-for': '6.6.6.6',
      forwarded: 'for=6.6.6.6',
      'x-real-ip': '6.6.6.6',
      'x-forwarded-host': 'evil',
    },
  });
  const seen = h.upstream.seen[0]!.headers;
  assert.equal(seen['x-forwarded-for'], '127.0.0.1');
  assert.equal(seen['x-forwarded-proto'], 'http');
  assert.equal(seen['x-forwarded-host'], new URL(h.url).host);
  assert.equal(seen['forwarded'], `for=127.0.0.1;proto=http;host="${new URL(h.url).host}"`);
  assert.equal(seen['x-real-ip'], undefined);
  assert.match(String(seen['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('a trusted proxy chain is extended and its client address believed', async (t) => {
  const h = await startHarness(t, testModel(), { trustedProxies: ['127.0.0.1'] });
  await fetch(`${h.url}/users/1`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(h.upstream.seen[0]!.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
  await h.gateway.close();
  assert.equal(h.logs.records().find((r) => r['path'] === '/users/1')?.['client'], '203.0.113.9');
});

test('an unreachable upstream gives 502 problem+json', async (t) => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const gw = await startProtect({
    model: testModel(),
    upstream: `http://127.0.0.1:${port}`,
    port: 0,
    logger: createLogger(new LogSink()),
  });
  t.after(() => gw.close());
  const res = await fetch(`${gw.url}/users/1`);
  assert.equal(res.status, 502);
  assert.equal((await json(res))['code'], 'BULWARK_UPSTREAM_UNAVAILABLE');
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
  assert.match(metrics, /bulwark_upstream_errors_total\{kind="connect"\} 1/);
});

test('a slow upstream gives 504 after the upstream timeout', async (t) => {
  const h = await startHarness(t, testModel(), { timeouts: { upstreamMs: 200 } }, (_req, res) => {
    setTimeout(() => res.end('{}'), 2000).unref();
  });
  const res = await fetch(`${h.url}/users/1`);
  assert.equal(res.status, 504);
  assert.equal((await json(res))['code'], 'BULWARK_UPSTREAM_TIMEOUT');
});

test('admin port serves healthz, readyz and Prometheus metrics by operation and decision', async (t) => {
  const h = await startHarness(t, testModel());
  await fetch(`${h.url}/users/1`);
  await fetch(`${h.url}/nope`);
  const admin = h.gateway.adminUrl;
  assert.notEqual(new URL(admin).port, new URL(h.url).port);
  assert.equal((await fetch(`${admin}/healthz`)).status, 200);
  assert.equal((await fetch(`${admin}/readyz`)).status, 200);
  const text = await (await fetch(`${admin}/metrics`)).text();
  assert.match(
    text,
    /bulwark_requests_total\{operation="GET \/users\/\{id\}",decision="allow",code=""\} 1/,
  );
  assert.match(
    text,
    /bulwark_requests_total\{operation="undocumented",decision="deny",code="BULWARK_DENY_NOT_FOUND"\} 1/,
  );
  assert.match(text, /bulwark_request_duration_seconds_bucket/);
  assert.equal((await fetch(`${h.url}/metrics`)).status, 404, 'metrics never on the public port');
});

test('logs carry request id, decision and reason, and never tokens, cookies or passwords', async (t) => {
  const h = await startHarness(t, testModel());
  await fetch(`${h.url}/users?limit=5&token=sekret-token-value`, {
    headers: {
      authorization: 'Bearer sekret-jwt',
      cookie: 'session=sekret-cookie',
      'x-api-key': 'sekret-key',
    },
  });
  await fetch(`${h.url}/users`, {
    method: 'POST',
    body: '{"name":"a","password":"sekret-password"}',
    headers: { 'content-type': 'application/json' },
  });
  await h.gateway.close();
  const text = h.logs.lines.join('\n');
  assert.doesNotMatch(text, /sekret/);
  const line = h.logs.records().find((r) => r['code'] === 'BULWARK_DENY_PARAM_UNKNOWN');
  assert.ok(line, text);
  assert.equal(line['decision'], 'deny');
  assert.match(String(line['requestId']), /^[0-9a-f-]{36}$/);
});

test('SIGTERM-style close lets a request in flight finish', async (t) => {
  let release: () => void = () => undefined;
  const h = await startHarness(t, testModel(), {}, (_req, res) => {
    release = () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1","name":"slow"}');
    };
  });
  const pending = fetch(`${h.url}/users/1`);
  while (h.upstream.seen.length === 0) await new Promise((r) => setTimeout(r, 10));
  const closing = h.gateway.close();
  assert.equal(
    (await fetch(`${h.gateway.adminUrl}/readyz`).catch(() => undefined))?.status ?? 503,
    503,
  );
  release();
  const res = await pending;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { id: '1', name: 'slow' });
  await closing;
  await assert.rejects(fetch(`${h.url}/users/1`));
});
