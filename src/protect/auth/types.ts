// Shared shapes of the authentication verifiers. A verifier never throws on hostile input: it
// answers `undefined` when its credential is absent, and a failure with an operator-only reason when
// it is present but wrong, so the stage can give one uniform 401 (CWE-204, RFC 6750 §3.1).
import type { Identity } from '../engine/context.js';
import type { RequestContext } from '../engine/context.js';

export interface AuthIdentity extends Identity {
  /** True when the credential carried a scope claim: scopes then constrain permissions (seed §scopes). */
  readonly scoped: boolean;
}

export interface Verified {
  readonly identity: AuthIdentity;
  /** Epoch ms after which this verification may no longer be reused (token exp). */
  readonly expiresAt: number;
  readonly jti?: string | undefined;
  readonly kid?: string | undefined;
}

export type VerifyResult =
  { readonly ok: true; readonly value: Verified } | { readonly ok: false; readonly reason: string };

export type MaybePromise<T> = T | Promise<T>;

/** One configured scheme, ready to check a request. */
export interface CredentialVerifier {
  /** The RFC 7235 challenge scheme for WWW-Authenticate (`Bearer`, `ApiKey`, `mTLS`). */
  readonly challenge: string;
  /** undefined: this request carries no credential of this kind. */
  verify(ctx: RequestContext): MaybePromise<VerifyResult | undefined>;
  close?(): Promise<void>;
}

export const fail = (reason: string): VerifyResult => ({ ok: false, reason });

export function isPromise<T>(v: unknown): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}
