import type { AuditRule } from '../types.js';

export const noSchemeHttp: AuditRule = {
  id: 'owasp:api8:no-scheme-http',
  owasp: 'API8:2023',
  cwe: 'CWE-319',
  severity: 'high',
  title: 'Swagger 2.0 schemes include plain http or ws',
  rationale:
    'Plain HTTP sends tokens and personal data in clear text, open to sniffing and tampering (CWE-319, OWASP API8:2023).',
  remediation: 'List only `https` (and `wss`) in `schemes`.',
  spectral: ['owasp:api8:2023-no-scheme-http'],
  run(ctx) {
    if (ctx.model.version !== 'swagger-2.0') return;
    const seen = new Set<string>();
    for (const server of ctx.model.servers) {
      const scheme = /^([a-z]+):/i.exec(server.url)?.[1]?.toLowerCase();
      if (scheme !== 'http' && scheme !== 'ws') continue;
      if (seen.has(scheme)) continue;
      seen.add(scheme);
      ctx.report({
        message: `Swagger 2.0 'schemes' includes '${scheme}'.`,
        location: ctx.model.locatePointer('/schemes') ?? server.location,
        detail: server.url,
      });
    }
  },
};
