import type { MediaType } from '../../core/openapi/model.js';
import type { AuditRule } from '../types.js';
import { hasType, isObject } from '../util/schema.js';

const UPLOAD_FORMATS = new Set(['binary', 'base64', 'byte']);

/** Why a request body's size is unbounded by its own description, or undefined when bounded. */
function unbounded(media: MediaType): string | undefined {
  const schema = media.schema;
  if (schema === undefined || schema === true) return 'has no schema, so any body is accepted';
  if (!isObject(schema)) return undefined;
  const isUpload = (node: Record<string, unknown>) =>
    (hasType(node, 'string') && UPLOAD_FORMATS.has(String(node['format']))) ||
    hasType(node, 'file');
  if (isUpload(schema) && typeof schema['maxLength'] !== 'number')
    return 'is an upload with no maxLength';
  const properties = schema['properties'];
  if (isObject(properties)) {
    for (const [name, prop] of Object.entries(properties)) {
      if (isObject(prop) && isUpload(prop) && typeof prop['maxLength'] !== 'number') {
        return `has an upload part '${name}' with no maxLength`;
      }
    }
  }
  return undefined;
}

export const requestBodyLimits: AuditRule = {
  id: 'owasp:api4:request-body-limits',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  title: 'Request body without a size limit',
  rationale:
    'A body with no schema, or a file upload with no maxLength, can be as large as the client likes; gateways and validators generated from the description then have no limit to enforce (OWASP API4:2023, CWE-770).',
  remediation:
    'Give every request body a schema; give binary and base64 uploads a `maxLength` in bytes.',
  run(ctx) {
    for (const op of ctx.model.operations) {
      for (const media of op.requestBody?.content ?? []) {
        const why = unbounded(media);
        if (why === undefined) continue;
        ctx.report({
          message: `${op.key}: request body '${media.mediaType}' ${why}.`,
          operation: op,
          node: op,
          location: media.location,
        });
      }
    }
  },
};
