import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testModel } from '../fixtures.js';
import { json, startHarness } from '../helpers.js';

test('valid parameters of every location pass and the query is forwarded unchanged', async (t) => {
  const h = await startHarness(t, testModel());
  const q = 'limit=10&tags=a&tags=b&ids=1,2,3&filter[city]=Paris';
  const res = await fetch(`${h.url}/users?${q}`, {
    headers: { 'x-tenant': 'acme', cookie: 'session=abcd' },
  });
  assert.equal(res.status, 200, await res.text());
  assert.equal(h.upstream.seen[0]?.url, `/users?${q}`);
});

test('a path parameter that breaks its schema is refused', async (t) => {
  const h = await startHarness(t, testModel());
  for (const p of ['/users/0', '/users/abc', '/users/1.5']) {
    const res = await fetch(`${h.url}${p}`);
    assert.equal(res.status, 400, p);
    const body = await json(res);
    assert.equal(body['code'], 'BULWARK_DENY_PARAM_INVALID');
    assert.deepEqual((body['errors'] as { pointer: string }[])[0]?.pointer, '/path/id');
  }
  assert.equal(h.upstream.seen.length, 0);
});

test('API4: limit over the maximum is refused, and the maximum is not revealed', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await fetch(`${h.url}/users?limit=100000`);
  assert.equal(res.status, 400);
  const text = await res.text();
  assert.doesNotMatch(text, /100\b/);
  assert.equal(h.upstream.seen.length, 0);
});

test('a repeated scalar parameter is refused (parameter pollution)', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await fetch(`${h.url}/users?limit=5&limit=500`);
  assert.equal(res.status, 400);
  assert.equal((await json(res))['code'], 'BULWARK_DENY_PARAM_DUPLICATE');
});

test('undeclared query parameters are refused unless allowed by config', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await fetch(`${h.url}/users?debug=true`);
  assert.equal(res.status, 400);
  assert.equal((await json(res))['code'], 'BULWARK_DENY_PARAM_UNKNOWN');
  const h2 = await startHarness(t, testModel(), { validation: { unknownQueryParams: 'allow' } });
  assert.equal((await fetch(`${h2.url}/users?debug=true`)).status, 200);
});

test('header, cookie, array item and empty values are validated', async (t) => {
  const h = await startHarness(t, testModel());
  assert.equal((await fetch(`${h.url}/users`, { headers: { 'x-tenant': 'ACME!' } })).status, 400);
  assert.equal((await fetch(`${h.url}/users`, { headers: { cookie: 'session=a' } })).status, 400);
  assert.equal((await fetch(`${h.url}/users?ids=1,x`)).status, 400);
  assert.equal((await fetch(`${h.url}/users?limit=`)).status, 400);
  assert.equal((await fetch(`${h.url}/users?limit=%zz`)).status, 400);
  assert.equal(h.upstream.seen.length, 0);
});

test('report mode forwards invalid parameters and records the violation', async (t) => {
  const h = await startHarness(t, testModel(), { validation: { requests: 'report' } });
  const res = await fetch(`${h.url}/users?limit=0`);
  assert.equal(res.status, 200);
  assert.equal(h.upstream.seen.length, 1);
});
