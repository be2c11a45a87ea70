import type { AuditRule } from '../types.js';
import { hasType } from '../util/schema.js';

// Spectral matches `id` and names ending `_id`, `Id` or `-id`.
const ID_NAME = /^id$|(_id|Id|-id|ID)$/;

export const noNumericIds: AuditRule = {
  id: 'owasp:api1:no-numeric-ids',
  owasp: 'API1:2023',
  cwe: 'CWE-639',
  severity: 'low',
  title: 'Object ids are sequential integers',
  rationale:
    'Integer ids can be enumerated: an attacker who sees /orders/1041 tries /orders/1042. Random ids do not replace authorization checks, but they remove the cheapest BOLA probe (OWASP API1:2023, CWE-639).',
  remediation:
    'Use random, unguessable identifiers (UUIDv4, ULID, or another random string) and check object ownership on every request.',
  spectral: ['owasp:api1:2023-no-numeric-ids'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      for (const param of op.parameters) {
        if (!ID_NAME.test(param.name) || typeof param.schema !== 'object') continue;
        if (!hasType(param.schema, 'integer')) continue;
        ctx.report({
          message: `Parameter '${param.name}' (${param.in}) is an integer id, which can be enumerated.`,
          node: param.schema,
          location: param.location,
          operation: op,
        });
      }
    }
  },
};
