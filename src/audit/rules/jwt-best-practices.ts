import type { AuditRule } from '../types.js';

export const jwtBestPractices: AuditRule = {
  id: 'owasp:api2:jwt-best-practices',
  owasp: 'API2:2023',
  cwe: 'CWE-347',
  severity: 'low',
  title: 'JWT scheme does not state RFC 8725 conformance',
  rationale:
    'RFC 8725 (JWT Best Current Practices) lists the pitfalls that break JWT validation: `alg: none`, algorithm confusion, missing audience checks. A scheme that issues or accepts JWTs should say it follows it, so clients and gateways validate the same way.',
  remediation:
    'State in the scheme description that tokens follow RFC 8725 (explicit algorithm allowlist, `aud`/`iss`/`exp` checked).',
  spectral: ['owasp:api2:2023-jwt-best-practices'],
  run(ctx) {
    for (const scheme of Object.values(ctx.model.securitySchemes)) {
      const isJwt =
        scheme.type === 'oauth2' ||
        (scheme.type === 'http' &&
          (scheme as { bearerFormat?: string }).bearerFormat?.toLowerCase() === 'jwt');
      if (!isJwt || /rfc\s?8725/i.test(scheme.description ?? '')) continue;
      ctx.report({
        message: `Security scheme '${scheme.name}' uses JWTs but its description does not mention RFC 8725.`,
        node: scheme,
        location: scheme.location,
      });
    }
  },
};
