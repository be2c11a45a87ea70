// The rate-limit stages through the real gateway over loopback: limits, costs, global 503, quotas
// counted on 2xx only, login brute force and enumeration, each refused before the upstream sees it.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { isBulwarkError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { resolvePolicy } from '../../../src/protect/engine/policy.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import type { RateLimitConfig } from '../../../src/protect/ratelimit/config.js';
import { rateLimitStage } from '../../../src/protect/stages/ratelimit.js';
import { rateLimitGuardStage } from '../../../src/protect/stages/ratelimit-guard.js';
import { rateLimitSettleStage } from '../../../src/protect/stages/ratelimit-settle.js';
import { LogSink, openapi, startUpstream, type UpstreamHandler } from '../helpers.js';

const mine = [rateLimitStage, rateLimitGuardStage, rateLimitSettleStage];
const pipeline = [...stages.filter((s) => !mine.some((m) => m.name === s.name)), ...mine];

const credentials = {
  type: 'object',
  required: ['username', 'password'],
  properties: { username: { type: 'string' }, password: { type: 'string' } },
};
const model = openapi({
  '/documents/{id}': {
    get: {
      operationId: 'getDocument',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'ok' }, '404': { description: 'missing' } },
    },
  },
  '/search': {
    get: {
      operationId: 'search',
      'x-bulwark-cost': 5,
      responses: { '200': { description: 'ok' } },
    },
  },
  '/login': {
    post: {
      operationId: 'login',
      requestBody: { required: true, content: { 'application/json': { schema: credentials } } },
      responses: { '200': { description: 'ok' }, '401': { description: 'no' } },
    },
  },
  '/invitations': {
    post: {
      operationId: 'createInvitation',
      responses: { '201': { description: 'ok' }, '500': { description: 'failed' } },
    },
  },
});

const upstreamHandler: UpstreamHandler = (req, res, body) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/login') {
    const { username, password } = JSON.parse(body) as { username?: string; password?: string };
    res.statusCode = password === 'right' ? 200 : 401;
    if (res.statusCode === 401) {
      // An upstream with the lab's flaw: its failures tell unknown accounts from wrong passwords.
      res.setHeader('www-authenticate', 'Bearer realm="test"');
      res.end(JSON.stringify({ code: username === 'nobody' ? 'unknown_user' : 'wrong_password' }));
      return;
    }
  } else if (req.url === '/invitations') {
    res.statusCode = req.headers['x-fail'] === '1' ? 500 : 201;
  } else if (req.url?.startsWith('/documents/')) {
    res.statusCode = Number(req.url.slice(11)) > 3 ? 404 : 200;
  }
  res.end('{}');
};

async function gateway(t: TestContext, rateLimit: RateLimitConfig) {
  const upstream = await startUpstream(t, upstreamHandler);
  const logs = new LogSink();
  const running = await startProtect({
    model,
    policy: { ...resolvePolicy({}), rateLimit } as ReturnType<typeof resolvePolicy>,
    stages: pipeline,
    upstream: upstream.url,
    port: 0,
    logger: createLogger(logs),
  });
  t.after(() => running.close());
  return { url: running.url, upstream, logs };
}

const login = (url: string, username: string, password: string) =>
  fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

test('429 with Retry-After and RateLimit headers once the limit is spent; the upstream never sees the excess', async (t) => {
  const g = await gateway(t, {
    rules: [
      {
        name: 'per-client',
        key: ['address'],
        algorithm: 'fixed-window',
        limit: 3,
        period: '1h',
        operations: ['getDocument'],
      },
    ],
  });
  const statuses = [];
  let last: Response | undefined;
  for (let i = 0; i < 5; i++) {
    last = await fetch(`${g.url}/documents/1`);
    statuses.push(last.status);
    if (i === 0) {
      assert.equal(last.headers.get('ratelimit-policy'), '"per-client";q=3;w=3600');
      assert.match(last.headers.get('ratelimit') ?? '', /^"per-client";r=2;t=\d+$/);
    }
  }
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  assert.ok(last);
  assert.equal(last.headers.get('content-type'), 'application/problem+json');
  assert.ok(Number(last.headers.get('retry-after')) >= 1);
  const body = (await last.json()) as Record<string, unknown>;
  assert.equal(body['code'], 'BULWARK_DENY_RATE_LIMITED');
  assert.doesNotMatch(JSON.stringify(body), /3600|per-client|"3"/, 'no limit in the error body');
  assert.equal(g.upstream.seen.length, 3);
});

test('x-bulwark-cost drains more than one unit, and a global limit answers 503', async (t) => {
  const g = await gateway(t, {
    rules: [
      {
        name: 'budget',
        key: ['address'],
        algorithm: 'token-bucket',
        limit: 10,
        period: '1h',
        operations: ['search'],
      },
      {
        name: 'everyone',
        key: ['global'],
        algorithm: 'fixed-window',
        limit: 4,
        period: '1h',
        operations: ['getDocument'],
      },
    ],
  });
  const search = [];
  for (let i = 0; i < 3; i++) search.push((await fetch(`${g.url}/search`)).status);
  assert.deepEqual(search, [200, 200, 429]);
  const docs = [];
  for (let i = 0; i < 5; i++) docs.push((await fetch(`${g.url}/documents/2`)).status);
  assert.deepEqual(docs, [200, 200, 200, 200, 503]);
});

test('x-bulwark-cost: 5 admits a fifth as many requests as cost 1 from the same budget', async (t) => {
  const g = await gateway(t, {
    rules: [
      {
        name: 'budget',
        key: ['address', 'operation'],
        algorithm: 'fixed-window',
        limit: 20,
        period: '1h',
        operations: ['search', 'getDocument'],
      },
    ],
  });
  const admitted = async (path: string) => {
    const remaining: string[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${g.url}${path}`);
      await res.arrayBuffer();
      if (res.status !== 200) break;
      remaining.push(/r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1] ?? '?');
    }
    return remaining;
  };
  const cheap = await admitted('/documents/1');
  const costly = await admitted('/search');
  assert.equal(cheap.length, 20);
  assert.equal(costly.length, 4, 'x-bulwark-cost: 5 drains five units per request');
  assert.deepEqual(costly, ['15', '10', '5', '0']);
});

test('the invitation quota counts only 2xx answers (API6)', async (t) => {
  const g = await gateway(t, {
    quotas: [
      {
        name: 'invitations',
        operations: ['createInvitation'],
        key: ['address'],
        limit: 2,
        period: '24h',
      },
    ],
  });
  const invite = (fail: boolean) =>
    fetch(`${g.url}/invitations`, { method: 'POST', headers: fail ? { 'x-fail': '1' } : {} });
  assert.equal((await invite(true)).status, 500); // an upstream failure: refunded
  assert.equal((await invite(false)).status, 201);
  assert.equal((await invite(true)).status, 500);
  assert.equal((await invite(false)).status, 201);
  const third = await invite(false);
  assert.equal(third.status, 429);
  assert.equal(
    ((await third.json()) as Record<string, unknown>)['code'],
    'BULWARK_DENY_QUOTA_EXCEEDED',
  );
  assert.equal(g.upstream.seen.length, 4);
});

test('login brute force: after the allowance every attempt gets the same 429, even the right password (API2)', async (t) => {
  const g = await gateway(t, {
    login: {
      operations: ['login'],
      account: { body: '/username' },
      perAccount: { failures: 3, within: '15m' },
      penalty: 'lockout',
      lockout: '15m',
    },
  });
  for (let i = 0; i < 3; i++) assert.equal((await login(g.url, 'alice', `guess${i}`)).status, 401);
  const right = await login(g.url, 'alice', 'right');
  const ghost = await login(g.url, 'ALICE', 'whatever');
  assert.equal(right.status, 429);
  assert.equal(ghost.status, 429);
  const [a, b] = [
    (await right.json()) as Record<string, unknown>,
    (await ghost.json()) as Record<string, unknown>,
  ];
  assert.equal(a['code'], 'BULWARK_DENY_LOGIN_THROTTLED');
  assert.deepEqual({ ...a, requestId: 0 }, { ...b, requestId: 0 }, 'uniform answers');
  assert.equal(g.upstream.seen.length, 3);
  assert.equal((await login(g.url, 'bob', 'right')).status, 200, 'other accounts are unaffected');
});

test('a failed login is answered the same for an unknown account and a wrong password (CWE-204)', async (t) => {
  const g = await gateway(t, { login: { operations: ['login'], account: { body: '/username' } } });
  const unknown = await login(g.url, 'nobody', 'x');
  const wrong = await login(g.url, 'alice', 'x');
  for (const res of [unknown, wrong]) {
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="test"', 'the challenge stays');
  }
  const [a, b] = [
    (await unknown.json()) as Record<string, unknown>,
    (await wrong.json()) as Record<string, unknown>,
  ];
  assert.equal(a['code'], 'BULWARK_DENY_LOGIN_FAILED');
  assert.deepEqual({ ...a, requestId: 0 }, { ...b, requestId: 0 });
  assert.doesNotMatch(JSON.stringify(a), /unknown_user|wrong_password/);
  const ok = await login(g.url, 'alice', 'right');
  assert.equal(ok.status, 200, 'successes pass untouched');
});

test('a sequential id scan is logged as a violation and then blocked (API1)', async (t) => {
  const g = await gateway(t, {
    enumeration: { sequentialRun: 4, block: '10m', maxDistinctIds: 1000 },
  });
  const statuses = [];
  for (let id = 1; id <= 6; id++) statuses.push((await fetch(`${g.url}/documents/${id}`)).status);
  assert.deepEqual(statuses, [200, 200, 200, 404, 429, 429]);
  const records = g.logs.records();
  assert.ok(
    records.some((r) => JSON.stringify(r).includes('BULWARK_ALERT_ENUMERATION_SEQUENTIAL_IDS')),
  );
});

test('a cost above a rule capacity is refused at startup', async (t) => {
  await assert.rejects(
    gateway(t, { rules: [{ name: 'tiny', key: ['address'], limit: 2, period: '1m' }] }),
    (e: unknown) =>
      isBulwarkError(e) && e.code === 'BULWARK_ERR_CONFIG_INVALID' && /search/.test(e.message),
  );
});
