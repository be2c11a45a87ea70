import type { AuditRule } from '../types.js';

export const weakOauthFlows: AuditRule = {
  id: 'owasp:api2:weak-oauth-flows',
  owasp: 'API2:2023',
  cwe: 'CWE-287',
  severity: 'high',
  title: 'OAuth 2.0 implicit or password flow',
  rationale:
    'RFC 9700 (OAuth 2.0 Security BCP) says the resource owner password grant MUST NOT be used (§2.4): the client sees the password and MFA cannot work. The implicit grant SHOULD NOT be used (§2.1.2): tokens travel in the URL fragment and cannot be sender-constrained. Swagger 2.0 `flow: implicit|password` is covered too.',
  remediation:
    'Use the authorization code flow with PKCE (RFC 7636), or client credentials for machine clients.',
  run(ctx) {
    for (const scheme of Object.values(ctx.model.securitySchemes)) {
      if (scheme.type !== 'oauth2') continue;
      for (const flow of ['password', 'implicit'] as const) {
        if (!scheme.flows[flow]) continue;
        const pointer =
          ctx.model.version === 'swagger-2.0'
            ? `${scheme.location.pointer}/flow`
            : `${scheme.location.pointer}/flows/${flow}`;
        ctx.report({
          message: `OAuth2 scheme '${scheme.name}' offers the ${flow} flow.`,
          location: ctx.model.locatePointer(pointer, scheme.location.file) ?? scheme.location,
          node: scheme,
          severity: flow === 'password' ? 'high' : 'medium',
        });
      }
    }
  },
};
