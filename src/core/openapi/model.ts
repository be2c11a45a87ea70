// The one frozen model every Bulwark engine reads. Swagger 2.0, OpenAPI 3.0 and 3.1 documents are all
// normalised into it by load.ts, so no engine ever looks at a version-specific shape.
//
// Schemas are the document's own JSON nodes with every `$ref` replaced by its target object: shared
// components are the same object wherever they are used, and circular references are real object
// cycles. Walk them with a visited set (see walkSchema in schema-walk.ts). Each node's source location
// and component name are kept outside the node (ApiModel.locate / ApiModel.schemaName), so nodes stay
// plain JSON.

import type { SpecLocation } from '../finding.js';

export type SpecVersion = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';

/** The JSON Schema dialect a model's schemas are written in. */
export type SchemaDialect = 'swagger-2.0' | 'openapi-3.0' | 'json-schema-2020-12';

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A JSON Schema node (OpenAPI flavour) after $ref resolution. `true`/`false` are valid in 3.1. */
export type Schema = boolean | SchemaObject;
export interface SchemaObject {
  readonly [keyword: string]: unknown;
}

export type Extensions = Readonly<Record<string, unknown>>;

export interface Server {
  readonly url: string;
  readonly description?: string;
  readonly variables?: Readonly<
    Record<string, { readonly default: string; readonly enum?: readonly string[] }>
  >;
  readonly location: SpecLocation;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface Parameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly deprecated: boolean;
  readonly schema: Schema;
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowEmptyValue?: boolean;
  readonly example?: unknown;
  readonly examples?: Readonly<Record<string, unknown>>;
  readonly extensions: Extensions;
  readonly location: SpecLocation;
}

export interface MediaType {
  /** The media type key as written, e.g. `application/json` or `application/*+json`. */
  readonly mediaType: string;
  readonly schema?: Schema;
  readonly example?: unknown;
  readonly examples?: Readonly<Record<string, unknown>>;
  readonly location: SpecLocation;
}

export interface RequestBody {
  readonly required: boolean;
  readonly content: readonly MediaType[];
  readonly location: SpecLocation;
}

export interface Header {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Schema;
  readonly location: SpecLocation;
}

export interface Response {
  /** `200`, `4XX` or `default` */
  readonly status: string;
  readonly description: string;
  readonly headers: readonly Header[];
  readonly content: readonly MediaType[];
  readonly location: SpecLocation;
}

export interface OAuthFlow {
  readonly authorizationUrl?: string;
  readonly tokenUrl?: string;
  readonly refreshUrl?: string;
  readonly scopes: Readonly<Record<string, string>>;
}

export type SecurityScheme =
  | ({
      readonly type: 'http';
      readonly scheme: 'bearer';
      readonly bearerFormat?: string;
    } & SchemeBase)
  | ({ readonly type: 'http'; readonly scheme: 'basic' } & SchemeBase)
  | ({ readonly type: 'http'; readonly scheme: string } & SchemeBase)
  | ({
      readonly type: 'apiKey';
      readonly in: 'header' | 'query' | 'cookie';
      readonly paramName: string;
    } & SchemeBase)
  | ({
      readonly type: 'oauth2';
      readonly flows: Readonly<
        Partial<
          Record<'implicit' | 'password' | 'clientCredentials' | 'authorizationCode', OAuthFlow>
        >
      >;
    } & SchemeBase)
  | ({ readonly type: 'openIdConnect'; readonly openIdConnectUrl: string } & SchemeBase)
  | ({ readonly type: 'mutualTLS' } & SchemeBase);

interface SchemeBase {
  /** The key under components.securitySchemes (or securityDefinitions). */
  readonly name: string;
  readonly description?: string;
  readonly extensions: Extensions;
  readonly location: SpecLocation;
}

/** One alternative of a security requirement: all of its schemes must pass together. */
export interface SecurityRequirement {
  readonly schemes: readonly {
    readonly scheme: SecurityScheme;
    readonly scopes: readonly string[];
  }[];
}

/**
 * The security that applies to an operation. `undefined` in `declared` means the spec says nothing
 * (neither the operation nor the root); `[]` means explicitly public (`security: []`). An empty
 * requirement object (`security: [{}]`) is an alternative with no scheme: anonymous access allowed.
 */
export interface OperationSecurity {
  readonly declared: readonly SecurityRequirement[] | undefined;
  /** true when the operation's own `security` applies, false when inherited from the root. */
  readonly fromOperation: boolean;
}

export interface Link {
  readonly name: string;
  readonly operationId?: string;
  readonly operationRef?: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly requestBody?: unknown;
}

export interface Operation {
  readonly method: HttpMethod;
  /** The path template as written in the spec, e.g. `/documents/{documentId}`. */
  readonly path: string;
  /** `GET /documents/{documentId}`: stable key used in findings, logs and metrics. */
  readonly key: string;
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly deprecated: boolean;
  /** Servers that apply to this operation (operation, then path item, then root). */
  readonly servers: readonly Server[];
  /** Path-item and operation parameters merged (operation wins on name+in). */
  readonly parameters: readonly Parameter[];
  readonly requestBody?: RequestBody;
  readonly responses: readonly Response[];
  readonly security: OperationSecurity;
  /** Links from responses (OpenAPI 3 `links`), keyed by status. */
  readonly links: Readonly<Record<string, readonly Link[]>>;
  /** `x-*` extensions of the operation merged over those of its path item. */
  readonly extensions: Extensions;
  readonly location: SpecLocation;
}

export interface ApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

export interface ApiModel {
  readonly version: SpecVersion;
  /** The version string as written: `2.0`, `3.0.3`, `3.1.0`. */
  readonly specVersion: string;
  readonly dialect: SchemaDialect;
  /** Absolute path or URL of the root document. */
  readonly source: string;
  readonly info: ApiInfo;
  readonly servers: readonly Server[];
  readonly operations: readonly Operation[];
  readonly securitySchemes: Readonly<Record<string, SecurityScheme>>;
  /** Root-level `security`, or undefined when absent. */
  readonly security: readonly SecurityRequirement[] | undefined;
  /** Named schema components (components.schemas, or definitions in Swagger 2.0). */
  readonly schemas: Readonly<Record<string, Schema>>;
  /** Root-level `x-*` extensions. */
  readonly extensions: Extensions;
  /** Where a node of the resolved document came from, or undefined for synthesised nodes. */
  locate(node: object): SpecLocation | undefined;
  /** The location of a JSON pointer in the root document, or in `file` when given. */
  locatePointer(pointer: string, file?: string): SpecLocation | undefined;
  /** The component name of a schema node, if it is a named component. */
  schemaName(node: object): string | undefined;
  /** Every source file that took part: the root and each file reached through `$ref`. */
  readonly files: readonly string[];
}
