// A throwaway PKI made with the openssl CLI in a temporary directory: a client CA with a CRL, a
// server certificate for 127.0.0.1, client certificates (valid, revoked, expired) and one from a
// second, untrusted CA. `openssl ca` keeps the index the CRL is made from and accepts explicit
// validity dates, which an expired certificate needs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  readonly dir: string;
  /** Absolute path of a file in the PKI directory. */
  path(name: string): string;
  /** Contents of a PEM file in the PKI directory. */
  pem(name: string): string;
  remove(): void;
}

const CA_CONFIG = `[ca]
default_ca = d
[d]
database = index.txt
crlnumber = crlnumber
serial = serial
new_certs_dir = .
default_md = sha256
default_crl_days = 1
policy = p
unique_subject = no
copy_extensions = copy
[p]
commonName = supplied
`;

/**
 * ca.pem (issues server, alice, bob, carol, old), crl.pem (carol revoked), crl-empty.pem (an
 * earlier CRL of the same CA, revoking nothing), other-ca.pem (issues eve).
 * alice: CN alice-service, SAN email alice@lab.test; bob: CN bob-service; old: expired in 2020.
 */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-pki-'));
  const ossl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const root = (name: string, cn: string) =>
    ossl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '2',
    );
  const csr = (name: string, cn: string, san?: string) =>
    ossl(
      'req',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${cn}`,
      ...(san ? ['-addext', `subjectAltName=${san}`] : []),
    );
  const sign = (name: string, dates: string[] = ['-days', '1']) =>
    ossl(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      'ca.pem',
      '-keyfile',
      'ca.key',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.pem`,
      '-notext',
      ...dates,
    );
  root('ca', 'Bulwark Test Client CA');
  csr('server', 'localhost', 'IP:127.0.0.1,DNS:localhost');
  sign('server');
  csr('alice', 'alice-service', 'email:alice@lab.test,DNS:alice.clients.test');
  sign('alice');
  csr('bob', 'bob-service', 'DNS:bob.clients.test');
  sign('bob');
  csr('carol', 'carol-service', 'email:carol@lab.test');
  sign('carol');
  csr('old', 'old-service', 'email:old@lab.test');
  sign('old', ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']);
  const ca = ['-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key'];
  ossl('ca', '-batch', ...ca, '-gencrl', '-out', 'crl-empty.pem'); // before carol's revocation
  ossl('ca', '-batch', ...ca, '-revoke', 'carol.pem');
  ossl('ca', '-batch', ...ca, '-gencrl', '-out', 'crl.pem');
  // A second CA the gateway does not trust, with a client whose names look like a real one's.
  root('other-ca', 'Someone Else CA');
  csr('eve', 'alice-service', 'email:alice@lab.test');
  ossl(
    'x509',
    '-req',
    '-in',
    'eve.csr',
    '-CA',
    'other-ca.pem',
    '-CAkey',
    'other-ca.key',
    '-CAcreateserial',
    '-out',
    'eve.pem',
    '-days',
    '1',
    '-copy_extensions',
    'copy',
  );
  return {
    dir,
    path: (name) => join(dir, name),
    pem: (name) => readFileSync(join(dir, name), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
