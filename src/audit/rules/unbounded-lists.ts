import type { Operation, SchemaObject } from '../../core/openapi/model.js';
import type { AuditRule } from '../types.js';
import { hasType, isObject } from '../util/schema.js';

// Query parameters that cap a page, as named by common APIs.
const LIMIT_PARAM =
  /^(\$?top|limit|max|max_?results|max_?items|per_?page|page_?size|size|count|first|last|take|n|num|number|results_?per_?page|items_?per_?page|page\[size\]|page\[limit\])$/i;
// Envelope properties that hold the page of items.
const LIST_PROPERTY =
  /^(data|items|results|records|entries|values|value|list|elements|objects|hits|rows|content|edges|nodes|resources)$/i;

function listIn(schema: unknown): SchemaObject | undefined {
  if (!isObject(schema)) return undefined;
  if (hasType(schema, 'array')) return schema;
  const properties = schema['properties'];
  if (!isObject(properties)) return undefined;
  for (const [name, child] of Object.entries(properties)) {
    if (LIST_PROPERTY.test(name) && isObject(child) && hasType(child, 'array')) return child;
  }
  return undefined;
}

function returnedList(op: Operation): SchemaObject | undefined {
  for (const response of op.responses) {
    if (!/^2/.test(response.status)) continue;
    for (const media of response.content) {
      const list = listIn(media.schema);
      if (list) return list;
    }
  }
  return undefined;
}

export const unboundedLists: AuditRule = {
  id: 'owasp:api4:unbounded-lists',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  title: 'List operation without a bounded page size',
  rationale:
    'A list that returns everything, or takes a page size with no maximum, lets one request make the server read and serialise the whole table (OWASP API4:2023, CWE-770).',
  remediation:
    'Add a page-size query parameter (`limit`, `per_page`, ...) with a `maximum`, or `maxItems` on the returned array.',
  run(ctx) {
    for (const op of ctx.model.operations) {
      if (op.method !== 'get') continue;
      const list = returnedList(op);
      if (!list || typeof list['maxItems'] === 'number') continue;
      const limit = op.parameters.find((p) => p.in === 'query' && LIMIT_PARAM.test(p.name));
      const schema = limit?.schema;
      if (limit && isObject(schema) && typeof schema['maximum'] === 'number') continue;
      ctx.report({
        message: limit
          ? `${op.key} returns a list; its page-size parameter '${limit.name}' has no maximum.`
          : `${op.key} returns a list with no page-size parameter and no maxItems.`,
        operation: op,
        node: op,
        ...(limit ? { location: limit.location } : {}),
      });
    }
  },
};
