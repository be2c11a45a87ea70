// Response headers of draft-ietf-httpapi-ratelimit-headers (version 09 onwards): both fields are
// Structured Field Lists (RFC 9651) of policy names with parameters.
//   RateLimit-Policy: "per-user";q=100;w=60   quota q per window w seconds
//   RateLimit:        "per-user";r=42;t=17    r units remaining, full again in t seconds
// Retry-After (RFC 9110 §10.2.3) is delta-seconds, at least 1 on a refusal.

export function policyItem(name: string, quota: number, periodMs: number): string {
  return `"${name}";q=${quota};w=${Math.max(1, Math.ceil(periodMs / 1000))}`;
}

export function rateLimitItem(name: string, remaining: number, resetMs: number): string {
  return `"${name}";r=${Math.max(0, remaining)};t=${Math.ceil(Math.max(0, resetMs) / 1000)}`;
}

export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
