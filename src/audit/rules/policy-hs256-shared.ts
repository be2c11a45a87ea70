import type { AuditRule } from '../types.js';
import { jwtVerifiers, protectSection } from '../util/policy.js';

function count(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return value === undefined ? 0 : 1;
}

export const policyHs256Shared: AuditRule = {
  id: 'owasp:api2:policy-hs256-shared',
  owasp: 'API2:2023',
  cwe: 'CWE-321',
  severity: 'high',
  policy: true,
  title: 'Policy: HMAC-signed JWTs shared by several consumers',
  rationale:
    'With HS256/384/512 every party that verifies tokens holds the signing key, so any one consumer (or a leak from it) can mint tokens for all others (RFC 8725 §3.5, CWE-321). Several audiences or consumers need asymmetric keys.',
  remediation:
    'Use an asymmetric algorithm (ES256, EdDSA, RS256 with a JWKS) when more than one consumer verifies tokens.',
  run(ctx) {
    const protect = protectSection(ctx.config);
    if (!protect) return;
    const globalConsumers = count(protect['consumers']);
    for (const verifier of jwtVerifiers(protect)) {
      const v = verifier.value as Record<string, unknown>;
      const algorithms = Array.isArray(v['algorithms']) ? v['algorithms'].map(String) : [];
      if (!algorithms.some((a) => /^HS\d+$/i.test(a))) continue;
      const consumers = Math.max(
        count(v['audiences'] ?? v['audience']),
        count(v['consumers']),
        globalConsumers,
      );
      if (consumers < 2) continue;
      ctx.report({
        message: `JWT verifier at ${verifier.path.join('.')} uses ${algorithms.join('/')} with ${consumers} consumers sharing one secret.`,
        location: ctx.locateConfig([...verifier.path, 'algorithms']),
      });
    }
  },
};
