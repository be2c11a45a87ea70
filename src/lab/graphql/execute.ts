// The lab's /graphql endpoint (issue 10), executed by graphql-js over the lab's SQLite store.
// `vulnerable`: introspection on, no depth/cost/alias limit, batching, `User.passwordHash`,
// `document(id)` with no owner check, suggestions and stack traces in errors.
// `secure`: each of those fixed (guard.ts limits, no batching, no passwordHash, owner check,
// introspection refused, suggestions and internals never sent).
import {
  buildSchema,
  execute,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { DocumentRow, UserRow } from '../db/store.js';
import { dummyHash, verifyPassword } from '../password.js';
import type { LabContext } from '../types.js';
import { bracketDepth, measure, SECURE_GRAPHQL } from './guard.js';
import { labSdl } from './sdl.js';

export interface GraphqlCall {
  readonly query: unknown;
  readonly variables: unknown;
  readonly operationName: unknown;
}

interface Exec {
  readonly lab: LabContext;
  readonly caller: UserRow | undefined;
  readonly ip: string;
  readonly secure: boolean;
}

type Resolver = GraphQLFieldResolver<unknown, Exec, Record<string, unknown>>;

const schemas = new Map<boolean, GraphQLSchema>();

function schemaFor(secure: boolean): GraphQLSchema {
  let s = schemas.get(secure);
  if (!s) {
    s = buildSchema(labSdl(!secure));
    schemas.set(secure, s);
  }
  return s;
}

function needCaller(ctx: Exec): UserRow {
  if (!ctx.caller)
    throw new GraphQLError('Authentication required.', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.caller;
}

function pageSize(ctx: Exec, first: unknown): number {
  const n = typeof first === 'number' ? first : 20;
  if (!ctx.secure) return n; // FLAW (API4): any size, negative = everything
  if (n < 1 || n > SECURE_GRAPHQL.maxFirst)
    throw new GraphQLError('first must be between 1 and 100.');
  return n;
}

const isAdmin = (u: UserRow): boolean => u.role === 'admin';

const resolvers: Record<string, Record<string, Resolver>> = {
  Query: {
    me: (_s, _a, ctx) => needCaller(ctx),
    user: (_s, a, ctx) => {
      const caller = needCaller(ctx);
      const id = String(a['id']);
      if (ctx.secure && !isAdmin(caller) && caller.id !== id) return null;
      return ctx.lab.store.userById(id) ?? null;
    },
    users: (_s, a, ctx) => {
      const caller = needCaller(ctx);
      if (ctx.secure && !isAdmin(caller)) throw new GraphQLError('Not allowed.');
      const n = pageSize(ctx, a['first']);
      const all = ctx.lab.store.allUsers();
      return n < 0 ? all : all.slice(0, n);
    },
    document: (_s, a, ctx) => {
      const caller = needCaller(ctx);
      const id = String(a['id']);
      // FLAW (API1, vulnerable): any document by id, whoever owns it.
      return (
        (ctx.secure
          ? ctx.lab.store.documentByIdForOwner(id, caller.id)
          : ctx.lab.store.documentById(id)) ?? null
      );
    },
    documents: (_s, a, ctx) =>
      ctx.lab.store.documentsForOwner(needCaller(ctx).id, 0, pageSize(ctx, a['first'])),
  },
  Mutation: {
    login: async (_s, a, ctx) => {
      const email = String(a['email']);
      const now = Date.now();
      const policy = ctx.lab.flaws.login;
      policy.before(email, ctx.ip, now);
      const user = ctx.lab.store.userByEmail(email);
      const ok = await verifyPassword(
        String(a['password']),
        user?.password_hash ?? (await dummyHash()),
      );
      if (!user || !ok) {
        policy.failed(email, ctx.ip, now);
        return { ok: false, token: null };
      }
      policy.succeeded(email);
      return { ok: true, token: (await ctx.lab.flaws.tokens.issue(user)).token };
    },
    importDocument: async (_s, a, ctx) => {
      const caller = needCaller(ctx);
      const url = String(a['url']);
      const text = await ctx.lab.flaws.imports.fetchText(url);
      return ctx.lab.store.insertDocument({
        id: ctx.lab.flaws.objects.newId('documents'),
        owner_id: caller.id,
        title: `Imported from ${url}`.slice(0, 200),
        content: text,
      });
    },
  },
  User: {
    passwordHash: (u) => (u as UserRow).password_hash, // FLAW (API3): vulnerable schema only
    documents: (u, a, ctx) => {
      const user = u as UserRow;
      const caller = needCaller(ctx);
      if (ctx.secure && caller.id !== user.id && !isAdmin(caller)) return [];
      return ctx.lab.store.documentsForOwner(user.id, 0, pageSize(ctx, a['first']));
    },
  },
  Document: {
    owner: (d, _a, ctx) => ctx.lab.store.userById((d as DocumentRow).owner_id),
  },
};

const fieldResolver: Resolver = (source, args, ctx, info) => {
  const r = resolvers[info.parentType.name]?.[info.fieldName];
  if (r) return r(source, args, ctx, info);
  return (source as Record<string, unknown> | null)?.[info.fieldName];
};

function problem(message: string): ExecutionResult {
  return { errors: [new GraphQLError(message)] };
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Serialises errors: vulnerable sends everything (stack included), secure only safe messages. */
function present(result: ExecutionResult, secure: boolean): unknown {
  if (!result.errors) return result;
  const errors = result.errors.map((e) => {
    if (!secure) {
      // FLAW (API8): internals and the stack trace go to the client (CWE-209).
      return {
        ...e.toJSON(),
        extensions: { ...e.extensions, stacktrace: (e.originalError ?? e).stack?.split('\n') },
      };
    }
    const internal = e.originalError !== undefined && !(e.originalError instanceof GraphQLError);
    const status = (e.originalError as { status?: unknown } | undefined)?.status;
    const message = internal
      ? status === 429
        ? 'Too many attempts. Retry later.'
        : 'Internal error.'
      : e.message.replace(SUGGESTION, '');
    return { message, ...(e.path ? { path: e.path } : {}) };
  });
  return { ...result, errors };
}

function prepare(
  call: GraphqlCall,
  secure: boolean,
  schema: GraphQLSchema,
): DocumentNode | ExecutionResult {
  if (typeof call.query !== 'string') return problem('A query string is required.');
  if (secure && bracketDepth(call.query, SECURE_GRAPHQL.nesting) > SECURE_GRAPHQL.nesting) {
    return problem('The query is too deeply nested.');
  }
  let doc: DocumentNode;
  try {
    doc = parse(call.query, secure ? { maxTokens: SECURE_GRAPHQL.tokens } : {});
  } catch (err) {
    return { errors: [err as GraphQLError] };
  }
  const rules = secure ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  const errors = validate(schema, doc, rules);
  if (errors.length > 0) return { errors };
  if (secure) {
    for (const def of doc.definitions) {
      if (def.kind !== 'OperationDefinition') continue;
      const m = measure(doc, def);
      if (m.depth > SECURE_GRAPHQL.depth) return problem('The query is too deep.');
      if (m.aliases > SECURE_GRAPHQL.aliases) return problem('The query uses too many aliases.');
    }
  }
  return doc;
}

export async function runOne(
  lab: LabContext,
  call: GraphqlCall,
  context: Omit<Exec, 'lab' | 'secure'>,
  mutationsAllowed: boolean,
): Promise<unknown> {
  const secure = lab.variant === 'secure';
  const schema = schemaFor(secure);
  const prepared = prepare(call, secure, schema);
  if (!('kind' in prepared)) return present(prepared, secure);
  const op = prepared.definitions.find((d) => d.kind === 'OperationDefinition');
  if (!mutationsAllowed && op?.kind === 'OperationDefinition' && op.operation !== 'query') {
    return present(problem('Only queries may use GET.'), secure);
  }
  const variables = call.variables;
  const result = await execute({
    schema,
    document: prepared,
    variableValues:
      variables !== null && typeof variables === 'object'
        ? (variables as Record<string, unknown>)
        : undefined,
    operationName: typeof call.operationName === 'string' ? call.operationName : undefined,
    contextValue: { ...context, lab, secure },
    fieldResolver,
  });
  return present(result, secure);
}
