import assert from 'node:assert/strict';
import { test } from 'node:test';
import { urlPointers } from '../../../src/protect/stages/ssrf.js';
import { testModel } from '../fixtures.js';
import { json, startHarness } from '../helpers.js';

const send = (url: string, body: unknown) =>
  fetch(`${url}/imports`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

test('format: uri fields are found in the schema, arrays and composition included', () => {
  const s = {
    type: 'object',
    properties: {
      a: { type: 'string', format: 'uri' },
      list: { type: 'array', items: { format: 'url' } },
      n: { allOf: [{ properties: { b: { format: 'uri' } } }] },
    },
  };
  assert.deepEqual(urlPointers(s).sort(), ['/a', '/list/*', '/n/b']);
});

test('API7: loopback, private, link-local and metadata URLs are refused before the upstream', async (t) => {
  const h = await startHarness(t, testModel(), { ssrf: { schemes: ['https', 'http'] } });
  const bad = [
    'http://127.0.0.1:6379/',
    'http://localhost/admin',
    'http://10.0.0.5/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://[fd00::1]/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://user:pass@8.8.8.8/',
    'gopher://8.8.8.8/',
    'file:///etc/passwd',
  ];
  for (const url of bad) {
    const res = await send(h.url, { url });
    assert.equal(res.status, 400, url);
    assert.equal((await json(res))['code'], 'BULWARK_DENY_URL_REFUSED', url);
  }
  const nested = await send(h.url, { mirrors: ['https://93.184.215.14/', 'http://127.0.0.1/'] });
  assert.equal(nested.status, 400);
  assert.equal(h.upstream.seen.length, 0);
});

test('a public address passes; the scheme allowlist defaults to https', async (t) => {
  const h = await startHarness(t, testModel());
  assert.equal((await send(h.url, { url: 'https://93.184.215.14/doc.pdf' })).status, 200);
  assert.equal((await send(h.url, { url: 'http://93.184.215.14/doc.pdf' })).status, 400);
});

test('a host allowlist restricts guarded fields to listed hosts', async (t) => {
  const h = await startHarness(t, testModel(), { ssrf: { allowHosts: ['*.docs.example'] } });
  assert.equal((await send(h.url, { url: 'https://93.184.215.14/x' })).status, 400);
});

test('fields named in config are guarded too, and the guard can be turned off', async (t) => {
  const model = testModel();
  const h = await startHarness(t, model, {
    ssrf: { fields: ['createUser:/name'] },
    operations: { createUser: { allowUnknownProperties: true } },
  });
  const res = await fetch(`${h.url}/users`, {
    method: 'POST',
    body: '{"name":"http://127.0.0.1/"}',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 400);
  const off = await startHarness(t, model, { ssrf: { enabled: false } });
  assert.equal((await send(off.url, { url: 'http://127.0.0.1/' })).status, 200);
});
