// The scanner's HTTP client: scope, no redirects, timeouts, concurrency cap, 401 refresh and 429 waits.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { isBulwarkError } from '../../../src/core/errors.js';
import { ScanHttpClient, retryAfterMs } from '../../../src/scan/engine/http.js';

async function serve(
  t: TestContext,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(
  t: TestContext,
  base: string,
  extra: Partial<ConstructorParameters<typeof ScanHttpClient>[0]> = {},
) {
  const url = new URL(base);
  const c = new ScanHttpClient({
    base: url,
    scopeHosts: [url.host],
    requestsPerSecond: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    maxResponseBytes: 1024,
    waitBudgetMs: 10_000,
    signal: new AbortController().signal,
    ...extra,
  });
  t.after(() => c.close());
  return c;
}

test('refuses hosts out of scope before any connection, with a coded error', async (t) => {
  let hits = 0;
  const inScope = await serve(t, (_req, res) => res.end('ok'));
  const outOfScope = await serve(t, (_req, res) => {
    hits++;
    res.end('no');
  });
  const c = client(t, inScope);
  await assert.rejects(
    c.send({ method: 'GET', url: `${outOfScope}/x` }),
    (e) => isBulwarkError(e) && e.code === 'BULWARK_ERR_SCAN_SCOPE',
  );
  await assert.rejects(
    c.send({ method: 'GET', url: 'file:///etc/passwd' }),
    (e) => isBulwarkError(e) && e.code === 'BULWARK_ERR_SCAN_SCOPE',
  );
  assert.equal(hits, 0);
  assert.equal((await c.send({ method: 'GET', path: '/x' })).status, 200);
});

test('never follows redirects: the 3xx is the answer', async (t) => {
  let elsewhere = 0;
  const other = await serve(t, (_req, res) => {
    elsewhere++;
    res.end('followed');
  });
  const base = await serve(t, (_req, res) => res.writeHead(302, { location: `${other}/` }).end());
  const response = await client(t, base).send({ method: 'GET', path: '/' });
  assert.equal(response.status, 302);
  assert.equal(elsewhere, 0);
});

test('every request has a timeout: a stalled target gives BULWARK_ERR_SCAN_REQUEST', async (t) => {
  const base = await serve(t, () => undefined);
  await assert.rejects(
    client(t, base).send({ method: 'GET', path: '/', timeoutMs: 150 }),
    (e) =>
      isBulwarkError(e) && e.code === 'BULWARK_ERR_SCAN_REQUEST' && /timed out/.test(e.message),
  );
});

test('caps requests in flight at the configured concurrency', async (t) => {
  let active = 0;
  let peak = 0;
  const base = await serve(t, (_req, res) => {
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      res.end('ok');
    }, 20);
  });
  const c = client(t, base, { concurrency: 3 });
  await Promise.all(Array.from({ length: 12 }, () => c.send({ method: 'GET', path: '/' })));
  assert.ok(peak <= 3, `peak ${peak}`);
  assert.equal(c.requestCount, 12);
});

test('cuts answers at the size cap and marks them truncated', async (t) => {
  const base = await serve(t, (_req, res) => res.end('x'.repeat(10_000)));
  const response = await client(t, base, { maxResponseBytes: 100 }).send({
    method: 'GET',
    path: '/',
  });
  assert.equal(response.text.length, 100);
  assert.equal(response.truncated, true);
});

test('a 401 refreshes the identity once and replays; evidence has the secret redacted', async (t) => {
  const base = await serve(t, (req, res) => {
    res.writeHead(req.headers.authorization === 'Bearer fresh' ? 200 : 401).end('{}');
  });
  const c = client(t, base);
  const calls: boolean[] = [];
  c.setAuthProvider(async (_name, refresh) => {
    calls.push(refresh);
    return { authorization: refresh ? 'Bearer fresh' : 'Bearer stale' };
  });
  const response = await c.send({ method: 'GET', path: '/', identity: 'alice' });
  assert.equal(response.status, 200);
  assert.deepEqual(calls, [false, true]);
  assert.equal(response.exchange.request.headers['authorization'], 'Bearer [REDACTED]');
});

test('a short 429 is waited out unless the check wants the raw answer', async (t) => {
  let n = 0;
  const base = await serve(t, (_req, res) => {
    n++;
    if (n === 1 || n === 3) res.writeHead(429, { 'retry-after': '0' }).end();
    else res.end('ok');
  });
  const c = client(t, base);
  assert.equal((await c.send({ method: 'GET', path: '/' })).status, 200);
  assert.equal((await c.send({ method: 'GET', path: '/', retry429: false })).status, 429);
  assert.equal(retryAfterMs('3600'), undefined, 'long waits are answers, not pauses');
  assert.equal(retryAfterMs('nonsense'), undefined);
});

test('throttles are waited out once per endpoint and only within the wait budget', async (t) => {
  const seen: string[] = [];
  const base = await serve(t, (req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/busy') res.writeHead(503, { 'retry-after': '1' }).end();
    else if (req.url === '/down') res.writeHead(503).end();
    else res.writeHead(429, { 'retry-after': '1' }).end();
  });
  const c = client(t, base, { waitBudgetMs: 1_500 });
  // Waited once (1 s of the 1.5 s budget), throttled again: the endpoint is now known rate-limited.
  assert.equal((await c.send({ method: 'GET', path: '/a' })).status, 429);
  assert.deepEqual(c.throttle, {
    waits: 1,
    waitedMs: 1_000,
    budgetMs: 1_500,
    throttled: 2,
    declined: 0,
    endpoints: ['GET /a'],
  });
  // The same endpoint again: no second wait.
  assert.equal((await c.send({ method: 'GET', path: '/a' })).status, 429);
  // Another endpoint: waiting 1 s more would overrun the budget, so the answer is returned as is.
  assert.equal((await c.send({ method: 'GET', path: '/b' })).status, 429);
  // A 503 with Retry-After is a throttle too; a bare 503 is an answer.
  assert.equal((await c.send({ method: 'GET', path: '/busy' })).status, 503);
  assert.equal((await c.send({ method: 'GET', path: '/down' })).status, 503);
  assert.deepEqual(seen, ['/a', '/a', '/a', '/b', '/busy', '/down']);
  assert.deepEqual(c.throttle, {
    waits: 1,
    waitedMs: 1_000,
    budgetMs: 1_500,
    throttled: 5,
    declined: 3,
    endpoints: ['GET /a', 'GET /b', 'GET /busy'],
  });
  assert.equal(c.wasThrottled({ method: 'GET', path: '/b' }), true);
  assert.equal(c.wasThrottled({ method: 'GET', path: '/down' }), false);
});

test('concurrent throttles share one pause and charge the budget once', async (t) => {
  let n = 0;
  const base = await serve(t, (_req, res) => {
    n++;
    if (n <= 4) res.writeHead(429, { 'retry-after': '1' }).end();
    else res.end('ok');
  });
  const c = client(t, base, { waitBudgetMs: 1_500 });
  const answers = await Promise.all(
    ['/1', '/2', '/3', '/4'].map((path) => c.send({ method: 'GET', path })),
  );
  assert.deepEqual(
    answers.map((a) => a.status),
    [200, 200, 200, 200],
  );
  assert.equal(c.throttle.waits, 4);
  assert.ok(c.throttle.waitedMs <= 1_500, `charged ${c.throttle.waitedMs} ms`);
});

test('an abort stops in-flight requests with the abort reason', async (t) => {
  const base = await serve(t, () => undefined);
  const controller = new AbortController();
  const c = client(t, base, { signal: controller.signal });
  const pending = c.send({ method: 'GET', path: '/' });
  setTimeout(() => controller.abort(new Error('stop')), 50);
  await assert.rejects(pending, /stop/);
});
