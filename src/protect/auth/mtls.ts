// mTLS identity (RFC 8705 §2) and certificate-bound tokens (RFC 8705 §3). The TLS listener verifies
// the chain against the configured CA (and CRL) before any request exists; here the verified peer
// certificate is mapped to an identity, and a bound token's `cnf.x5t#S256` must equal the SHA-256
// thumbprint of the certificate presented on this connection, so a stolen token is useless alone.
import { createHash } from 'node:crypto';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { AuthMtlsScheme } from '../../core/config/sections/auth.js';
import type { RequestContext } from '../engine/context.js';
import { fail, type AuthIdentity, type VerifyResult } from './types.js';

/** The verified client certificate, or undefined (plain HTTP, none sent, or not authorized). */
export function peerCertificate(ctx: RequestContext): PeerCertificate | undefined {
  const socket = (ctx.source as { socket?: unknown }).socket as Partial<TLSSocket> | undefined;
  if (!socket || typeof socket.getPeerCertificate !== 'function' || socket.authorized !== true) {
    return undefined;
  }
  const cert = socket.getPeerCertificate(false);
  return cert && cert.raw ? cert : undefined;
}

export function thumbprint(cert: PeerCertificate): string {
  return createHash('sha256').update(cert.raw).digest('base64url');
}

/** RFC 8705 §3.1: the token is bound when cnf.x5t#S256 is present; it must match. */
export function boundToCertificate(
  claims: Readonly<Record<string, unknown>>,
  cert: PeerCertificate | undefined,
): boolean {
  const cnf = claims['cnf'] as Record<string, unknown> | undefined;
  const want = cnf?.['x5t#S256'];
  if (typeof want !== 'string') return false;
  return cert !== undefined && thumbprint(cert) === want;
}

function san(cert: PeerCertificate, kind: string): string | undefined {
  for (const part of (cert.subjectaltname ?? '').split(', ')) {
    if (part.startsWith(`${kind}:`)) return part.slice(kind.length + 1);
  }
  return undefined;
}

export function certificateSubject(
  cert: PeerCertificate,
  from: AuthMtlsScheme['subjectFrom'],
): string | undefined {
  switch (from ?? 'cn') {
    case 'san-dns':
      return san(cert, 'DNS');
    case 'san-email':
      return san(cert, 'email');
    case 'san-uri':
      return san(cert, 'URI');
    default: {
      const cn = cert.subject?.CN;
      return Array.isArray(cn) ? undefined : cn; // two CNs are ambiguous
    }
  }
}

export function verifyMtls(
  ctx: RequestContext,
  name: string,
  scheme: AuthMtlsScheme,
): VerifyResult | undefined {
  const cert = peerCertificate(ctx);
  if (!cert) return undefined;
  const subject = certificateSubject(cert, scheme.subjectFrom);
  if (!subject) return fail('certificate without the configured subject field');
  const identity: AuthIdentity = Object.freeze({
    subject,
    scheme: name,
    roles: Object.freeze([...(scheme.roles ?? [])]),
    scopes: Object.freeze([]),
    scoped: false,
    claims: Object.freeze({ sub: subject, 'x5t#S256': thumbprint(cert) }),
  });
  const validTo = Date.parse(cert.valid_to);
  return { ok: true, value: { identity, expiresAt: Number.isNaN(validTo) ? 0 : validTo } };
}
