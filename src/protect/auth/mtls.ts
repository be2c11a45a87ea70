// mTLS identity (RFC 8705 §2) and certificate-bound tokens (RFC 8705 §3). The TLS listener asks for a
// client certificate and OpenSSL verifies the chain against protect.tls.clientCa and its CRLs during
// the handshake; the listener does not refuse an unverified one (so public operations still work),
// so here a certificate counts only when the socket says it verified (`authorized`), and only while
// it is within its validity window (a keep-alive connection can outlive it). Anything else fails
// closed (CWE-295). A bound token's `cnf.x5t#S256` must equal the SHA-256 thumbprint of the
// certificate presented on this connection, so a stolen token is useless alone.
import { createHash } from 'node:crypto';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { AuthMtlsScheme } from '../../core/config/sections/auth.js';
import type { RequestContext } from '../engine/context.js';
import { fail, type AuthIdentity, type VerifyResult } from './types.js';

/** What the connection proved: nothing, an unverified certificate, or a verified one. */
export type ClientCertificate =
  | { readonly state: 'none' }
  | { readonly state: 'unverified'; readonly error: string }
  | {
      readonly state: 'verified';
      readonly cert: PeerCertificate;
      readonly thumbprint: string;
      readonly validFrom: number;
      readonly validTo: number;
    };

const NONE: ClientCertificate = Object.freeze({ state: 'none' });

// The handshake's verdict is fixed for the connection's life: read and hash it once per socket, not
// once per request on a keep-alive connection (getPeerCertificate builds a new object each call).
const perSocket = new WeakMap<object, ClientCertificate>();

function tlsSocket(ctx: RequestContext): Partial<TLSSocket> | undefined {
  const socket = (ctx.source as { socket?: unknown }).socket as Partial<TLSSocket> | undefined;
  return socket && typeof socket.getPeerCertificate === 'function' ? socket : undefined;
}

function inspect(socket: Partial<TLSSocket>): ClientCertificate {
  const cert = socket.getPeerCertificate!(false);
  if (!cert || !cert.raw) return NONE; // plain TLS without a client certificate
  if (socket.authorized !== true) {
    const err = socket.authorizationError;
    return { state: 'unverified', error: err ? String(err) : 'not verified' };
  }
  return {
    state: 'verified',
    cert,
    thumbprint: thumbprint(cert),
    validFrom: Date.parse(cert.valid_from),
    validTo: Date.parse(cert.valid_to),
  };
}

export function clientCertificate(ctx: RequestContext): ClientCertificate {
  const socket = tlsSocket(ctx);
  if (!socket) return NONE;
  let seen = perSocket.get(socket);
  if (!seen) {
    seen = inspect(socket);
    perSocket.set(socket, seen);
  }
  return seen;
}

/** The verified client certificate, when this connection has one that is valid now. */
export function verifiedCertificate(
  ctx: RequestContext,
  now = Date.now(),
): Extract<ClientCertificate, { state: 'verified' }> | undefined {
  const c = clientCertificate(ctx);
  return c.state === 'verified' && within(c, now) ? c : undefined;
}

/** The verified peer certificate, or undefined (plain HTTP, none sent, not verified, expired). */
export function peerCertificate(ctx: RequestContext): PeerCertificate | undefined {
  return verifiedCertificate(ctx)?.cert;
}

function within(c: { validFrom: number; validTo: number }, now: number): boolean {
  // NaN dates (unparseable) compare false both ways: treated as outside the window.
  return now >= c.validFrom && now <= c.validTo;
}

export function thumbprint(cert: PeerCertificate): string {
  return createHash('sha256').update(cert.raw).digest('base64url');
}

/** RFC 8705 §3.1: the token is bound when cnf.x5t#S256 is present; it must match. */
export function boundToCertificate(
  claims: Readonly<Record<string, unknown>>,
  presented: PeerCertificate | string | undefined,
): boolean {
  const cnf = claims['cnf'] as Record<string, unknown> | undefined;
  const want = cnf?.['x5t#S256'];
  if (typeof want !== 'string' || presented === undefined) return false;
  return (typeof presented === 'string' ? presented : thumbprint(presented)) === want;
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

/** undefined: no client certificate on this connection; a failure: one that does not verify. */
export function verifyMtls(
  ctx: RequestContext,
  name: string,
  scheme: AuthMtlsScheme,
  now = Date.now(),
): VerifyResult | undefined {
  const c = clientCertificate(ctx);
  if (c.state === 'none') return undefined;
  if (c.state === 'unverified') return fail(`client certificate not verified: ${c.error}`);
  if (!within(c, now)) return fail('client certificate outside its validity period');
  // One identity object per connection and scheme, so what authz derives from it (effective
  // permissions, cached by identity) is computed once per connection, not per request.
  let byScheme = identities.get(c);
  if (!byScheme) identities.set(c, (byScheme = new Map()));
  let result = byScheme.get(name);
  if (!result) {
    result = mapIdentity(c, name, scheme);
    byScheme.set(name, result);
  }
  return result;
}

const identities = new WeakMap<ClientCertificate, Map<string, VerifyResult>>();

function mapIdentity(
  c: Extract<ClientCertificate, { state: 'verified' }>,
  name: string,
  scheme: AuthMtlsScheme,
): VerifyResult {
  const subject = certificateSubject(c.cert, scheme.subjectFrom);
  if (!subject) return fail('certificate without the configured subject field');
  const identity: AuthIdentity = Object.freeze({
    subject,
    scheme: name,
    roles: Object.freeze([...(scheme.roles ?? [])]),
    scopes: Object.freeze([]),
    scoped: false,
    claims: Object.freeze({ sub: subject, 'x5t#S256': c.thumbprint }),
  });
  return { ok: true, value: { identity, expiresAt: c.validTo } };
}
