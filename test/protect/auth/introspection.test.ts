// RFC 7662 introspection for opaque tokens, against a loopback authorization server: active tokens
// pass with their identity, inactive ones are refused, answers are cached but never past `exp`, and
// an unreachable server fails closed.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { authGateway, bearer, get, now, openapi } from './helpers.js';

const spec = () =>
  openapi(
    {
      '/items': {
        get: {
          operationId: 'listItems',
          security: [{ oauth: ['items:read'] }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    {
      components: {
        securitySchemes: {
          oauth: {
            type: 'oauth2',
            flows: {
              clientCredentials: {
                tokenUrl: 'https://as.test/token',
                scopes: { 'items:read': 'r' },
              },
            },
          },
        },
      },
    },
  );

async function authServer(t: TestContext, answers: Record<string, Record<string, unknown>>) {
  const state = { url: '', hits: 0, auth: [] as string[] };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      state.hits++;
      state.auth.push(req.headers.authorization ?? '');
      const token = new URLSearchParams(body).get('token') ?? '';
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answers[token] ?? { active: false }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
  return state;
}

const config = (url: string): AuthConfig => ({
  schemes: {
    oauth: {
      type: 'introspection',
      url,
      clientId: 'gateway',
      clientSecret: 'gw secret',
      issuer: 'https://as.test',
    },
  },
});

test('active tokens pass with their identity; inactive, unknown and wrong-issuer tokens get the same 401', async (t) => {
  const as = await authServer(t, {
    good: {
      active: true,
      sub: 'alice',
      scope: 'items:read',
      iss: 'https://as.test',
      exp: now() + 300,
    },
    noscope: { active: true, sub: 'bob', scope: 'other', iss: 'https://as.test', exp: now() + 300 },
    evil: {
      active: true,
      sub: 'eve',
      scope: 'items:read',
      iss: 'https://evil.test',
      exp: now() + 300,
    },
    dead: { active: false, sub: 'alice' },
  });
  const h = await authGateway(t, spec(), config(as.url));
  const res = await get(`${h.url}/items`, bearer('good'));
  assert.equal(res.status, 200);
  assert.equal(h.upstream.seen[0]!.headers['x-bulwark-subject'], 'alice');
  assert.equal(as.auth[0], `Basic ${Buffer.from('gateway:gw+secret').toString('base64')}`);
  for (const tok of ['dead', 'unknown', 'evil'])
    assert.equal((await get(`${h.url}/items`, bearer(tok))).status, 401);
  assert.equal((await get(`${h.url}/items`, bearer('noscope'))).status, 403);
});

test('answers are cached by token hash, but never past the token exp', async (t) => {
  const as = await authServer(t, {
    long: {
      active: true,
      sub: 'alice',
      scope: 'items:read',
      iss: 'https://as.test',
      exp: now() + 300,
    },
    short: {
      active: true,
      sub: 'alice',
      scope: 'items:read',
      iss: 'https://as.test',
      exp: now() + 2,
    },
  });
  const h = await authGateway(t, spec(), config(as.url));
  for (let i = 0; i < 3; i++)
    assert.equal((await get(`${h.url}/items`, bearer('long'))).status, 200);
  assert.equal(as.hits, 1, 'one introspection for three requests');
  assert.equal((await get(`${h.url}/items`, bearer('short'))).status, 200);
  await sleep(3100);
  assert.equal(
    (await get(`${h.url}/items`, bearer('short'))).status,
    401,
    'expired: asked again and refused',
  );
  assert.equal(as.hits, 3);
});

test('an unreachable introspection endpoint fails closed', async (t) => {
  const h = await authGateway(t, spec(), config('http://127.0.0.1:1/introspect'));
  assert.equal((await get(`${h.url}/items`, bearer('good'))).status, 401);
});
