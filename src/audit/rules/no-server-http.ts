import type { Server } from '../../core/openapi/model.js';
import type { AuditRule } from '../types.js';

export const noServerHttp: AuditRule = {
  id: 'owasp:api8:no-server-http',
  owasp: 'API8:2023',
  cwe: 'CWE-319',
  severity: 'high',
  title: 'Server URL uses plain http',
  rationale:
    'Plain HTTP sends tokens and personal data in clear text, open to sniffing and tampering (CWE-319, OWASP API8:2023). Servers at the root, path and operation level are checked.',
  remediation: 'Use `https://` (or `wss://`) server URLs.',
  spectral: ['owasp:api8:2023-no-server-http'],
  run(ctx) {
    if (ctx.model.version === 'swagger-2.0') return; // reported on `schemes` by no-scheme-http
    const servers = new Map<string, Server>();
    for (const s of ctx.model.servers) servers.set(s.location.pointer + s.location.file, s);
    for (const op of ctx.model.operations)
      for (const s of op.servers) servers.set(s.location.pointer + s.location.file, s);
    for (const server of servers.values()) {
      if (!/^(http|ws):/i.test(server.url.trim())) continue;
      ctx.report({
        message: `Server '${server.url}' uses plain ${server.url.split(':')[0]}.`,
        location: server.location,
      });
    }
  },
};
