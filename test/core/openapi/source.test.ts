// Fetching descriptions over HTTP (loopback only): size cap with and without Content-Length, timeout,
// caller abort, and URL credentials kept out of locations and messages.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { loadSpec } from '../../../src/core/openapi/load.js';
import { coded } from './helpers.js';

const SPEC = 'openapi: 3.0.0\ninfo: { title: remote, version: "1" }\npaths: {}\n';

async function serve(
  t: { after(fn: () => void): void },
  handler: Parameters<typeof createServer>[1],
): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a URL source loads, and its credentials never reach locations', async (t) => {
  const expected = `Basic ${Buffer.from('user:s3cret').toString('base64')}`;
  const base = await serve(t, (req, res) => {
    if (req.headers.authorization === expected) res.end(SPEC);
    else res.writeHead(401).end();
  });
  const model = await loadSpec(
    `${base.replace('http://', 'http://user:s3cret@')}/spec.yaml?token=abc`,
  );
  assert.equal(model.info.title, 'remote');
  assert.doesNotMatch(JSON.stringify(model.files), /s3cret|abc/);
  assert.doesNotMatch(model.source, /s3cret|abc/);
  assert.match(model.source, /^http:\/\/127\.0\.0\.1:\d+\/spec\.yaml/);
  assert.doesNotMatch(
    JSON.stringify(model.locate(model.operations) ?? model.locatePointer('')),
    /s3cret|abc/,
  );
});

test('a body over the cap is refused, with or without Content-Length', async (t) => {
  const big = `${SPEC}x-pad: "${'a'.repeat(10_000)}"\n`;
  const base = await serve(t, (req, res) => {
    if (req.url === '/chunked') {
      res.write(big.slice(0, 5000));
      res.end(big.slice(5000));
    } else res.end(big);
  });
  for (const path of ['/sized', '/chunked']) {
    const error = await coded(() => loadSpec(`${base}${path}`, { maxBytes: 2000 }));
    assert.equal(error.code, 'BULWARK_ERR_SPEC_TOO_LARGE', path);
  }
});

test('a server that never answers times out as SPEC_READ; a caller abort stops the fetch', async (t) => {
  const base = await serve(t, () => {
    // never responds
  });
  const slow = await coded(() => loadSpec(`${base}/slow`, { timeoutMs: 200 }));
  assert.equal(slow.code, 'BULWARK_ERR_SPEC_READ');
  assert.match(slow.message, /timed out/);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const aborted = await coded(() => loadSpec(`${base}/slow`, { signal: controller.signal }));
  assert.equal(aborted.code, 'BULWARK_ERR_SPEC_READ');
  assert.match(aborted.message, /aborted/);
});

test('HTTP errors and unreachable hosts are SPEC_READ', async (t) => {
  const base = await serve(t, (_req, res) => res.writeHead(500).end('boom'));
  const error = await coded(() => loadSpec(`${base}/x.yaml`));
  assert.equal(error.code, 'BULWARK_ERR_SPEC_READ');
  assert.match(error.message, /HTTP 500/);
  const refused = await coded(() => loadSpec('http://127.0.0.1:1/spec.yaml'));
  assert.equal(refused.code, 'BULWARK_ERR_SPEC_READ');
});

test('a referenced document may not redirect (the origin policy would be bypassed)', async (t) => {
  const base = await serve(t, (req, res) => {
    if (req.url === '/root.yaml') {
      res.end(`${SPEC}components:\n  schemas:\n    A: { $ref: 'moved.yaml' }\n`);
    } else res.writeHead(302, { location: 'http://127.0.0.2:9/elsewhere.yaml' }).end();
  });
  const error = await coded(() => loadSpec(`${base}/root.yaml`));
  assert.equal(error.code, 'BULWARK_ERR_REF_UNRESOLVED');
  assert.match(error.message, /moved\.yaml/);
});

test('an invalid URL is SPEC_READ, not a crash', async () => {
  const error = await coded(() => loadSpec('http://'));
  assert.equal(error.code, 'BULWARK_ERR_SPEC_READ');
});
