import type { AuditRule } from '../types.js';
import { jwtVerifiers, protectSection } from '../util/policy.js';

export const policyJwtAlgorithms: AuditRule = {
  id: 'owasp:api2:policy-jwt-algorithms',
  owasp: 'API2:2023',
  cwe: 'CWE-347',
  severity: 'high',
  policy: true,
  title: 'Policy: JWT verification without an algorithm allowlist',
  rationale:
    'RFC 8725 §3.1 requires verifiers to accept only the algorithms they expect; taking `alg` from the token allows `none` and RS256/HS256 key-confusion forgeries (CWE-347).',
  remediation: 'Set `algorithms` on every JWT verifier, e.g. `[ES256]` or `[RS256]`.',
  run(ctx) {
    const protect = protectSection(ctx.config);
    if (!protect) return;
    for (const verifier of jwtVerifiers(protect)) {
      const algorithms = (verifier.value as Record<string, unknown>)['algorithms'];
      if (Array.isArray(algorithms) && algorithms.length > 0) {
        if (!algorithms.some((a) => String(a).toLowerCase() === 'none')) continue;
      }
      ctx.report({
        message: Array.isArray(algorithms)
          ? `JWT verifier at ${verifier.path.join('.')} allows 'none' or an empty algorithm list.`
          : `JWT verifier at ${verifier.path.join('.')} has no algorithm allowlist.`,
        location: ctx.locateConfig(verifier.path),
      });
    }
  },
};
