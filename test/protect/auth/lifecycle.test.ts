// What the auth stages open, they close: the revocation store's Redis connection, the IdP HTTP pool,
// the ownership preflight pool. Checked on a real Redis (CLIENT LIST names the gateway's connection),
// through the proxy, a refused config and the three adapters, and by a child process that must exit
// on its own once its gateway is closed. Outages an operator must hear of reach the log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import express from 'express';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import { BulwarkError } from '../../../src/core/errors.js';
import {
  compileGateway,
  protectExpress,
  protectFastify,
  protectHandler,
} from '../../../src/protect/index.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import { LogSink, startUpstream } from '../helpers.js';
import { authGateway, authPolicy, bearer, get, openapi } from './helpers.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NAME = `bulwark-revocation-${process.pid}`;
const SECRET = 'l'.repeat(32);
const ok = { '200': { description: 'ok' } };
const spec = () =>
  openapi(
    { '/items': { get: { operationId: 'listItems', responses: ok } } },
    {
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  );
const auth = (extra: Partial<AuthConfig> = {}): AuthConfig => ({
  schemes: { bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] } },
  revocation: { store: 'redis', url: REDIS_URL, prefix: `bulwark-test:lifecycle:${process.pid}:` },
  ...extra,
});

let admin: Redis;
before(async () => {
  admin = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await admin.connect();
  } catch (cause) {
    throw new Error(`Redis is required at ${REDIS_URL}`, { cause });
  }
});
after(() => admin.disconnect());

/** This process's revocation connections, as Redis sees them. */
async function connections(): Promise<number> {
  const list = (await admin.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${NAME} `)).length;
}

/** Waits (at most 3 s) until Redis sees `want` revocation connections from this process. */
async function expectConnections(want: number, why: string): Promise<void> {
  const deadline = Date.now() + 3000;
  let seen = await connections();
  while (seen !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await connections();
  }
  assert.equal(seen, want, why);
}

const token = () =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setJti(`j-${Math.random()}`)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

test('closing the gateway closes the revocation store connection', async (t) => {
  await expectConnections(0, 'no connection before the test');
  const upstream = await startUpstream(t);
  const gw = await startProtect({
    model: spec(),
    policy: authPolicy(auth(), {}, upstream.url),
    stages,
    upstream: upstream.url,
    port: 0,
    adminPort: 0,
    logger: createLogger(new LogSink()),
  });
  const res = await get(`${gw.url}/items`, bearer(await token()));
  assert.equal(res.status, 200);
  await expectConnections(1, 'the gateway holds one named connection');
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
  assert.match(metrics, /^bulwark_auth_revocation_store_up 1$/m);
  await gw.close();
  await expectConnections(0, 'no connection after close');
});

test('a config refused after the store connected does not leave the connection behind', async () => {
  const refused = auth({
    schemes: {
      bearer: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] },
      undeclared: { type: 'jwt', algorithms: ['HS256'], keys: [{ secret: SECRET }] },
    },
  });
  assert.throws(
    () => compileGateway(spec(), authPolicy(refused, {}, 'http://127.0.0.1:9')),
    (e: unknown) => e instanceof BulwarkError && /undeclared/.test(e.message),
  );
  // Without the cleanup the connection would come up within milliseconds and stay: give it time.
  await new Promise((r) => setTimeout(r, 500));
  await expectConnections(0, 'the connection opened before the refusal was closed');
});

async function serve(
  t: TestContext,
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const stop = () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
  t.after(() => (server.listening ? stop() : undefined));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop };
}

const app = (
  _req: unknown,
  res: { end(s: string): void; setHeader(k: string, v: string): void },
) => {
  res.setHeader('content-type', 'application/json');
  res.end('{}');
};

test('the node and Express adapters close their gateway on request', async (t) => {
  for (const kind of ['node', 'express'] as const) {
    const gateway = compileGateway(spec(), authPolicy(auth()));
    const wrapped =
      kind === 'node' ? protectHandler(gateway, app as never) : protectExpress(gateway);
    const handler =
      kind === 'node'
        ? (wrapped as ReturnType<typeof protectHandler>)
        : express()
            .use(wrapped as ReturnType<typeof protectExpress>)
            .get('/items', app as never);
    const { url, stop } = await serve(t, handler as Parameters<typeof createServer>[1]);
    assert.equal((await get(`${url}/items`, bearer(await token()))).status, 200, kind);
    assert.equal((await get(`${url}/items`)).status, 401, kind);
    await expectConnections(1, `${kind}: connected`);
    await stop();
    await wrapped.close();
    await wrapped.close(); // idempotent
    await expectConnections(0, `${kind}: closed`);
  }
});

test('the Fastify plugin closes the gateway when the app closes (unless told not to)', async () => {
  const gateway = compileGateway(spec(), authPolicy(auth()));
  const fastify = Fastify();
  await fastify.register(protectFastify, { gateway });
  fastify.get('/items', async () => ({}));
  const res = await fastify.inject({
    method: 'GET',
    url: '/items',
    headers: bearer(await token()),
  });
  assert.equal(res.statusCode, 200);
  await expectConnections(1, 'connected');
  await fastify.close();
  await expectConnections(0, 'closed with the app');

  const shared = compileGateway(spec(), authPolicy(auth()));
  const second = Fastify();
  await second.register(protectFastify, { gateway: shared, closeGateway: false });
  await second.ready();
  await expectConnections(1, 'connected');
  await second.close();
  await expectConnections(1, 'a shared gateway stays open');
  await shared.close();
  await expectConnections(0, 'closed by its owner');
});

test('a process whose gateway closed exits on its own, with no socket or timer left', async () => {
  const child = fileURLToPath(new URL('./fixtures/close-child.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, REDIS_URL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.equal(code, 0, `the child exited by itself (stderr: ${err.slice(0, 2000)})`);
  const report = JSON.parse(out.trim().split('\n').at(-1)!) as {
    statuses: number[];
    resources: string[];
  };
  assert.deepEqual(report.statuses, [200, 200], 'JWKS-verified and introspected tokens passed');
  assert.deepEqual(
    report.resources.filter((r) => /TCP|Timeout|Immediate/i.test(r)),
    [],
    'no socket or timer is left after close',
  );
});

test('IdP and revocation store outages reach the log once, not once per request', async (t) => {
  const idp = await serve(t, (_req, res) => {
    res.writeHead(503);
    res.end();
  });
  const h = await authGateway(t, spec(), {
    schemes: {
      bearer: {
        type: 'jwt',
        algorithms: ['EdDSA'],
        jwks: { url: `${idp.url}/jwks`, cooldownSeconds: 0 },
      },
    },
    revocation: { store: 'redis', url: 'redis://127.0.0.1:1', prefix: 'x:' },
  });
  const forged = `${Buffer.from('{"alg":"EdDSA","kid":"k1"}').toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}.c2ln`;
  for (let i = 0; i < 3; i++) {
    assert.equal((await get(`${h.url}/items`, bearer(forged))).status, 401);
  }
  const records = h.logs.records();
  const idpLines = records.filter((r) => r['event'] === 'auth.idp_unavailable');
  assert.equal(idpLines.length, 1, 'one line for three failed refreshes');
  assert.equal(idpLines[0]!['scheme'], 'bearer');
  assert.match(String(idpLines[0]!['err']), /503/);
  const deadline = Date.now() + 3000;
  while (
    Date.now() < deadline &&
    !h.logs.records().some((r) => r['event'] === 'auth.revocation_store_down')
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const down = h.logs.records().filter((r) => r['event'] === 'auth.revocation_store_down');
  assert.equal(down.length, 1, 'the outage is logged once, as an error');
  assert.equal(down[0]!['level'], 50);
  assert.equal(h.logs.records().filter((r) => r['event'] === 'auth.revocation_store_up').length, 0);
  const metrics = await (await fetch(`${h.adminUrl}/metrics`)).text();
  assert.match(metrics, /^bulwark_auth_revocation_store_up 0$/m);
  // Every failed refresh is counted (two per request here: stale, then unknown kid), logged once.
  const failed = /^bulwark_auth_idp_failures_total\{scheme="bearer",source="jwks"\} (\d+)$/m.exec(
    metrics,
  );
  assert.ok(failed && Number(failed[1]) >= 3, metrics);
});
