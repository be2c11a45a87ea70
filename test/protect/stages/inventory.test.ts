import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testModel } from '../fixtures.js';
import { json, startHarness } from '../helpers.js';

test('an undocumented path is 404 problem+json and never reaches the upstream', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await fetch(`${h.url}/debug/vars`);
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  const body = await json(res);
  assert.equal(body['code'], 'BULWARK_DENY_NOT_FOUND');
  assert.equal(body['status'], 404);
  assert.equal(body['requestId'], res.headers.get('x-request-id'));
  assert.equal(h.upstream.seen.length, 0);
});

test('an undocumented method is 405 with Allow from the spec', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await fetch(`${h.url}/users/1`, { method: 'DELETE' });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'GET, PUT, HEAD');
  assert.equal((await json(res))['code'], 'BULWARK_DENY_METHOD_NOT_ALLOWED');
  assert.equal(h.upstream.seen.length, 0);
});

test('report-only mode forwards undocumented requests and logs the violation', async (t) => {
  const h = await startHarness(t, testModel(), { inventory: { undocumented: 'report' } });
  const res = await fetch(`${h.url}/debug/vars`);
  assert.equal(res.status, 200);
  assert.equal(h.upstream.seen[0]?.url, '/debug/vars');
  await h.gateway.close();
  const line = h.logs.records().find((r) => r['path'] === '/debug/vars');
  assert.equal(line?.['decision'], 'report');
  assert.deepEqual(line?.['violations'], ['BULWARK_DENY_NOT_FOUND']);
});

test('HEAD is allowed where GET is documented', async (t) => {
  const h = await startHarness(t, testModel());
  const res = await fetch(`${h.url}/users/7`, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(h.upstream.seen[0]?.method, 'HEAD');
});

test('deprecated operations send Deprecation and Sunset; after the sunset they answer 410', async (t) => {
  const h = await startHarness(t, testModel());
  const old = await fetch(`${h.url}/old`);
  assert.equal(old.status, 200);
  assert.match(old.headers.get('deprecation') ?? '', /^@\d+$/);
  assert.equal(old.headers.get('sunset'), 'Tue, 01 Jan 2999 00:00:00 GMT');
  const gone = await fetch(`${h.url}/gone`);
  assert.equal(gone.status, 410);
  assert.equal((await json(gone))['code'], 'BULWARK_DENY_GONE');
  assert.equal(h.upstream.seen.filter((s) => s.url === '/gone').length, 0);
});

test('config sunset overrides the spec extension', async (t) => {
  const h = await startHarness(t, testModel(), {
    operations: { old: { sunset: '2000-01-01T00:00:00Z' } },
  });
  assert.equal((await fetch(`${h.url}/old`)).status, 410);
});

test('operation paths are routed under their server base path (OpenAPI servers, Swagger basePath)', async (t) => {
  const { openapi } = await import('../helpers.js');
  const model = openapi(
    { '/items': { get: { operationId: 'items', responses: { '200': { description: 'ok' } } } } },
    {
      servers: [
        { url: 'https://api.example.com/{version}', variables: { version: { default: 'v1' } } },
      ],
    },
  );
  const h = await startHarness(t, model);
  assert.equal((await fetch(`${h.url}/v1/items`)).status, 200);
  assert.equal(h.upstream.seen[0]?.url, '/v1/items');
  assert.equal((await fetch(`${h.url}/items`)).status, 404);
  const { parseSpecText } = await import('../../../src/core/openapi/load.js');
  const swagger = parseSpecText(
    JSON.stringify({
      swagger: '2.0',
      info: { title: 't', version: '1' },
      basePath: '/api',
      paths: { '/things': { get: { responses: { '200': { description: 'ok' } } } } },
    }),
    'swagger.json',
  );
  const s = await startHarness(t, swagger);
  assert.equal((await fetch(`${s.url}/api/things`)).status, 200);
  assert.equal((await fetch(`${s.url}/things`)).status, 404);
});
