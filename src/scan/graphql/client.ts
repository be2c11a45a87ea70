// Shared GraphQL plumbing for the scan's graphql-* checks: which operations are GraphQL endpoints
// (`x-bulwark-graphql`, or the one `bulwark scan --graphql URL` describes), sending a document, and
// the target's schema by introspection (learnt once per scan, bounded by the HTTP client's caps).
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import type { ApiModel, Operation } from '../../core/openapi/model.js';
import type { CheckContext, ScanResponse } from '../types.js';

export function graphqlOperations(model: ApiModel): Operation[] {
  return model.operations.filter(
    (op) => op.method.toUpperCase() === 'POST' && op.extensions['x-bulwark-graphql'] !== undefined,
  );
}

export interface GraphqlAnswer {
  readonly response: ScanResponse;
  readonly data: Record<string, unknown> | undefined;
  readonly errors: readonly { message?: unknown; extensions?: unknown }[];
}

export function answerOf(response: ScanResponse): GraphqlAnswer {
  const body = response.json as { data?: unknown; errors?: unknown } | undefined;
  const data =
    body?.data !== null && typeof body?.data === 'object'
      ? (body.data as Record<string, unknown>)
      : undefined;
  return { response, data, errors: Array.isArray(body?.errors) ? body.errors : [] };
}

export async function send(
  ctx: CheckContext,
  op: Operation,
  body: unknown,
  identity?: string | null,
): Promise<GraphqlAnswer> {
  const response = await ctx.http.send({
    method: 'POST',
    path: op.path,
    json: body,
    identity: identity ?? null,
  });
  return answerOf(response);
}

/** The first identity (non-admin preferred), or null for anonymous. */
export function someone(ctx: CheckContext): string | null {
  return (ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0])?.name ?? null;
}

const schemas = new WeakMap<
  CheckContext['model'],
  Map<string, Promise<GraphQLSchema | undefined>>
>();

/** The schema by introspection (undefined when introspection is off), once per scan. */
export function introspect(ctx: CheckContext, op: Operation): Promise<GraphQLSchema | undefined> {
  let byOp = schemas.get(ctx.model);
  if (!byOp) schemas.set(ctx.model, (byOp = new Map()));
  let found = byOp.get(op.key);
  if (!found) {
    found = send(ctx, op, { query: getIntrospectionQuery() }, someone(ctx)).then((a) => {
      try {
        return a.data ? buildClientSchema(a.data as unknown as IntrospectionQuery) : undefined;
      } catch {
        return undefined;
      }
    });
    byOp.set(op.key, found);
  }
  return found;
}

/** Root query fields that take no required argument and return an object (or a list of them). */
export function openRootFields(schema: GraphQLSchema): GraphQLField<unknown, unknown>[] {
  const query = schema.getQueryType();
  if (!query) return [];
  return Object.values(query.getFields()).filter(
    (f) =>
      isObjectType(getNamedType(f.type)) &&
      f.args.every((a) => a.defaultValue !== undefined || !String(a.type).endsWith('!')),
  );
}

/** Scalar fields of an object type that need no arguments, for a minimal selection. */
export function scalarSelection(type: GraphQLObjectType, limit = 5): string {
  const names = Object.values(type.getFields())
    .filter((f) => f.args.length === 0 && !isObjectType(getNamedType(f.type)))
    .map((f) => f.name);
  return (names.includes('id') ? ['id'] : names.slice(0, limit)).join(' ') || '__typename';
}

export const SUGGESTION = /Did you mean/i;
