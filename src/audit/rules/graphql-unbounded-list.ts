import { graphqlEndpoints, isList, objectTypes, reportAll, sdlLine } from '../graphql/sdl.js';
import type { AuditRule } from '../types.js';

const SLICING = /^(first|last|limit|take|pageSize|perPage|count|size)$/;

export const graphqlUnboundedList: AuditRule = {
  id: 'owasp:api4:graphql-unbounded-list',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  title: 'GraphQL list without pagination or @listSize',
  rationale:
    'A list field with no slicing argument and no @listSize returns as many items as exist, and nested lists multiply: cost analysis cannot bound the query (API4:2023, CWE-770).',
  remediation:
    'Add a pagination argument (first/limit with a maximum) or @listSize(assumedSize: N) so the cost of the field is known.',
  run(ctx) {
    for (const ep of graphqlEndpoints(ctx.model)) {
      const items: string[] = [];
      for (const type of objectTypes(ep.document)) {
        for (const field of type.fields ?? []) {
          if (!isList(field)) continue;
          if ((field.arguments ?? []).some((a) => SLICING.test(a.name.value))) continue;
          if ((field.directives ?? []).some((d) => d.name.value === 'listSize')) continue;
          items.push(`${type.name.value}.${field.name.value}${sdlLine(field)}`);
        }
      }
      reportAll(ctx, ep, items, (l) => `Lists with no pagination argument or @listSize: ${l}.`);
    }
  },
};
