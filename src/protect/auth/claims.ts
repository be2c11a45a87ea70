// Turns verified claims into the gateway's Identity. Roles and scopes may be a string (space
// separated, RFC 8693 §4.2 `scope`) or an array (`scp`, `roles`); anything else counts as none.
import type { AuthClaimsMapping } from '../../core/config/sections/auth.js';
import type { AuthIdentity } from './types.js';

export interface ClaimNames {
  readonly subject: string;
  readonly roles: string;
  readonly scopes: string;
}

export function claimNames(m: AuthClaimsMapping | undefined): ClaimNames {
  return {
    subject: m?.subject ?? 'sub',
    roles: m?.roles ?? 'roles',
    scopes: m?.scopes ?? 'scope',
  };
}

function list(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

/** undefined when the subject claim is missing or not a non-empty string. */
export function identityFromClaims(
  claims: Readonly<Record<string, unknown>>,
  names: ClaimNames,
  scheme: string,
): AuthIdentity | undefined {
  const subject = claims[names.subject];
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 256) return undefined;
  const scopes =
    list(claims[names.scopes]) ?? (names.scopes === 'scope' ? list(claims['scp']) : undefined);
  return Object.freeze({
    subject,
    scheme,
    roles: Object.freeze(list(claims[names.roles]) ?? []),
    scopes: Object.freeze(scopes ?? []),
    scoped: scopes !== undefined,
    claims: Object.freeze({ ...claims }),
  });
}
