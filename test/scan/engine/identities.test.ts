// Identities: static header, login with refresh on expiry, and OAuth2 client credentials
// (client_secret_basic, RFC 6749 §2.3.1 and §4.4), against a real loopback server.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { isBulwarkError } from '../../../src/core/errors.js';
import { ScanHttpClient } from '../../../src/scan/engine/http.js';
import { Identities, lookup } from '../../../src/scan/engine/identities.js';
import type { IdentitySettings } from '../../../src/scan/settings.js';
import { targetModel } from '../helpers/spec.js';

async function authServer(t: TestContext) {
  const counts = { login: 0, oauth: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/api/v2/login') {
        counts.login++;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ data: { token: `t${counts.login}` }, expires_in: 1 }));
      } else if (req.url === '/oauth/token') {
        counts.oauth++;
        const expected = `Basic ${Buffer.from('svc:s%3Acret').toString('base64')}`;
        const form = new URLSearchParams(body);
        if (
          req.headers.authorization !== expected ||
          form.get('grant_type') !== 'client_credentials'
        ) {
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"error":"invalid_client"}');
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: `o-${form.get('scope')}`, expires_in: 3600 }));
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/`);
  const http = new ScanHttpClient({
    base: url,
    scopeHosts: [url.host],
    requestsPerSecond: 1000,
    concurrency: 2,
    timeoutMs: 2000,
    maxResponseBytes: 65536,
    waitBudgetMs: 10_000,
    signal: new AbortController().signal,
  });
  t.after(() => http.close());
  return { url, http, counts };
}

test('login identities take the token by JSON path and log in again when it expires', async (t) => {
  const { http, counts } = await authServer(t);
  const settings: IdentitySettings[] = [
    {
      name: 'alice',
      role: 'user',
      admin: false,
      auth: {
        kind: 'login',
        operation: 'POST /login',
        body: { u: 'a' },
        tokenPath: '$.data.token',
        expiresInPath: '$.expires_in',
        header: 'Authorization',
        scheme: 'Bearer',
      },
    },
  ];
  const identities = new Identities(settings, await targetModel(), http);
  await identities.authenticateAll();
  assert.deepEqual(
    await identities.headers('alice'),
    { authorization: 'Bearer t2' },
    'a 1 s token is inside the refresh margin, so it is renewed',
  );
  assert.equal(counts.login, 2);
});

test('static headers are sent as configured', async (t) => {
  const { http } = await authServer(t);
  const identities = new Identities(
    [
      {
        name: 'k',
        role: 'user',
        admin: false,
        auth: { kind: 'header', name: 'X-API-Key', value: 'k1' },
      },
    ],
    await targetModel(),
    http,
  );
  await identities.authenticateAll();
  assert.deepEqual(await identities.headers('k'), { 'x-api-key': 'k1' });
});

test('OAuth2 client credentials use client_secret_basic and the scopes; a refusal is an identity error', async (t) => {
  const { url, http } = await authServer(t);
  const oauth = (secret: string): IdentitySettings[] => [
    {
      name: 'svc',
      role: 'service',
      admin: false,
      auth: {
        kind: 'oauth2',
        tokenUrl: new URL('/oauth/token', url).href,
        clientId: 'svc',
        clientSecret: secret,
        scopes: ['read', 'write'],
      },
    },
  ];
  const good = new Identities(oauth('s:cret'), await targetModel(), http);
  await good.authenticateAll();
  assert.deepEqual(await good.headers('svc'), { authorization: 'Bearer o-read write' });
  const bad = new Identities(oauth('wrong'), await targetModel(), http);
  await assert.rejects(
    bad.authenticateAll(),
    (e) => isBulwarkError(e) && e.code === 'BULWARK_ERR_SCAN_IDENTITY' && !/wrong/.test(e.message),
  );
});

test('lookup reads $.a.b paths and JSON pointers', () => {
  assert.equal(lookup({ a: { b: 1 } }, '$.a.b'), 1);
  assert.equal(lookup({ a: [{ b: 2 }] }, '/a/0/b'), 2);
  assert.equal(lookup({ a: 1 }, '$.missing'), undefined);
});
