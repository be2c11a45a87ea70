// API1:2023 / CWE-639: a GraphQL field fetching an object by id (`document(id:)`) that answers
// another identity's object. Two identities of the same role: the owner lists its objects, the
// other asks for them by id. Proof: the other identity receives the owner's object.
import {
  getNamedType,
  isListType,
  getNullableType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { graphqlOperations, introspect, openRootFields, send } from '../graphql/client.js';
import { location } from '../engine/classify.js';
import type { CheckContext, ScanCheck } from '../types.js';
import type { Operation } from '../../core/openapi/model.js';

/** Pairs of (list field, by-id field) returning the same object type with an `id` field. */
function pairs(schema: GraphQLSchema) {
  const query = schema.getQueryType();
  if (!query) return [];
  const out: { list: string; byId: string; arg: string }[] = [];
  for (const byId of Object.values(query.getFields())) {
    const type = getNamedType(byId.type);
    const required = byId.args.filter((a) => String(a.type).endsWith('!'));
    const arg = required[0];
    if (
      !isObjectType(type) ||
      !type.getFields()['id'] ||
      required.length !== 1 ||
      !arg ||
      !/^id$|Id$/.test(arg.name)
    )
      continue;
    const list = openRootFields(schema).find(
      (f) => getNamedType(f.type) === type && isListType(getNullableType(f.type)),
    );
    if (list) out.push({ list: list.name, byId: byId.name, arg: arg.name });
  }
  return out;
}

async function ids(ctx: CheckContext, op: Operation, list: string, who: string): Promise<string[]> {
  const a = await send(ctx, op, { query: `{ l: ${list} { id } }` }, who);
  const items = a.data?.['l'];
  return Array.isArray(items)
    ? items.map((i) => String((i as { id?: unknown }).id)).slice(0, 5)
    : [];
}

export const graphqlBola: ScanCheck = {
  id: 'scan:api1:graphql-bola',
  owasp: 'API1:2023',
  cwe: 'CWE-639',
  severity: 'high',
  confidence: 'certain',
  title: "GraphQL field returns another user's object by id",
  remediation:
    'Check the caller owns (or may read) the object in every by-id resolver, not only in list fields.',
  intrusive: false,
  async run(ctx) {
    const peers = ctx.identities.peers();
    if (!peers) {
      ctx.note('graphql-bola needs two identities of the same role');
      return;
    }
    const [owner, other] = peers;
    for (const op of graphqlOperations(ctx.model)) {
      const schema = await introspect(ctx, op);
      if (!schema) continue;
      for (const p of pairs(schema)) {
        const mine = new Set(await ids(ctx, op, p.list, other.name));
        for (const id of await ids(ctx, op, p.list, owner.name)) {
          if (mine.has(id)) continue;
          const a = await send(
            ctx,
            op,
            {
              query: `query Q($id: ID!) { o: ${p.byId}(${p.arg}: $id) { id } }`,
              variables: { id },
            },
            other.name,
          );
          const got = (a.data?.['o'] as { id?: unknown } | null | undefined)?.id;
          if (got === undefined || got === null || String(got) !== id) continue;
          ctx.report({
            location: location(op, a.response.exchange.request.url),
            cause: p.byId,
            message: `${other.name} reads ${owner.name}'s object ${id} through ${p.byId}(${p.arg}:).`,
            exchanges: [a.response],
          });
          break;
        }
      }
    }
  },
};
