// Mutual TLS through `bulwark protect` itself: the gateway's HTTPS listener asks for client
// certificates (protect.tls.clientCa, crl), and the authn stage maps a verified one to an identity,
// refuses an unverified, revoked or expired one with the uniform 401, lets clients without one call
// public operations, and checks RFC 8705 certificate-bound tokens against the presented certificate.
// Real TLS on loopback with certificates made by openssl for this test.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, writeFileSync } from 'node:fs';
import { request, type Agent } from 'node:https';
import { connect } from 'node:tls';
import { after, before, test, type TestContext } from 'node:test';
import { SignJWT } from 'jose';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import type { ProtectConfig } from '../../../src/core/config/sections/protect.js';
import { BulwarkError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import { LogSink, startUpstream, type Upstream } from '../helpers.js';
import { authPolicy, openapi } from './helpers.js';
import { makePki, type Pki } from './pki.js';

let pki: Pki;
before(() => {
  pki = makePki();
});
after(() => pki.remove());

const SECRET = 'm'.repeat(32);
const ok = { '200': { description: 'ok' } };
const spec = () =>
  openapi(
    {
      '/public': { get: { operationId: 'publicInfo', security: [], responses: ok } },
      '/whoami': { get: { operationId: 'whoami', security: [{ mtls: [] }], responses: ok } },
      '/bound': { get: { operationId: 'bound', security: [{ bearer: [] }], responses: ok } },
    },
    {
      openapi: '3.1.0',
      components: {
        securitySchemes: {
          mtls: { type: 'mutualTLS' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  );

const auth: AuthConfig = {
  schemes: {
    mtls: { type: 'mtls', subjectFrom: 'san-email', roles: ['service'] },
    bearer: {
      type: 'jwt',
      algorithms: ['HS256'],
      keys: [{ secret: SECRET }],
      certificateBound: true,
    },
  },
};

interface Harness {
  readonly port: number;
  readonly upstream: Upstream;
  readonly logs: LogSink;
}

async function gateway(t: TestContext, tls: ProtectConfig['tls'] = {}): Promise<Harness> {
  const upstream = await startUpstream(t);
  const logs = new LogSink();
  const config: ProtectConfig = {
    tls: {
      cert: pki.path('server.pem'),
      key: pki.path('server.key'),
      clientCa: pki.path('ca.pem'),
      crl: [pki.path('crl.pem')],
      ...tls,
    },
  };
  const gw = await startProtect({
    model: spec(),
    policy: authPolicy(auth, config, upstream.url),
    stages,
    upstream: upstream.url,
    port: 0,
    adminPort: null,
    logger: createLogger(logs),
  });
  t.after(() => gw.close());
  return { port: Number(new URL(gw.url).port), upstream, logs };
}

interface Answer {
  readonly status: number;
  readonly challenge: string | undefined;
}

/** One request on a fresh TLS connection, presenting `client`'s certificate (or none). */
function call(
  h: Harness,
  path: string,
  client?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: h.port,
        path,
        headers,
        ca: pki.pem('ca.pem'),
        agent: false as unknown as Agent,
        ...(client ? { cert: pki.pem(`${client}.pem`), key: pki.pem(`${client}.key`) } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] }),
        );
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const reasons = (h: Harness): string[] => h.logs.records().map((r) => String(r['reason'] ?? ''));

test('a verified client certificate is an identity, forwarded to the upstream', async (t) => {
  const h = await gateway(t);
  const res = await call(h, '/whoami', 'alice');
  assert.equal(res.status, 200);
  const seen = h.upstream.seen.at(-1)!;
  assert.equal(seen.headers['x-bulwark-subject'], 'alice@lab.test');
  assert.equal(seen.headers['x-bulwark-roles'], 'service');
});

test('without a certificate: 401 on the mTLS operation, the public one still answers', async (t) => {
  const h = await gateway(t);
  const denied = await call(h, '/whoami');
  assert.equal(denied.status, 401);
  assert.equal(denied.challenge, 'mTLS realm="api"');
  assert.equal((await call(h, '/public')).status, 200);
  assert.equal(h.upstream.seen.length, 1, 'only the public request was forwarded');
});

test('a certificate from another CA, a revoked one and an expired one get the same 401', async (t) => {
  const h = await gateway(t);
  const answers = await Promise.all(['eve', 'carol', 'old'].map((c) => call(h, '/whoami', c)));
  for (const a of answers) {
    assert.equal(a.status, 401);
    assert.equal(a.challenge, 'mTLS realm="api", error="invalid_token"');
  }
  assert.equal(h.upstream.seen.length, 0);
  const logged = reasons(h).join('\n');
  // The operator learns why; the client does not (CWE-204).
  assert.match(logged, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  assert.match(logged, /CERT_REVOKED/);
  assert.match(logged, /CERT_HAS_EXPIRED/);
  // The same clients can still reach what needs no certificate.
  assert.equal((await call(h, '/public', 'carol')).status, 200);
});

test('a verified certificate without the configured subject field is refused', async (t) => {
  const h = await gateway(t);
  assert.equal((await call(h, '/whoami', 'bob')).status, 401); // bob has no email SAN
  assert.match(reasons(h).join('\n'), /without the configured subject field/);
});

function x5t(name: string): string {
  return createHash('sha256')
    .update(new X509Certificate(pki.pem(name)).raw)
    .digest('base64url');
}

const boundToken = (cnf?: Record<string, unknown>) =>
  new SignJWT(cnf ? { cnf } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

test('RFC 8705: a certificate-bound token passes only over the certificate it names', async (t) => {
  const h = await gateway(t);
  const token = await boundToken({ 'x5t#S256': x5t('alice.pem') });
  const auth = { authorization: `Bearer ${token}` };
  assert.equal((await call(h, '/bound', 'alice', auth)).status, 200);
  assert.equal((await call(h, '/bound', 'bob', auth)).status, 401, "over Bob's certificate");
  assert.equal((await call(h, '/bound', undefined, auth)).status, 401, 'over no certificate');
  assert.equal((await call(h, '/bound', 'eve', auth)).status, 401, 'over an unverified one');
  const wrong = await boundToken({ 'x5t#S256': x5t('bob.pem') });
  const r = await call(h, '/bound', 'alice', { authorization: `Bearer ${wrong}` });
  assert.equal(r.status, 401, 'a token bound to another certificate');
  assert.equal(r.challenge, 'Bearer realm="api", error="invalid_token"');
  const unbound = await boundToken();
  assert.equal(
    (await call(h, '/bound', 'alice', { authorization: `Bearer ${unbound}` })).status,
    401,
    'a token without cnf where binding is required',
  );
});

test('requireClientCert: the handshake itself refuses clients without a verified certificate', async (t) => {
  const h = await gateway(t, { requireClientCert: true });
  assert.equal((await call(h, '/whoami', 'alice')).status, 200);
  await assert.rejects(call(h, '/public'), 'no certificate: no TLS session at all');
  await assert.rejects(call(h, '/public', 'carol'), 'revoked: no TLS session at all');
});

test('mTLS schemes on a gateway that serves HTTPS without clientCa refuse to start', async (t) => {
  const upstream = await startUpstream(t);
  const start = () =>
    startProtect({
      model: spec(),
      policy: authPolicy(
        auth,
        { tls: { cert: pki.path('server.pem'), key: pki.path('server.key') } },
        upstream.url,
      ),
      stages,
      upstream: upstream.url,
      port: 0,
      adminPort: null,
      logger: createLogger(new LogSink()),
    });
  await assert.rejects(start(), (err: unknown) => {
    assert.ok(err instanceof BulwarkError);
    assert.equal(err.code, 'BULWARK_ERR_CONFIG_INVALID');
    assert.match(err.message, /auth\.schemes\.mtls needs client certificates/);
    return true;
  });
});

test('an unreadable client CA or CRL file is a clear startup error', async (t) => {
  const upstream = await startUpstream(t);
  const cases: [ProtectConfig['tls'], RegExp][] = [
    [{ clientCa: pki.path('missing-ca.pem') }, /client CA file .*missing-ca\.pem/],
    [{ crl: pki.path('missing-crl.pem') }, /CRL file .*missing-crl\.pem/],
  ];
  for (const [tls, what] of cases) {
    const start = startProtect({
      model: spec(),
      policy: authPolicy(
        auth,
        {
          tls: {
            cert: pki.path('server.pem'),
            key: pki.path('server.key'),
            clientCa: pki.path('ca.pem'),
            ...tls!,
          },
        },
        upstream.url,
      ),
      stages,
      upstream: upstream.url,
      port: 0,
      adminPort: null,
      logger: createLogger(new LogSink()),
    });
    await assert.rejects(start, (err: unknown) => {
      assert.ok(err instanceof BulwarkError);
      assert.equal(err.code, 'BULWARK_ERR_IO');
      assert.match(err.message, what);
      return true;
    });
  }
});

test('TLS 1.2 renegotiation is refused, so a connection cannot swap its client certificate', async (t) => {
  const h = await gateway(t);
  const socket = connect({
    host: '127.0.0.1',
    port: h.port,
    ca: pki.pem('ca.pem'),
    cert: pki.pem('alice.pem'),
    key: pki.pem('alice.key'),
    maxVersion: 'TLSv1.2',
  });
  t.after(() => socket.destroy());
  await once(socket, 'secureConnect');
  const refused = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.renegotiate({ rejectUnauthorized: true }, (err) => {
      clearTimeout(timer);
      resolve(err !== null); // a completed renegotiation would call back without an error
    });
    // The renegotiation handshake starts with the next write.
    socket.write('GET /public HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
  assert.equal(refused, true, 'the server ends a connection that tries to renegotiate');
});

test('a new CRL is loaded without a restart; a broken one keeps the previous set and is logged', async (t) => {
  const crl = pki.path(`crl-live-${process.pid}.pem`);
  copyFileSync(pki.path('crl-empty.pem'), crl);
  const h = await gateway(t, { crl, reloadSeconds: 1 });
  assert.equal((await call(h, '/whoami', 'carol')).status, 200, 'not revoked yet');
  copyFileSync(pki.path('crl.pem'), crl);
  const deadline = Date.now() + 10_000;
  let status = 200;
  while (status === 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    status = (await call(h, '/whoami', 'carol')).status; // each call is a new connection
  }
  assert.equal(status, 401, 'revoked once the reload picked the new CRL up');
  assert.equal((await call(h, '/whoami', 'alice')).status, 200);
  assert.ok(h.logs.records().some((r) => r['event'] === 'tls.reloaded'));
  writeFileSync(crl, 'not a CRL');
  const until = Date.now() + 10_000;
  while (!h.logs.records().some((r) => r['event'] === 'tls.reload_failed') && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(h.logs.records().some((r) => r['event'] === 'tls.reload_failed'));
  assert.equal((await call(h, '/whoami', 'carol')).status, 401, 'the previous CRL still applies');
  assert.equal((await call(h, '/whoami', 'alice')).status, 200);
});
