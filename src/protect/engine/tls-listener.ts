// The public listener's TLS options, from policy.tls. With client CAs configured the listener asks
// every client for a certificate (mutual TLS, RFC 8705 §2) and OpenSSL verifies it against those CAs
// and CRLs during the handshake. Unless requireClientCert is set the handshake still succeeds without
// a verified certificate (rejectUnauthorized: false), so operations that do not need mTLS keep
// working; the verdict stays on the socket (`authorized`, `authorizationError`) and the authn stage
// refuses mTLS operations whose connection did not verify (fail closed, CWE-295).
import { readFileSync, statSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
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

function files(tls: ProtectPolicy['tls']): string[] {
  return [tls.cert!, tls.key!, ...tls.clientCa, ...tls.crl];
}

/** Modification time and size of every TLS file; a file that cannot be read counts as changed. */
function fingerprint(list: readonly string[]): string {
  return list
    .map((f) => {
      try {
        const st = statSync(f);
        return `${st.mtimeMs}:${st.size}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

/**
 * Reloads the TLS files for new connections when they change, so a renewed certificate or a fresh
 * CRL (whose nextUpdate would otherwise pass and fail every client) needs no restart. A set that
 * fails to load keeps the previous one in use. Connections already open keep their handshake's
 * verdict. Returns the function that stops the checks.
 */
export function reloadTlsFiles(
  server: HttpsServer,
  tls: ProtectPolicy['tls'],
  logger: Logger,
): () => void {
  if (tls.reloadSeconds === 0) return () => undefined;
  const list = files(tls);
  let loaded = fingerprint(list);
  const timer = setInterval(() => {
    const now = fingerprint(list);
    if (now === loaded) return;
    try {
      server.setSecureContext(tlsListenerOptions(tls));
      loaded = now;
      logger.info({ event: 'tls.reloaded', files: list }, 'TLS files reloaded for new connections');
    } catch (err) {
      // Not marked as loaded: the next check tries again (the file may be mid-write).
      logger.error(
        { event: 'tls.reload_failed', err: (err as Error).message },
        'TLS files changed but do not load: the previous certificate, CAs and CRLs stay in use',
      );
    }
  }, tls.reloadSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
