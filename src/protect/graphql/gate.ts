// The GraphQL gate: every check for one HTTP request, independent of the gateway so it can be
// benchmarked and embedded. Order matters: cheap bounded checks first, graphql-js only on documents
// that passed them. (1) batch length; (2) byte/token/nesting budgets summed over the batch, before
// parsing; (3) parse once and cache by SHA-256 (bounded LRU); (4) document structure, fragment
// cycles included (structure.ts), before any walk; (5) the whole-request walk (depth,
// variables-aware cost, aliases, directives, introspection, field authorization after fragment
// expansion, unknown fields and types); (6) with `validation: full` only, graphql-js's specified
// rules, cached, for documents inside every limit (OverlappingFieldsCanBeMerged is quadratic).
import { createHash } from 'node:crypto';
import {
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { newTotals, walkOperation, type Totals } from './analyze.js';
import { CostModel, satisfies } from './cost-model.js';
import { Lru } from './lru.js';
import { maskSuggestions } from './mask.js';
import type { GraphqlOptions } from './options.js';
import { prescan } from './prescan.js';
import { structureOf } from './structure.js';
import { TrustedDocuments } from './trusted.js';

export type GraphqlDenyCode =
  | 'BULWARK_DENY_GRAPHQL_MALFORMED'
  | 'BULWARK_DENY_GRAPHQL_TOO_COMPLEX'
  | 'BULWARK_DENY_GRAPHQL_INVALID'
  | 'BULWARK_DENY_GRAPHQL_INTROSPECTION'
  | 'BULWARK_DENY_GRAPHQL_FIELD'
  | 'BULWARK_DENY_GRAPHQL_UNTRUSTED'
  | 'BULWARK_DENY_GRAPHQL_METHOD'
  | 'BULWARK_DENY_GRAPHQL_CSRF'
  | 'BULWARK_DENY_GRAPHQL_BATCH'
  | 'BULWARK_DENY_GRAPHQL_PERSISTED_NOT_FOUND';

export const DENY_STATUS: Readonly<Record<GraphqlDenyCode, number>> = {
  BULWARK_DENY_GRAPHQL_MALFORMED: 400,
  BULWARK_DENY_GRAPHQL_TOO_COMPLEX: 400,
  BULWARK_DENY_GRAPHQL_INVALID: 400,
  BULWARK_DENY_GRAPHQL_INTROSPECTION: 403,
  BULWARK_DENY_GRAPHQL_FIELD: 403,
  BULWARK_DENY_GRAPHQL_UNTRUSTED: 403,
  BULWARK_DENY_GRAPHQL_METHOD: 405,
  BULWARK_DENY_GRAPHQL_CSRF: 403,
  BULWARK_DENY_GRAPHQL_BATCH: 400,
  BULWARK_DENY_GRAPHQL_PERSISTED_NOT_FOUND: 400,
};

export interface Denial {
  readonly ok: false;
  readonly code: GraphqlDenyCode;
  /** Operator-only (logged): names the limit or field. */
  readonly reason: string;
  /** Client-safe text; names a limit only when exposeLimits is set (CWE-209). */
  readonly detail: string;
  /** Client-safe validation messages (suggestions masked). */
  readonly errors?: readonly string[];
}

export interface Pass {
  readonly ok: true;
  /** Whole-request cost (rate-limit weight). */
  readonly cost: number;
  readonly totals: Totals;
  /** Set when an id-only trusted document was resolved: the body to forward instead. */
  readonly rewritten: unknown;
}

export type Verdict = Pass | Denial;

export interface Caller {
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
}

/** One GraphQL request of a (possibly batched) HTTP request. */
interface Entry {
  query: string | undefined;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  hash: string | undefined;
}

interface Cached {
  readonly document: DocumentNode | undefined;
  readonly syntax: string | undefined;
  readonly cyclic: boolean;
  /** Client-safe document-level problem (structure.ts), or undefined. */
  readonly problem: string | undefined;
  readonly operations: readonly OperationDefinitionNode[];
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** undefined until validated (only documents inside every limit are). */
  errors: readonly string[] | undefined;
}

const GENERIC: Record<string, string> = {
  BULWARK_DENY_GRAPHQL_TOO_COMPLEX: 'The GraphQL request is too large or too complex.',
  BULWARK_DENY_GRAPHQL_INTROSPECTION: 'Introspection is not allowed.',
  BULWARK_DENY_GRAPHQL_FIELD: 'A requested field is not allowed.',
  BULWARK_DENY_GRAPHQL_UNTRUSTED: 'Only trusted documents are accepted.',
};

function deny(
  code: GraphqlDenyCode,
  reason: string,
  detail?: string,
  errors?: readonly string[],
): Denial {
  return {
    ok: false,
    code,
    reason,
    detail: detail ?? GENERIC[code] ?? 'The GraphQL request is not valid.',
    ...(errors !== undefined ? { errors } : {}),
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class GraphqlGate {
  readonly model: CostModel;
  readonly trusted: TrustedDocuments;
  private readonly cache: Lru<string, Cached>;
  private readonly rules: ReadonlyMap<string, GraphqlOptions['fields'][string]>;
  private readonly sensitive: ReadonlySet<string>;
  private readonly loginFields: ReadonlySet<string>;

  constructor(
    readonly schema: GraphQLSchema,
    readonly options: GraphqlOptions,
    cwd = process.cwd(),
  ) {
    this.model = new CostModel(schema, options);
    this.trusted = new TrustedDocuments(options.trusted, cwd);
    this.cache = new Lru(options.cacheSize);
    this.rules = new Map(Object.entries(options.fields));
    this.sensitive = new Set(options.sensitive);
    this.loginFields = new Set(options.loginFields);
  }

  /** Checks a POST JSON body (object or batch array) or GET parameters. */
  check(method: 'GET' | 'POST', payload: unknown, caller: Caller): Verdict {
    const limits = this.options.limits;
    const list = Array.isArray(payload) ? payload : [payload];
    if (Array.isArray(payload) && (payload.length === 0 || payload.length > limits.batch)) {
      return payload.length === 0
        ? deny('BULWARK_DENY_GRAPHQL_MALFORMED', 'empty batch')
        : deny(
            'BULWARK_DENY_GRAPHQL_BATCH',
            `batch of ${payload.length} over ${limits.batch}`,
            this.options.exposeLimits
              ? `A batch holds at most ${limits.batch} operations.`
              : 'The batch is too long.',
          );
    }
    const entries: Entry[] = [];
    for (const raw of list) {
      const entry = this.entry(raw);
      if (!('query' in entry)) return entry;
      entries.push(entry);
    }
    let bytes = 0;
    let tokens = 0;
    const totals = newTotals();
    for (const [index, entry] of entries.entries()) {
      const resolved = this.resolveText(entry);
      if (resolved !== undefined) return resolved;
      const text = entry.query!;
      const budget = prescan(text, limits.bytes - bytes, limits.tokens - tokens, limits.nesting);
      if (budget.problem === 'syntax')
        return deny('BULWARK_DENY_GRAPHQL_MALFORMED', 'syntax (prescan)');
      if (budget.problem !== undefined) return this.tooComplex(budget.problem);
      // An alias or directive flood in a one-operation, fragment-free document is refused before
      // parsing: the counts are exact there (prescan.ts), so the verdict is the analyser's.
      if (budget.exact) {
        if (totals.aliases + budget.aliases > limits.aliases) return this.tooComplex('aliases');
        if (totals.directives + budget.directives > limits.directives)
          return this.tooComplex('directives');
      }
      bytes += Buffer.byteLength(text, 'utf8');
      tokens += budget.tokens;
      const verdict = this.checkEntry(method, entry, index, text, totals, caller);
      if (verdict !== undefined) return verdict;
    }
    return {
      ok: true,
      cost: totals.cost,
      totals,
      rewritten: this.rewrite(payload, entries),
    };
  }

  private entry(raw: unknown): Entry | Denial {
    if (!isRecord(raw)) return deny('BULWARK_DENY_GRAPHQL_MALFORMED', 'request is not an object');
    const { query, variables, operationName, extensions } = raw;
    if (query !== undefined && query !== null && typeof query !== 'string')
      return deny('BULWARK_DENY_GRAPHQL_MALFORMED', 'query is not a string');
    if (variables !== undefined && variables !== null && !isRecord(variables))
      return deny('BULWARK_DENY_GRAPHQL_MALFORMED', 'variables is not an object');
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
      return deny('BULWARK_DENY_GRAPHQL_MALFORMED', 'operationName is not a string');
    const pq = isRecord(extensions) ? extensions['persistedQuery'] : undefined;
    const hash =
      isRecord(pq) && typeof pq['sha256Hash'] === 'string'
        ? pq['sha256Hash'].toLowerCase()
        : undefined;
    return {
      query: typeof query === 'string' ? query : undefined,
      variables: isRecord(variables) ? variables : {},
      operationName: typeof operationName === 'string' ? operationName : undefined,
      hash,
    };
  }

  /** Finds the text of id-only requests; the hash is never trusted on its own (APQ is no allowlist). */
  private resolveText(entry: Entry): Denial | undefined {
    if (entry.query !== undefined) {
      if (this.trusted.enforcing && !this.trusted.has(sha256(entry.query)))
        return deny('BULWARK_DENY_GRAPHQL_UNTRUSTED', 'document not in the trusted manifest');
      return undefined;
    }
    if (entry.hash === undefined) return deny('BULWARK_DENY_GRAPHQL_MALFORMED', 'no query');
    const text = this.trusted.enforcing
      ? this.trusted.text(entry.hash)
      : this.cachedText(entry.hash);
    if (text === undefined) {
      return this.trusted.enforcing
        ? deny('BULWARK_DENY_GRAPHQL_UNTRUSTED', 'unknown trusted document id')
        : deny(
            'BULWARK_DENY_GRAPHQL_PERSISTED_NOT_FOUND',
            'persisted query not known to the gate',
            'PersistedQueryNotFound',
          );
    }
    entry.query = text;
    (entry as Entry & { resolved?: boolean }).resolved = true;
    return undefined;
  }

  private readonly texts = new Lru<string, string>(1000);

  private cachedText(hash: string): string | undefined {
    return this.texts.get(hash);
  }

  /** The body to forward when id-only entries were resolved to their text (else undefined). */
  private rewrite(payload: unknown, entries: readonly Entry[]): unknown {
    if (!entries.some((e) => (e as Entry & { resolved?: boolean }).resolved)) return undefined;
    const list = Array.isArray(payload) ? payload : [payload];
    const out = list.map((raw, i) => ({ ...(raw as object), query: entries[i]?.query }));
    return Array.isArray(payload) ? out : out[0];
  }

  private tooComplex(limit: string): Denial {
    const value = (this.options.limits as unknown as Record<string, number>)[limit];
    return deny(
      'BULWARK_DENY_GRAPHQL_TOO_COMPLEX',
      `${limit} limit exceeded`,
      this.options.exposeLimits ? `The request exceeds the ${limit} limit of ${value}.` : undefined,
    );
  }

  private document(text: string, hash: string): Cached {
    const hit = this.cache.get(hash);
    if (hit !== undefined) return hit;
    let entry: Cached;
    try {
      const document = parse(text, { noLocation: true, maxTokens: this.options.limits.tokens });
      const { operations, fragments, problem, cyclic } = structureOf(document);
      entry = {
        document,
        syntax: undefined,
        cyclic,
        problem,
        operations,
        fragments,
        errors: undefined,
      };
    } catch (err) {
      entry = {
        document: undefined,
        syntax: maskSuggestions((err as Error).message),
        cyclic: false,
        problem: undefined,
        operations: [],
        fragments: new Map(),
        errors: undefined,
      };
    }
    this.cache.set(hash, entry);
    this.texts.set(hash, text);
    return entry;
  }

  private checkEntry(
    method: 'GET' | 'POST',
    entry: Entry,
    index: number,
    text: string,
    totals: Totals,
    caller: Caller,
  ): Denial | undefined {
    const limits = this.options.limits;
    const hash = sha256(text);
    const doc = this.document(text, hash);
    if (doc.document === undefined) {
      return deny(
        'BULWARK_DENY_GRAPHQL_MALFORMED',
        'syntax',
        'The GraphQL document does not parse.',
        [doc.syntax ?? ''],
      );
    }
    if (doc.cyclic)
      return deny(
        'BULWARK_DENY_GRAPHQL_INVALID',
        'fragment cycle',
        'Fragments may not form a cycle.',
      );
    if (doc.problem !== undefined)
      return deny('BULWARK_DENY_GRAPHQL_INVALID', 'document structure', undefined, [doc.problem]);
    if (doc.operations.length > limits.operations) return this.tooComplex('operations');
    const op =
      entry.operationName === undefined
        ? doc.operations.length === 1
          ? doc.operations[0]
          : undefined
        : doc.operations.find((o) => o.name?.value === entry.operationName);
    if (op === undefined)
      return deny(
        'BULWARK_DENY_GRAPHQL_MALFORMED',
        'operation not selected',
        'Name the operation to run.',
      );
    if (method === 'GET' && op.operation !== 'query') {
      return deny(
        'BULWARK_DENY_GRAPHQL_METHOD',
        `${op.operation} over GET`,
        'Only queries may use GET.',
      );
    }
    walkOperation(
      {
        schema: this.schema,
        model: this.model,
        operation: op,
        fragments: doc.fragments,
        variables: entry.variables,
        limits,
        loginFields: this.loginFields,
        loginAccount: this.options.loginAccount,
        entry: index,
        allowed: (coordinate) => this.allowed(coordinate, caller),
      },
      totals,
    );
    if (totals.exceeded !== undefined) return this.tooComplex(totals.exceeded);
    if (totals.invalid !== undefined)
      return deny('BULWARK_DENY_GRAPHQL_INVALID', 'unknown field or type', undefined, [
        totals.invalid,
      ]);
    if (totals.denied !== undefined)
      return deny('BULWARK_DENY_GRAPHQL_FIELD', `field ${totals.denied}`);
    if (totals.introspection && !this.introspectionAllowed(caller)) {
      return deny('BULWARK_DENY_GRAPHQL_INTROSPECTION', 'introspection');
    }
    // Full graphql-js validation only when asked for (or when learning documents for a manifest):
    // the checks the gate's guarantees rest on ran above, and the upstream validates every document
    // before it executes it (GraphQL spec §6.1), so the other rules decide nothing security-relevant.
    if (this.options.validation === 'full' || this.options.trusted.mode === 'learn') {
      doc.errors ??= validate(this.schema, doc.document, undefined, { maxErrors: 20 }).map((e) =>
        maskSuggestions(e.message),
      );
    }
    if (doc.errors !== undefined && doc.errors.length > 0) {
      return deny(
        'BULWARK_DENY_GRAPHQL_INVALID',
        'validation',
        'The GraphQL document is not valid.',
        doc.errors,
      );
    }
    this.trusted.learn(hash, text);
    return undefined;
  }

  private introspectionAllowed(caller: Caller): boolean {
    const i = this.options.introspection;
    return i.allow || i.roles.some((r) => caller.roles.includes(r));
  }

  private allowed(coordinate: string, caller: Caller): boolean {
    const rule = this.rules.get(coordinate);
    if (rule === undefined) return !this.sensitive.has(coordinate); // sensitive: default deny
    return satisfies(rule, caller.roles, caller.scopes);
  }
}
