// Settings resolution: the API base comes from the spec's server PATH only (a spec cannot send the
// scanner to another host), the scope defaults to the target's host, and config maps to settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSpecFromString } from '../../src/core/openapi/load.js';
import { apiBase, resolveSettings } from '../../src/scan/config.js';

const spec = (servers: unknown) =>
  loadSpecFromString(
    JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, servers, paths: {} }),
    { file: 's.json' },
  );

test('the base path comes from the spec, the host never does', async () => {
  const target = new URL('http://127.0.0.1:8081');
  assert.equal(
    apiBase(target, await spec([{ url: 'http://169.254.169.254/api/v2' }])).href,
    'http://127.0.0.1:8081/api/v2/',
  );
  assert.equal(
    apiBase(target, await spec([{ url: '/api/{v}', variables: { v: { default: 'v3' } } }])).href,
    'http://127.0.0.1:8081/api/v3/',
  );
  assert.equal(
    apiBase(new URL('http://127.0.0.1:8081/api/v2'), await spec([{ url: '/api/v2' }])).href,
    'http://127.0.0.1:8081/api/v2/',
    'not doubled',
  );
  assert.equal(apiBase(target, await spec(undefined)).href, 'http://127.0.0.1:8081/');
});

test('scope defaults to the target host; config adds hosts; flags and defaults apply', async () => {
  const model = await spec([{ url: '/' }]);
  const settings = resolveSettings(
    {
      target: 'http://127.0.0.1:1',
      scope: { hosts: ['auth.internal:8443'] },
      rate: { requestsPerSecond: 7 },
      flows: { invites: { operations: ['invite'] } },
      consumers: [{ operation: 'classify' }, { operation: 'hook', field: 'body.url' }],
      identities: {
        a: { role: 'user', auth: { header: { name: 'X-Key', value: 'k' } } },
        root: { role: 'admin', auth: { login: { path: '/login', body: {}, tokenPath: '$.t' } } },
      },
    },
    { target: 'http://127.0.0.1:8081', intrusive: true },
    model,
  );
  assert.deepEqual(settings.scopeHosts, ['127.0.0.1:8081', 'auth.internal:8443']);
  assert.equal(settings.requestsPerSecond, 7);
  assert.equal(settings.intrusive, true);
  assert.deepEqual(settings.sensitiveFlows, ['invite']);
  assert.deepEqual(settings.consumers, [
    { operation: 'classify' },
    { operation: 'hook', field: 'body.url' },
  ]);
  assert.equal(settings.identities[1]?.admin, true);
  assert.deepEqual(settings.identities[1]?.auth, {
    kind: 'login',
    operation: 'POST /login',
    body: {},
    tokenPath: '$.t',
    header: 'Authorization',
    scheme: 'Bearer',
  });
  assert.equal(settings.timeoutMs, 10_000, 'every request has a timeout by default');
});
