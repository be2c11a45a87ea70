import type { AuditRule } from '../types.js';

export const noHttpBasic: AuditRule = {
  id: 'owasp:api2:no-http-basic',
  owasp: 'API2:2023',
  cwe: 'CWE-522',
  severity: 'medium',
  title: 'HTTP Basic authentication',
  rationale:
    'Basic sends the long-lived password itself, base64-encoded, on every request (RFC 7617 §4): it cannot be scoped, expires never, and leaks into logs and proxies. Swagger 2.0 `type: basic` is covered too (CWE-522).',
  remediation:
    'Use OAuth 2.0 / OpenID Connect access tokens, or at least scoped, revocable API keys sent in a header.',
  spectral: ['owasp:api2:2023-no-http-basic'],
  run(ctx) {
    for (const scheme of Object.values(ctx.model.securitySchemes)) {
      if (scheme.type !== 'http' || scheme.scheme.toLowerCase() !== 'basic') continue;
      ctx.report({
        message: `Security scheme '${scheme.name}' uses HTTP Basic authentication.`,
        node: scheme,
        location: scheme.location,
      });
    }
  },
};
