import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parseConfig } from '../../../src/core/config/index.js';
import { BulwarkError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { resolvePolicy } from '../../../src/protect/engine/policy.js';
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

function configError(yaml: string): BulwarkError {
  try {
    parseConfig(yaml, 'bulwark.yaml');
  } catch (err) {
    assert.ok(err instanceof BulwarkError, String(err));
    return err;
  }
  assert.fail('the config was accepted');
}

test('client-certificate settings are checked by the schema, with did-you-mean for typos', () => {
  const base = 'version: 1\nprotect:\n  tls:\n    cert: c.pem\n    key: k.pem\n';
  const ok = parseConfig(`${base}    clientCa: [ca.pem, ca2.pem]\n    crl: crl.pem\n`, 'b.yaml');
  assert.deepEqual(ok.protect?.tls?.clientCa, ['ca.pem', 'ca2.pem']);
  const typo = configError(`${base}    clientCA: ca.pem\n`);
  assert.equal(typo.code, 'BULWARK_ERR_CONFIG_INVALID');
  assert.equal(typo.hint, "did you mean 'clientCa'?");
  const crlAlone = configError(`${base}    crl: crl.pem\n`);
  assert.match(crlAlone.message, /needs 'clientCa' when 'crl' is set/);
  const requireAlone = configError(`${base}    requireClientCert: true\n`);
  assert.match(requireAlone.message, /needs 'clientCa'/);
  const noHttps = configError('version: 1\nprotect:\n  tls:\n    clientCa: ca.pem\n');
  assert.match(noHttps.message, /needs 'cert'/);
  const negative = configError(`${base}    reloadSeconds: -1\n`);
  assert.match(negative.message, /protect\.tls\.reloadSeconds/);
  const empty = configError(`${base}    clientCa: []\n`);
  assert.equal(empty.code, 'BULWARK_ERR_CONFIG_INVALID');
});

test('the resolved policy lists client CAs and CRLs and refuses them without HTTPS', () => {
  const p = resolvePolicy({
    tls: { cert: 'c.pem', key: 'k.pem', clientCa: 'ca.pem', crl: ['a.crl', 'b.crl'] },
  });
  assert.deepEqual(p.tls.clientCa, ['ca.pem']);
  assert.deepEqual(p.tls.crl, ['a.crl', 'b.crl']);
  assert.equal(p.tls.requireClientCert, false);
  assert.equal(p.tls.reloadSeconds, 60);
  assert.equal(resolvePolicy({ tls: { reloadSeconds: 0 } }).tls.reloadSeconds, 0);
  assert.deepEqual(resolvePolicy({}).tls.clientCa, []);
  const refused = (tls: Record<string, unknown>, pattern: RegExp) =>
    assert.throws(
      () => resolvePolicy({ tls }),
      (e: unknown) =>
        e instanceof BulwarkError &&
        e.code === 'BULWARK_ERR_CONFIG_INVALID' &&
        pattern.test(e.message),
    );
  refused({ clientCa: 'ca.pem' }, /need the gateway to serve HTTPS/);
  refused(
    { cert: 'c.pem', key: 'k.pem', crl: 'a.crl' },
    /protect\.tls\.crl: no protect\.tls\.clientCa/,
  );
  refused(
    { cert: 'c.pem', key: 'k.pem', requireClientCert: true },
    /protect\.tls\.requireClientCert: no protect\.tls\.clientCa/,
  );
});
