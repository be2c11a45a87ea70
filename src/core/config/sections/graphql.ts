// protect.graphql: defaults for every GraphQL endpoint (schema/parts/graphql.schema.json,
// docs/graphql.md). The stage (src/protect/stages/graphql.ts) applies the defaults.
export interface GraphqlFieldRuleConfig {
  readonly roles?: readonly string[];
  readonly scopes?: readonly string[];
}

export interface GraphqlConfig {
  readonly operations?: readonly string[];
  readonly sdl?: string;
  readonly schemaFile?: string;
  readonly schemaIntrospection?:
    | true
    | {
        readonly url?: string;
        readonly timeoutMs?: number;
        readonly maxBytes?: number;
        readonly headers?: Readonly<Record<string, string>>;
      };
  readonly limits?: {
    readonly bytes?: number;
    readonly tokens?: number;
    readonly nesting?: number;
    readonly depth?: number;
    readonly cost?: number;
    readonly aliases?: number;
    readonly directives?: number;
    readonly operations?: number;
    readonly batch?: number;
    readonly fields?: number;
    readonly logins?: number;
  };
  readonly defaultListSize?: number;
  readonly slicingArguments?: readonly string[];
  readonly introspection?: { readonly allow?: boolean; readonly roles?: readonly string[] };
  readonly fields?: Readonly<Record<string, GraphqlFieldRuleConfig>>;
  readonly sensitive?: readonly string[];
  readonly loginFields?: readonly string[];
  readonly loginAccount?: readonly string[];
  readonly loginSuccessField?: string;
  readonly trustedDocuments?: {
    readonly mode?: 'off' | 'learn' | 'enforce';
    readonly manifest?: string;
    readonly learnFile?: string;
    readonly learnMax?: number;
  };
  readonly get?: { readonly allow?: boolean; readonly preflightHeaders?: readonly string[] };
  readonly maskSuggestions?: boolean;
  readonly exposeLimits?: boolean;
  readonly cacheSize?: number;
  readonly validation?: 'security' | 'full';
}
