// The public listener's TLS options, from policy.tls. With client CAs configured the listener asks
// every client for a certificate (mutual TLS, RFC 8705 §2) and OpenSSL verifies it against those CAs
// and CRLs during the handshake. Unless requireClientCert is set the handshake still succeeds without
// a verified certificate (rejectUnauthorized: false), so operations that do not need mTLS keep
// working; the verdict stays on the socket (`authorized`, `authorizationError`) and the authn stage
// refuses mTLS operations whose connection did not verify (fail closed, CWE-295).
import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { BulwarkError } from '../../core/errors.js';
import type { ProtectPolicy } from './policy.js';

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new BulwarkError('BULWARK_ERR_IO', `protect.tls: cannot read the ${what} ${file}`, {
      cause,
    });
  }
}

export function tlsListenerOptions(tls: ProtectPolicy['tls']): TlsOptions & SecureContextOptions {
  const options: TlsOptions & SecureContextOptions = {
    cert: read(tls.cert!, 'certificate'),
    key: read(tls.key!, 'key'),
    minVersion: tls.minVersion,
  };
  if (tls.passphrase) options.passphrase = tls.passphrase;
  if (tls.clientCa.length > 0) {
    options.requestCert = true;
    // Only these CAs are trusted for clients, never the system store: any public CA could
    // otherwise issue a certificate whose subject maps to an identity here.
    options.ca = tls.clientCa.map((f) => read(f, 'client CA file'));
    // Node sets X509_V_FLAG_CRL_CHECK | CRL_CHECK_ALL with a CRL: every CA in the chain needs a
    // current CRL, and a missing or expired one fails verification (fail closed).
    if (tls.crl.length > 0) options.crl = tls.crl.map((f) => read(f, 'CRL file'));
    options.rejectUnauthorized = tls.requireClientCert;
  }
  return options;
}
