// mTLS identity and RFC 8705 binding over a real TLS connection: a CA, a server certificate and two
// client certificates made with openssl in a temporary directory; the peer certificate a Node TLS
// server verified against the CA is mapped to an identity, and a cnf-bound token matches only the
// certificate it was issued to.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { RequestContext } from '../../../src/protect/engine/context.js';
import {
  boundToCertificate,
  peerCertificate,
  thumbprint,
  verifyMtls,
} from '../../../src/protect/auth/mtls.js';

function pki(t: TestContext): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-mtls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ossl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=Test CA',
    '-days',
    '1',
  );
  const leaf = (name: string, subj: string): void => {
    ossl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subj,
    );
    ossl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  };
  const write = (name: string, ext: string) =>
    execFileSync('sh', ['-c', `printf '%s\\n' '${ext}' > ${name}.ext`], { cwd: dir });
  write('server', 'subjectAltName=IP:127.0.0.1');
  leaf('server', '/CN=localhost');
  write('alice', 'subjectAltName=email:alice@lab.test,DNS:alice.clients.test');
  leaf('alice', '/CN=alice-service');
  write('bob', 'subjectAltName=DNS:bob.clients.test');
  leaf('bob', '/CN=bob-service');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return Object.fromEntries(
    ['ca.pem', 'server.pem', 'server.key', 'alice.pem', 'alice.key', 'bob.pem', 'bob.key'].map(
      (f) => [f, read(f)],
    ),
  );
}

async function call(
  t: TestContext,
  files: Record<string, string>,
  client: string | undefined,
  token?: string,
): Promise<unknown> {
  let result: unknown;
  const server = createServer(
    {
      cert: files['server.pem'],
      key: files['server.key'],
      ca: files['ca.pem'],
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const ctx = { source: req } as unknown as RequestContext;
      const mtls = verifyMtls(ctx, 'mtls', {
        type: 'mtls',
        subjectFrom: 'san-email',
        roles: ['service'],
      });
      const cert = peerCertificate(ctx);
      result = {
        mtls,
        bound:
          token === undefined
            ? undefined
            : boundToCertificate({ cnf: { 'x5t#S256': token } }, cert),
      };
      res.end('ok');
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        ca: files['ca.pem'],
        agent: false as unknown as Agent,
        ...(client ? { cert: files[`${client}.pem`], key: files[`${client}.key`] } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end();
  });
  return result;
}

test('a verified client certificate maps to an identity; none or an unverified one gives none', async (t) => {
  const files = pki(t);
  const r = (await call(t, files, 'alice')) as {
    mtls: { ok: boolean; value: { identity: { subject: string; roles: string[] } } };
  };
  assert.equal(r.mtls.ok, true);
  assert.equal(r.mtls.value.identity.subject, 'alice@lab.test');
  assert.deepEqual(r.mtls.value.identity.roles, ['service']);
  const none = (await call(t, files, undefined)) as { mtls: unknown };
  assert.equal(none.mtls, undefined, 'no certificate: no mTLS credential');
  const bob = (await call(t, files, 'bob')) as { mtls: { ok: boolean } };
  assert.equal(bob.mtls.ok, false, 'verified, but without the configured SAN kind');
});

test('RFC 8705: a cnf-bound token matches only the certificate it was bound to', async (t) => {
  const files = pki(t);
  const aliceThumb = thumbprint(
    new (await import('node:crypto')).X509Certificate(files['alice.pem']!) as never,
  );
  const withAlice = (await call(t, files, 'alice', aliceThumb)) as { bound: boolean };
  assert.equal(withAlice.bound, true);
  const withBob = (await call(t, files, 'bob', aliceThumb)) as { bound: boolean };
  assert.equal(withBob.bound, false, "Alice's token presented over Bob's certificate");
});
