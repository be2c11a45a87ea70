// The three embedding adapters take the same decisions as the proxy: one table of cases, run against
// a plain node:http app, an Express app and a Fastify app that all leak the same way.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import {
  compileGateway,
  protectExpress,
  protectFastify,
  protectHandler,
} from '../../../src/protect/index.js';
import { testModel } from '../fixtures.js';

const leakyUser = {
  id: '1',
  name: 'a',
  password_hash: '$2b$secret',
  address: { city: 'x', geo: 'y' },
};

interface Seen {
  calls: number;
  body: unknown;
}

async function listen(t: TestContext, server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Start = (t: TestContext, seen: Seen) => Promise<string>;

const gateway = () => compileGateway(testModel(), {});

const starters: Record<string, Start> = {
  async 'node:http'(t, seen) {
    const app = (req: IncomingMessage & { body?: unknown }, res: ServerResponse): void => {
      seen.calls++;
      seen.body = req.body;
      if (req.url === '/boom') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('TypeError: x is undefined\n    at /srv/app.js:1:1');
        return;
      }
      res.setHeader('x-powered-by', 'node');
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(leakyUser));
    };
    return listen(t, createServer(protectHandler(gateway(), app)));
  },
  async express(t, seen) {
    const app = express();
    app.set('env', 'test'); // finalhandler: no stack on stderr
    app.use(protectExpress(gateway()));
    app.use(express.json());
    app.get('/boom', () => {
      throw new Error('stack at /srv/app.js');
    });
    app.all('/{*any}', (req, res) => {
      seen.calls++;
      seen.body = req.body;
      res.status(req.method === 'POST' ? 201 : 200).json(leakyUser);
    });
    return listen(t, createServer(app));
  },
  async fastify(t, seen) {
    const app = Fastify();
    await app.register(protectFastify, { gateway: gateway() });
    app.get('/boom', async () => {
      throw new Error('stack at /srv/app.js');
    });
    const handler = async (
      req: { body: unknown; method: string },
      reply: { code(n: number): void },
    ) => {
      seen.calls++;
      seen.body = req.body;
      reply.code(req.method === 'POST' ? 201 : 200);
      return leakyUser;
    };
    app.route({ method: ['GET', 'POST', 'PUT', 'DELETE'], url: '/*', handler });
    await app.listen({ port: 0, host: '127.0.0.1' });
    t.after(() => app.close());
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  },
};

for (const [name, start] of Object.entries(starters)) {
  test(`${name}: undocumented paths and methods never reach the app`, async (t) => {
    const seen: Seen = { calls: 0, body: undefined };
    const url = await start(t, seen);
    const a = await fetch(`${url}/debug`);
    assert.equal(a.status, 404);
    assert.equal(((await a.json()) as { code: string }).code, 'BULWARK_DENY_NOT_FOUND');
    const b = await fetch(`${url}/users/1`, { method: 'DELETE' });
    assert.equal(b.status, 405);
    assert.equal(b.headers.get('allow'), 'GET, PUT, HEAD');
    assert.equal((await fetch(`${url}/users/0`)).status, 400);
    assert.equal(seen.calls, 0);
  });

  test(`${name}: mass assignment refused, a valid body reaches the app parsed`, async (t) => {
    const seen: Seen = { calls: 0, body: undefined };
    const url = await start(t, seen);
    const post = (body: string) =>
      fetch(`${url}/users`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    const bad = await post('{"name":"a","role":"admin"}');
    assert.equal(bad.status, 400);
    assert.equal(
      ((await bad.json()) as { code: string }).code,
      'BULWARK_DENY_BODY_UNKNOWN_PROPERTY',
    );
    assert.equal(seen.calls, 0);
    const good = await post('{"name":"ann"}');
    assert.equal(good.status, 201);
    assert.deepEqual(seen.body, { name: 'ann' });
    assert.equal(seen.calls, 1);
  });

  test(`${name}: responses projected, banners removed, security headers added`, async (t) => {
    const url = await start(t, { calls: 0, body: undefined });
    const res = await fetch(`${url}/users/1`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: '1', name: 'a', address: { city: 'x' } });
    assert.equal(res.headers.get('x-powered-by'), null);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test(`${name}: app errors leave as a generic problem without the stack`, async (t) => {
    const url = await start(t, { calls: 0, body: undefined });
    const res = await fetch(`${url}/boom`);
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.doesNotMatch(text, /srv\/app\.js/);
    assert.equal((JSON.parse(text) as { code: string }).code, 'BULWARK_UPSTREAM_ERROR');
  });
}
