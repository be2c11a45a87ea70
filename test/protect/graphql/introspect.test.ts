// The schema by introspection at startup: fetched from a real loopback GraphQL upstream (the lab's
// /graphql), and every way it can fail stops the gateway at startup with BULWARK_ERR_GRAPHQL_SCHEMA
// (fail closed): upstream down, slow, non-JSON, introspection refused, oversized, unbuildable.
import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { startLab } from '../../../src/lab/index.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { compileGateway, startProtect } from '../../../src/protect/index.js';
import { introspectionUrl } from '../../../src/protect/graphql/prepare.js';
import { LogSink } from '../helpers.js';
import { graphqlSpec } from './fixtures.js';

const introspected = (settings: unknown = true) =>
  graphqlSpec({ sdl: undefined, schemaIntrospection: settings });

async function serve(t: TestContext, handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function start(upstream: string, settings: unknown = true) {
  return startProtect({
    model: introspected(settings),
    upstream,
    port: 0,
    config: {},
    logger: createLogger(new LogSink()),
  });
}

async function post(url: string, query: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const schemaError = (pattern: RegExp) => (e: Error & { code?: string }) =>
  e.code === 'BULWARK_ERR_GRAPHQL_SCHEMA' && pattern.test(e.message);

test('the schema is introspected from the lab at startup and enforced', async (t) => {
  const lab = await startLab({ variant: 'vulnerable' });
  t.after(() => lab.close());
  const gw = await start(lab.url);
  t.after(() => gw.close());
  // Sensitive field of the introspected schema: default deny.
  const hash = await post(gw.url, '{ me { passwordHash } }');
  assert.equal(hash.status, 403);
  // Validation runs against the introspected schema (a misspelt field never reaches the lab).
  const typo = await post(gw.url, '{ me { emial } }');
  assert.equal(typo.status, 400);
  assert.equal(typo.body['code'], 'BULWARK_DENY_GRAPHQL_INVALID');
  // Introspection by clients stays refused even though the gateway used it.
  assert.equal((await post(gw.url, '{ __schema { types { name } } }')).status, 403);
  const ok = await post(gw.url, '{ documents(first: 1) { id } }');
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
});

test('every introspection failure stops the gateway at startup (fail closed)', async (t) => {
  // Upstream down: a port that was just freed.
  const down = await serve(t, () => undefined);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const freePort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(start(`http://127.0.0.1:${freePort}`), schemaError(/failed/));
  // Slow: answers never; the timeout ends it.
  await assert.rejects(start(down, { timeoutMs: 200 }), schemaError(/timed out after 200 ms/));
  // Not JSON.
  const html = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<html>hello</html>');
  });
  await assert.rejects(start(html), schemaError(/did not answer JSON/));
  // Introspection disabled: the secure lab refuses __schema.
  const lab = await startLab({ variant: 'secure' });
  t.after(() => lab.close());
  await assert.rejects(start(lab.url), schemaError(/refused introspection|answered 4\d\d/));
  // Oversized, declared (content-length) and streamed (chunked).
  const big = JSON.stringify({ data: { __schema: { padding: 'x'.repeat(4096) } } });
  const declared = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(big);
  });
  await assert.rejects(start(declared, { maxBytes: 1024 }), schemaError(/larger than 1024/));
  const streamed = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    for (let i = 0; i < 8; i++) res.write(big.slice(i * 600, (i + 1) * 600));
    res.end(big.slice(4800));
  });
  await assert.rejects(start(streamed, { maxBytes: 1024 }), schemaError(/larger than 1024/));
  // JSON with a __schema that does not build.
  const broken = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { __schema: { types: 'no' } } }));
  });
  await assert.rejects(start(broken), schemaError(/does not build/));
  // A non-200 answer.
  const err = await serve(t, (_req, res) => {
    res.statusCode = 500;
    res.end('{}');
  });
  await assert.rejects(start(err), schemaError(/answered 500/));
});

test('the introspection query goes to the configured URL, else the upstream plus the path', async (t) => {
  const seen: string[] = [];
  const lab = await startLab({ variant: 'vulnerable' });
  t.after(() => lab.close());
  const proxy = await serve(t, (req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers['x-introspect'] ?? ''}`);
    fetch(`${lab.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: req,
      duplex: 'half',
    } as RequestInit)
      .then(async (r) => {
        res.setHeader('content-type', 'application/json');
        res.end(await r.text());
      })
      .catch(() => res.destroy());
  });
  const gw = await start(lab.url, {
    url: `${proxy}/schema-here`,
    headers: { 'x-introspect': 'yes' },
  });
  t.after(() => gw.close());
  assert.deepEqual(seen, ['POST /schema-here yes']);
  assert.equal(introspectionUrl('http://h:1/base/', '/graphql'), 'http://h:1/base/graphql');
  assert.equal(introspectionUrl('http://h:1', '/graphql'), 'http://h:1/graphql');
});

test('compiling without the startup step is a clear error, not a gate without a schema', () => {
  assert.throws(
    () => compileGateway(introspected()),
    schemaError(/introspected GraphQL schema was not fetched/),
  );
});
