import type { AuditRule } from '../types.js';

// Spectral's pattern, plus `api_key` (its `api-?key` misses the underscore) and Google-style `key`.
const CREDENTIAL =
  /(client_?secret|token|access_?token|refresh_?token|id_?token|password|passwd|secret|api[-_]?key|private_?key|^key$)/i;
// Pagination cursors are called tokens but are not credentials.
const NOT_CREDENTIAL =
  /(page|next|continuation|sync|cursor|skip|resume|start|last|previous|prev)_?token/i;

export const noCredentialsInUrl: AuditRule = {
  id: 'owasp:api2:no-credentials-in-url',
  owasp: 'API2:2023',
  cwe: 'CWE-598',
  severity: 'high',
  title: 'Credentials in path or query parameters',
  rationale:
    'Secrets in the URL end up in server and proxy logs, browser history and Referer headers (CWE-598, OWASP API2:2023).',
  remediation: 'Move tokens, passwords and keys to a header or the request body.',
  spectral: ['owasp:api2:2023-no-credentials-in-url'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      for (const param of op.parameters) {
        if (param.in !== 'query' && param.in !== 'path') continue;
        if (!CREDENTIAL.test(param.name) || NOT_CREDENTIAL.test(param.name)) continue;
        ctx.report({
          message: `${param.in === 'path' ? 'Path' : 'Query'} parameter '${param.name}' looks like a credential.`,
          node: param,
          location: param.location,
          operation: op,
        });
      }
    }
  },
};
