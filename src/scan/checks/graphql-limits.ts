// API4:2023 / CWE-770: a GraphQL endpoint with no alias, batch, depth or cost limit. Each probe is
// bounded so it proves the missing limit without loading the target: aliases and batches repeat
// `__typename` (free to resolve), the depth probe follows the schema's own object cycle with every
// list sliced to 1, and the cost probe asks one list for 10,000 items of `__typename` (its declared
// cost is large; the work is only what the data holds). Proof: the answers.
import {
  getNamedType,
  isListType,
  getNullableType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { graphqlOperations, introspect, openRootFields, send, someone } from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { CheckContext, ScanCheck } from '../types.js';
import type { Operation } from '../../core/openapi/model.js';

const ALIASES = 60;
const BATCH = 12;
const DEPTH = 14;
const COST_FIRST = 10_000;
const SLICING = ['first', 'last', 'limit', 'take', 'pageSize', 'perPage', 'count'];

/** A query DEPTH levels deep along object fields (lists sliced to 1), or undefined. */
export function deepQuery(schema: GraphQLSchema): string | undefined {
  for (const root of openRootFields(schema)) {
    let type = getNamedType(root.type) as GraphQLObjectType;
    const parts: string[] = [`${root.name}${slice(root)}`];
    for (let i = 1; i < DEPTH; i++) {
      const next = Object.values(type.getFields()).find(
        (f) =>
          isObjectType(getNamedType(f.type)) && f.args.every((a) => !String(a.type).endsWith('!')),
      );
      if (!next) break;
      parts.push(`${next.name}${slice(next)}`);
      type = getNamedType(next.type) as GraphQLObjectType;
    }
    if (parts.length >= DEPTH)
      return `{ ${parts.join(' { ')} { __typename }${' }'.repeat(parts.length)}`;
  }
  return undefined;
}

function slice(f: { args: readonly { name: string }[] }, n = 1): string {
  const arg = f.args.find((a) => SLICING.includes(a.name));
  return arg ? `(${arg.name}: ${n})` : '';
}

function costQuery(schema: GraphQLSchema): string | undefined {
  const list = openRootFields(schema).find(
    (f) => isListType(getNullableType(f.type)) && f.args.some((a) => SLICING.includes(a.name)),
  );
  return list ? `{ ${list.name}${slice(list, COST_FIRST)} { __typename } }` : undefined;
}

function accepted(a: {
  data: Record<string, unknown> | undefined;
  errors: readonly unknown[];
}): boolean {
  return a.data !== undefined && a.errors.length === 0;
}

async function probe(ctx: CheckContext, op: Operation): Promise<void> {
  const who = someone(ctx);
  const where = (url: string) => location(op, url);
  const aliases = Array.from({ length: ALIASES }, (_, i) => `a${i}: __typename`).join(' ');
  const a = await send(ctx, op, { query: `{ ${aliases} }` }, who);
  if (accepted(a) && Object.keys(a.data ?? {}).length === ALIASES) {
    ctx.report({
      location: where(a.response.exchange.request.url),
      cause: 'aliases',
      message: `${ALIASES} aliases in one document are all answered: no alias limit.`,
      exchanges: [a.response],
    });
  }
  const batch = await ctx.http.send({
    method: 'POST',
    path: op.path,
    json: Array.from({ length: BATCH }, () => ({ query: '{ __typename }' })),
    identity: who,
  });
  if (Array.isArray(batch.json) && batch.json.length === BATCH) {
    ctx.report({
      location: where(batch.exchange.request.url),
      cause: 'batch',
      message: `A batch of ${BATCH} operations is answered in one request: no batch limit (each per-operation limit is multiplied).`,
      exchanges: [batch],
    });
  }
  const schema = await introspect(ctx, op);
  if (!schema) {
    ctx.note(`${op.key}: depth and cost probes need the schema; introspection is off`);
    return;
  }
  const deep = deepQuery(schema);
  if (deep !== undefined) {
    const d = await send(ctx, op, { query: deep }, who);
    if (accepted(d))
      ctx.report({
        location: where(d.response.exchange.request.url),
        cause: 'depth',
        message: `A ${DEPTH}-level query is answered: no depth limit.`,
        exchanges: [d.response],
      });
  }
  const costly = costQuery(schema);
  if (costly !== undefined) {
    const c = await send(ctx, op, { query: costly }, who);
    if (accepted(c))
      ctx.report({
        location: where(c.response.exchange.request.url),
        cause: 'cost',
        message: `A list asked for ${COST_FIRST} items is answered: no cost or page-size limit.`,
        exchanges: [c.response],
      });
  }
}

export const graphqlLimits: ScanCheck = {
  id: 'scan:api4:graphql-limits',
  owasp: 'API4:2023',
  cwe: 'CWE-770',
  severity: 'medium',
  confidence: 'certain',
  title: 'GraphQL depth, alias, batch or cost limit missing',
  remediation:
    'Limit depth, aliases, batch length and query cost for the whole request (bulwark protect sums them over a batch and reads variables).',
  intrusive: false,
  async run(ctx) {
    for (const op of graphqlOperations(ctx.model)) await probe(ctx, op);
  },
};
