import type { AuditRule } from '../types.js';

export const inventoryAccess: AuditRule = {
  id: 'owasp:api9:inventory-access',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'info',
  title: 'Server audience not declared',
  rationale:
    'Declaring `x-internal: true|false` on each server states who the API is for, so documentation tools and inventories do not publish internal servers by accident (OWASP API9:2023).',
  remediation: 'Add `x-internal: true` or `x-internal: false` to each server.',
  spectral: ['owasp:api9:2023-inventory-access'],
  run(ctx) {
    if (ctx.model.version === 'swagger-2.0') return; // Swagger 2.0 has no server objects
    ctx.model.servers.forEach((server) => {
      const pointer = `${server.location.pointer}/x-internal`;
      if (ctx.model.locatePointer(pointer, server.location.file)) return;
      ctx.report({
        message: `Server '${server.url}' does not declare x-internal.`,
        location: server.location,
      });
    });
  },
};
