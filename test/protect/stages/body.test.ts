import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { testModel } from '../fixtures.js';
import { json, startHarness } from '../helpers.js';

const post = (url: string, body: string, type = 'application/json') =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': type, authorization: 'Bearer x' },
  });

test('a valid JSON body is forwarded byte for byte', async (t) => {
  const h = await startHarness(t, testModel(), {}, (_req, res) => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end('{"id":"1","name":"a"}');
  });
  const body = '{ "name" : "ann", "tags": ["x"], "n1": null }'.replace(', "n1": null', '');
  const res = await post(`${h.url}/users`, body);
  assert.equal(res.status, 201);
  assert.equal(h.upstream.seen[0]?.body, body);
});

test('mass assignment: unknown and readOnly properties are refused with the offending pointer', async (t) => {
  const h = await startHarness(t, testModel());
  for (const [body, pointer] of [
    ['{"name":"a","role":"admin"}', '/role'],
    ['{"name":"a","id":"42"}', '/id'],
    ['{"name":"a","address":{"city":"x","isAdmin":true}}', '/address/isAdmin'],
  ] as const) {
    const res = await post(`${h.url}/users`, body);
    assert.equal(res.status, 400, body);
    const problem = await json(res);
    assert.equal(problem['code'], 'BULWARK_DENY_BODY_UNKNOWN_PROPERTY');
    assert.equal((problem['errors'] as { pointer: string }[])[0]?.pointer, pointer);
  }
  assert.equal(h.upstream.seen.length, 0);
});

test('allowUnknownProperties per operation turns the mass-assignment defence off', async (t) => {
  const h = await startHarness(t, testModel(), {
    operations: { createUser: { allowUnknownProperties: true } },
  });
  assert.equal((await post(`${h.url}/users`, '{"name":"a","extra":1}')).status, 200);
});

test('schema violations, malformed JSON and missing required bodies are refused', async (t) => {
  const h = await startHarness(t, testModel());
  assert.equal(
    (await json(await post(`${h.url}/users`, '{"name":5}')))['code'],
    'BULWARK_DENY_BODY_INVALID',
  );
  assert.equal(
    (await json(await post(`${h.url}/users`, '{"name":')))['code'],
    'BULWARK_DENY_BODY_MALFORMED',
  );
  assert.equal(
    (await json(await post(`${h.url}/users`, '{"name":"a","name":"b"}')))['code'],
    'BULWARK_DENY_BODY_MALFORMED',
  );
  const none = await fetch(`${h.url}/users`, {
    method: 'POST',
    headers: { authorization: 'Bearer x' },
  });
  assert.equal((await json(none))['code'], 'BULWARK_DENY_BODY_REQUIRED');
  assert.equal(h.upstream.seen.length, 0);
});

test('undeclared media types get 415, also for operations without a body', async (t) => {
  const h = await startHarness(t, testModel());
  assert.equal(
    (await post(`${h.url}/users`, 'name=a', 'application/x-www-form-urlencoded')).status,
    415,
  );
  assert.equal((await post(`${h.url}/users`, '{"name":"a"}', 'text/plain')).status, 415);
  const get = await fetch(`${h.url}/users/1`, {
    method: 'PUT',
    body: '<x/>',
    headers: { 'content-type': 'application/xml' },
  });
  assert.equal(get.status, 415);
  assert.equal(h.upstream.seen.length, 0);
});

test('prototype pollution keys are refused', async (t) => {
  const h = await startHarness(t, testModel(), {
    operations: { createUser: { allowUnknownProperties: true } },
  });
  for (const body of [
    '{"name":"a","__proto__":{"isAdmin":true}}',
    '{"name":"a","constructor":{"prototype":{"isAdmin":true}}}',
    '{"name":"a","address":{"\\u005f_proto__":{}}}',
  ]) {
    const res = await post(`${h.url}/users`, body);
    assert.equal((await json(res))['code'], 'BULWARK_DENY_BODY_POLLUTION', body);
  }
  assert.equal(h.upstream.seen.length, 0);
});

test('deep and key-heavy JSON is refused before parsing', async (t) => {
  const h = await startHarness(t, testModel(), {
    limits: { jsonDepth: 8, jsonKeys: 20 },
    operations: { createUser: { allowUnknownProperties: true } },
  });
  const deep = `{"name":"a","x":${'['.repeat(50)}${']'.repeat(50)}}`;
  assert.equal(
    (await json(await post(`${h.url}/users`, deep)))['code'],
    'BULWARK_DENY_BODY_TOO_COMPLEX',
  );
  const wide = JSON.stringify(
    Object.fromEntries([['name', 'a'], ...Array.from({ length: 30 }, (_, i) => [`k${i}`, i])]),
  );
  assert.equal(
    (await json(await post(`${h.url}/users`, wide)))['code'],
    'BULWARK_DENY_BODY_TOO_COMPLEX',
  );
});

test('API4: bodies over the cap get 413 whether Content-Length says so or not', async (t) => {
  const h = await startHarness(t, testModel(), {
    limits: { bodyBytes: 1024 },
    operations: { upload: { bodyBytes: 64 } },
  });
  const big = JSON.stringify({ name: 'a'.repeat(2000) });
  const res = await post(`${h.url}/users`, big);
  assert.equal(res.status, 413);
  assert.doesNotMatch(await res.text(), /1024/);
  // chunked, no Content-Length: the cap applies while reading
  const chunked = await new Promise<number>((resolve, reject) => {
    const u = new URL(`${h.url}/users`);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      },
      (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.write('{"name":"');
    req.write('a'.repeat(1500));
    req.end('"}');
  });
  assert.equal(chunked, 413);
  const up = await fetch(`${h.url}/uploads`, {
    method: 'POST',
    body: Buffer.alloc(100),
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(up.status, 413);
  assert.equal(h.upstream.seen.length, 0);
});

test('non-JSON bodies stream through under the cap', async (t) => {
  const h = await startHarness(
    t,
    testModel(),
    { operations: { upload: { bodyBytes: 4096 } } },
    (_req, res) => {
      res.writeHead(204);
      res.end();
    },
  );
  const res = await fetch(`${h.url}/uploads`, {
    method: 'POST',
    body: 'x'.repeat(3000),
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(res.status, 204);
  assert.equal(h.upstream.seen[0]?.body.length, 3000);
});

test('a streamed body that exceeds the per-operation cap is cut off with 413', async (t) => {
  const h = await startHarness(t, testModel(), { operations: { upload: { bodyBytes: 1000 } } });
  const status = await new Promise<number>((resolve, reject) => {
    const u = new URL(`${h.url}/uploads`);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      },
      (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    for (let i = 0; i < 10; i++) req.write('y'.repeat(500));
    req.end();
  });
  assert.equal(status, 413);
});

test('errors.exposeLimits names the exceeded limit; by default it stays hidden', async (t) => {
  const model = testModel();
  const big = JSON.stringify({ name: 'a'.repeat(3000) });
  const hidden = await startHarness(t, model, { limits: { bodyBytes: 2048 } });
  const h1 = (await json(await post(`${hidden.url}/users`, big)))['detail'];
  assert.equal(h1, undefined);
  const shown = await startHarness(t, model, {
    limits: { bodyBytes: 2048 },
    errors: { exposeLimits: true },
  });
  const h2 = await json(await post(`${shown.url}/users`, big));
  assert.equal(h2['detail'], 'the body is limited to 2048 bytes');
  const q = await fetch(`${shown.url}/users?${'a'.repeat(9000)}`);
  assert.match(String((await json(q))['detail']), /limited to 8192 bytes/);
});
