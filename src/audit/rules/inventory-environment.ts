import type { AuditRule } from '../types.js';

// Spectral's vocabulary.
const ENVIRONMENT =
  /(local|sandbox|alpha|beta|test|testing|stag|staging|prod|production|next|preprod|preproduction)/i;

export const inventoryEnvironment: AuditRule = {
  id: 'owasp:api9:inventory-environment',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'info',
  title: 'Server environment not declared',
  rationale:
    'A server description that names its environment (production, staging, sandbox) keeps test data and weaker environments from being mistaken for production (OWASP API9:2023).',
  remediation: "Describe each server's environment, e.g. `description: Production`.",
  spectral: ['owasp:api9:2023-inventory-environment'],
  run(ctx) {
    if (ctx.model.version === 'swagger-2.0') return; // Swagger 2.0 has no server descriptions
    for (const server of ctx.model.servers) {
      if (ENVIRONMENT.test(server.description ?? '')) continue;
      ctx.report({
        message: `Server '${server.url}' does not say which environment it is.`,
        location: server.location,
      });
    }
  },
};
