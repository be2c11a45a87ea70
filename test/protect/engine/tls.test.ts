import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/index.js';
import { testModel } from '../fixtures.js';
import { LogSink } from '../helpers.js';

function selfSigned(t: TestContext): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

async function httpsUpstream(t: TestContext, pair: { cert: string; key: string }): Promise<string> {
  const server = createServer(
    { cert: readFileSync(pair.cert), key: readFileSync(pair.key) },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1","name":"tls"}');
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('upstream TLS is verified by default: a self-signed upstream gives 502', async (t) => {
  const pair = selfSigned(t);
  const upstream = await httpsUpstream(t, pair);
  const gw = await startProtect({
    model: testModel(),
    upstream,
    port: 0,
    logger: createLogger(new LogSink()),
  });
  t.after(() => gw.close());
  const res = await fetch(`${gw.url}/users/1`);
  assert.equal(res.status, 502);
  const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
  assert.match(metrics, /bulwark_upstream_errors_total\{kind="tls"\} 1/);
});

test('a configured CA makes the same upstream trusted', async (t) => {
  const pair = selfSigned(t);
  const upstream = await httpsUpstream(t, pair);
  const gw = await startProtect({
    model: testModel(),
    upstream,
    port: 0,
    config: { tls: { upstream: { ca: pair.cert } } },
    logger: createLogger(new LogSink()),
  });
  t.after(() => gw.close());
  const res = await fetch(`${gw.url}/users/1`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { id: '1', name: 'tls' });
});

test('the gateway serves HTTPS with a configured certificate and sends HSTS', async (t) => {
  const pair = selfSigned(t);
  const upstream = await httpsUpstream(t, pair);
  const gw = await startProtect({
    model: testModel(),
    upstream,
    port: 0,
    config: { tls: { cert: pair.cert, key: pair.key, upstream: { ca: pair.cert } } },
    logger: createLogger(new LogSink()),
  });
  t.after(() => gw.close());
  assert.match(gw.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const res = await new Promise<{ status: number; hsts: string | undefined; fwd: string }>(
    (resolve, reject) => {
      const req = request(`${gw.url}/users/1`, { ca: readFileSync(pair.cert) }, (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () =>
          resolve({
            status: r.statusCode ?? 0,
            hsts: r.headers['strict-transport-security'],
            fwd: body,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
  assert.equal(res.status, 200);
  assert.equal(res.hsts, 'max-age=31536000; includeSubDomains');
});
