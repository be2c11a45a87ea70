// OWASP API4:2023 Unrestricted Resource Consumption (CWE-770, CWE-400, CWE-799).
// Vulnerable: `limit` is whatever the client asks for, bodies have no size cap, and nothing limits
// the request rate. Secure: 1 <= limit <= 100 (else 400), a 1 MiB body cap (413) and a per-identity
// token bucket (429 with Retry-After).
import { problems } from '../http/problem.js';
import { TokenBucket } from '../limits.js';
import type { LabLimits } from '../types.js';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface ResourcePolicy {
  /** Body cap in bytes, or undefined for none. */
  readonly bodyBytes: number | undefined;
  pageSize(raw: string | null): number;
  /**
   * Throws 429 when `identity` (a user id, or the client address) is over its rate; otherwise
   * returns headers that tell the client its budget (RateLimit, RateLimit-Policy).
   */
  admit(identity: string, now: number): Record<string, string>;
}

export const vulnerableResources: ResourcePolicy = {
  bodyBytes: undefined, // FLAW: any body size is read into memory
  pageSize(raw) {
    const n = raw === null ? DEFAULT_PAGE : Number.parseInt(raw, 10);
    return Number.isSafeInteger(n) ? n : DEFAULT_PAGE; // FLAW: no upper bound (and -1 means "all")
  },
  admit: () => ({}), // FLAW: no rate limit
};

export function secureResources(limits: LabLimits): ResourcePolicy {
  const bucket = new TokenBucket(limits.rateBurst, limits.ratePerSecond);
  const window = Math.max(1, Math.ceil(limits.rateBurst / limits.ratePerSecond));
  const policy = `"burst";q=${limits.rateBurst};w=${window}`;
  return {
    bodyBytes: limits.bodyBytes,
    pageSize(raw) {
      if (raw === null) return DEFAULT_PAGE;
      // FIX: a plain decimal between 1 and MAX_PAGE; anything else (1e9, -1, 0x10, 101) is refused.
      const n = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : NaN;
      if (!(n >= 1 && n <= MAX_PAGE)) {
        throw problems.badRequest('invalid_limit', 'limit must be an integer from 1 to 100.', [
          { pointer: '/query/limit', detail: 'out of range' },
        ]);
      }
      return n;
    },
    admit(identity, now) {
      const waitMs = bucket.take(identity, now);
      // draft-ietf-httpapi-ratelimit-headers: the policy, and what is left of it.
      const { remaining, fullInSeconds } = bucket.peek(identity, now);
      const headers = {
        'RateLimit-Policy': policy,
        RateLimit: `"burst";r=${remaining};t=${fullInSeconds}`,
      };
      if (waitMs > 0) {
        throw problems.tooManyRequests('rate_limited', waitMs / 1000, 'Slow down.', headers);
      }
      return headers;
    },
  };
}
