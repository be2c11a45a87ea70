// GraphQL gate settings and their defaults (docs/graphql.md explains each choice). Settings come from
// the operation's `x-bulwark-graphql` extension, over `protect.graphql` in the policy, over defaults.
// Limits cover the whole HTTP request: cost, aliases, directives, tokens and bytes are summed over a
// batch, depth is the deepest operation in it (a batch must not multiply any limit).
import { introspectionSettings, type IntrospectionSettings } from './introspect.js';

export interface FieldRule {
  /** Any of these roles grants access (empty: no role needed). */
  readonly roles?: readonly string[];
  /** All of these scopes are needed. */
  readonly scopes?: readonly string[];
}

export interface GraphqlLimits {
  readonly bytes: number;
  readonly tokens: number;
  /** Bracket nesting ({, (, [) checked before parsing: bounds the parser's recursion. */
  readonly nesting: number;
  readonly depth: number;
  readonly cost: number;
  readonly aliases: number;
  readonly directives: number;
  /** Operation definitions per document. */
  readonly operations: number;
  /** Entries of a JSON batch array (1 = batching off). */
  readonly batch: number;
  /** Field visits after fragment expansion (bounds the analysis itself). */
  readonly fields: number;
  /** Login-type field calls per request: aliased or batched guesses each count (CWE-307). */
  readonly logins: number;
}

export interface GraphqlOptions {
  /** Inline SDL, or `schemaFile` (read once at startup). */
  readonly sdl: string | undefined;
  readonly schemaFile: string | undefined;
  /** Fetch the schema from the upstream by introspection at startup (when no sdl/schemaFile). */
  readonly schemaIntrospection: IntrospectionSettings | undefined;
  readonly limits: GraphqlLimits;
  /** List size assumed when a list field has no slicing argument and no @listSize(assumedSize). */
  readonly defaultListSize: number;
  /** Argument names read as list sizes when @listSize does not name them. */
  readonly slicingArguments: readonly string[];
  readonly introspection: { readonly allow: boolean; readonly roles: readonly string[] };
  /** `Type.field` or `Input.field` -> rule. */
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** Login-type fields (`Mutation.login`): each call counts against limits.logins. */
  readonly loginFields: readonly string[];
  /** Argument names read as the account of a login call (for the login guard). */
  readonly loginAccount: readonly string[];
  /**
   * Boolean field of a login result that says whether it succeeded (e.g. `ok`). Unset: a login
   * succeeded when its result is not null, has no error, and no `ok`/`success` field is false.
   */
  readonly loginSuccessField: string | undefined;
  /** Coordinates denied unless a rule in `fields` grants them (default deny). */
  readonly sensitive: readonly string[];
  readonly trusted: {
    readonly mode: 'off' | 'learn' | 'enforce';
    /** Manifest: `{ "<sha256>": "<document>" }` or Apollo's persisted-query manifest. */
    readonly manifest: string | undefined;
    /** Learn mode writes the manifest here (JSON). */
    readonly learnFile: string | undefined;
    readonly learnMax: number;
  };
  /** GET carries queries only; it must also carry one of these headers (CSRF, like Apollo's). */
  readonly get: { readonly allow: boolean; readonly preflightHeaders: readonly string[] };
  readonly maskSuggestions: boolean;
  /** Name the exceeded limit in refusals (CWE-209: off by default). */
  readonly exposeLimits: boolean;
  /** Parsed-and-validated documents kept (LRU). */
  readonly cacheSize: number;
  /**
   * `security` (default): the structural and field checks the gate's guarantees need, in its own
   * walk; `full`: also every graphql-js specified validation rule (about ten times the parse cost).
   */
  readonly validation: 'security' | 'full';
}

export const DEFAULT_LIMITS: GraphqlLimits = Object.freeze({
  bytes: 64 * 1024,
  tokens: 2000,
  nesting: 40,
  depth: 8,
  cost: 5000,
  aliases: 15,
  directives: 50,
  operations: 10,
  batch: 5,
  fields: 10_000,
  logins: 1,
});

export const DEFAULT_SLICING = Object.freeze([
  'first',
  'last',
  'limit',
  'take',
  'pageSize',
  'perPage',
  'count',
]);

type Raw = Record<string, unknown>;

function obj(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown, fallback: readonly string[]): readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
    ? (value as string[])
    : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function rules(value: unknown): Record<string, FieldRule> {
  const out: Record<string, FieldRule> = {};
  for (const [k, v] of Object.entries(obj(value))) {
    const r = obj(v);
    out[k] = { roles: strings(r['roles'], []), scopes: strings(r['scopes'], []) };
  }
  return out;
}

/** Merges the policy-wide section and the operation's extension (operation wins) over defaults. */
export function resolveOptions(section: unknown, extension: unknown): GraphqlOptions {
  const s = { ...obj(section), ...obj(extension) };
  const l = { ...obj(obj(section)['limits']), ...obj(obj(extension)['limits']) };
  const limits: GraphqlLimits = Object.fromEntries(
    Object.entries(DEFAULT_LIMITS).map(([k, d]) => [k, num(l[k], d)]),
  ) as unknown as GraphqlLimits;
  const intro = obj(s['introspection']);
  const trusted = obj(s['trustedDocuments']);
  const get = obj(s['get']);
  const raw = str(trusted['mode']);
  const mode: 'off' | 'learn' | 'enforce' = raw === 'learn' || raw === 'enforce' ? raw : 'off';
  return Object.freeze({
    sdl: str(s['sdl']),
    schemaFile: str(s['schemaFile']),
    schemaIntrospection: introspectionSettings(s['schemaIntrospection']),
    limits: Object.freeze(limits),
    defaultListSize: num(s['defaultListSize'], 10),
    slicingArguments: strings(s['slicingArguments'], DEFAULT_SLICING),
    introspection: { allow: bool(intro['allow'], false), roles: strings(intro['roles'], []) },
    fields: rules(s['fields']),
    loginFields: strings(s['loginFields'], []),
    loginAccount: strings(s['loginAccount'], ['username', 'email', 'login', 'account', 'user']),
    loginSuccessField: str(s['loginSuccessField']),
    sensitive: strings(s['sensitive'], []),
    trusted: {
      mode,
      manifest: str(trusted['manifest']),
      learnFile: str(trusted['learnFile']),
      learnMax: num(trusted['learnMax'], 10_000),
    },
    get: {
      allow: bool(get['allow'], true),
      preflightHeaders: strings(get['preflightHeaders'], [
        'graphql-require-preflight',
        'apollo-require-preflight',
        'x-apollo-operation-name',
        'x-requested-with',
      ]).map((h) => h.toLowerCase()),
    },
    maskSuggestions: bool(s['maskSuggestions'], true),
    exposeLimits: bool(s['exposeLimits'], false),
    cacheSize: num(s['cacheSize'], 1000),
    validation: s['validation'] === 'full' ? 'full' : 'security',
  });
}

/**
 * A copy of raw GraphQL settings with its file paths (schemaFile, trustedDocuments.manifest and
 * learnFile) passed through `resolvePath`: the CLI resolves protect.graphql against the config
 * file's folder, the stage resolves x-bulwark-graphql against the spec file's folder.
 */
export function withResolvedPaths(raw: unknown, resolvePath: (path: string) => string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Raw = { ...(raw as Raw) };
  if (typeof out['schemaFile'] === 'string') out['schemaFile'] = resolvePath(out['schemaFile']);
  const trusted = out['trustedDocuments'];
  if (trusted !== null && typeof trusted === 'object' && !Array.isArray(trusted)) {
    const t: Raw = { ...(trusted as Raw) };
    for (const key of ['manifest', 'learnFile']) {
      if (typeof t[key] === 'string') t[key] = resolvePath(t[key]);
    }
    out['trustedDocuments'] = t;
  }
  return out;
}
