import type { AuditRule } from '../types.js';

// Negotiate (SPNEGO/NTLM, RFC 4559) and OAuth 1.0 are outdated; Digest still defaults to MD5
// (RFC 7616 §3.2).
const INSECURE = new Set(['negotiate', 'oauth', 'ntlm', 'digest']);

export const authInsecureSchemes: AuditRule = {
  id: 'owasp:api2:auth-insecure-schemes',
  owasp: 'API2:2023',
  cwe: 'CWE-327',
  severity: 'high',
  title: 'Outdated HTTP authentication scheme',
  rationale:
    'Negotiate/NTLM, OAuth 1.0 and Digest rely on weak or broken cryptography or on replayable challenges (CWE-327).',
  remediation: 'Use OAuth 2.0 / OpenID Connect bearer tokens or mutual TLS.',
  spectral: ['owasp:api2:2023-auth-insecure-schemes'],
  run(ctx) {
    for (const scheme of Object.values(ctx.model.securitySchemes)) {
      if (scheme.type !== 'http' || !INSECURE.has(scheme.scheme.toLowerCase())) continue;
      ctx.report({
        message: `Security scheme '${scheme.name}' uses the outdated '${scheme.scheme}' HTTP scheme.`,
        node: scheme,
        location: scheme.location,
      });
    }
  },
};
