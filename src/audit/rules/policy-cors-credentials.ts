import type { AuditRule } from '../types.js';
import { protectSection } from '../util/policy.js';

export const policyCorsCredentials: AuditRule = {
  id: 'owasp:api8:policy-cors-credentials',
  owasp: 'API8:2023',
  cwe: 'CWE-942',
  severity: 'critical',
  policy: true,
  title: 'Policy: CORS allows any origin with credentials',
  rationale:
    "A wildcard origin combined with credentials means any web page can make a logged-in user's browser call the API and read the answer (Fetch standard CORS protocol; CWE-942). Gateways that 'fix' the browser's refusal by reflecting the Origin make it exploitable.",
  remediation: 'List the allowed origins explicitly, or turn credentials off for a public API.',
  run(ctx) {
    const cors = protectSection(ctx.config)?.['cors'] as
      { origins?: unknown; credentials?: unknown } | undefined;
    if (!cors || cors.credentials !== true || !Array.isArray(cors.origins)) return;
    const index = cors.origins.findIndex((o) => o === '*' || o === 'null');
    if (index < 0) return;
    ctx.report({
      message: `protect.cors allows origin '${String(cors.origins[index])}' with credentials.`,
      location: ctx.locateConfig(['protect', 'cors', 'origins', index]),
    });
  },
};
