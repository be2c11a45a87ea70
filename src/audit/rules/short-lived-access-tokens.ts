import type { AuditRule } from '../types.js';

export const shortLivedAccessTokens: AuditRule = {
  id: 'owasp:api2:short-lived-access-tokens',
  owasp: 'API2:2023',
  cwe: 'CWE-613',
  severity: 'low',
  confidence: 'tentative',
  title: 'OAuth flow declares no refresh URL',
  rationale:
    'Short-lived access tokens limit how long a stolen token works; they need refresh tokens to be usable (RFC 9700 §2.2.2). Only flows that can issue refresh tokens are checked: implicit must not (RFC 6749 §4.2.2) and client credentials should not (§4.4.3). Swagger 2.0 has no refreshUrl field, so it is not checked.',
  remediation:
    'Issue short-lived access tokens with refresh tokens, and declare `refreshUrl` on the flow.',
  spectral: ['owasp:api2:2023-short-lived-access-tokens'],
  run(ctx) {
    if (ctx.model.version === 'swagger-2.0') return;
    for (const scheme of Object.values(ctx.model.securitySchemes)) {
      if (scheme.type !== 'oauth2') continue;
      for (const flow of ['authorizationCode', 'password'] as const) {
        const declared = scheme.flows[flow];
        if (!declared || declared.refreshUrl) continue;
        const pointer = `${scheme.location.pointer}/flows/${flow}`;
        ctx.report({
          message: `OAuth2 ${flow} flow of '${scheme.name}' has no refreshUrl, so access tokens likely do not expire.`,
          location: ctx.model.locatePointer(pointer, scheme.location.file) ?? scheme.location,
          node: scheme,
        });
      }
    }
  },
};
