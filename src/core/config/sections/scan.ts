// The `scan` section of bulwark.yaml. Mirrors schema/parts/scan.schema.json (owned by the scan
// tool); test/core/config/sections.test.ts checks the two agree on their keys.

export interface ScanHeaderAuth {
  readonly name: string;
  /** Secret: give it as ${ENV_VAR}. */
  readonly value: string;
}

export interface ScanLoginAuth {
  /** operationId of the login operation (exactly one of operation or path). */
  readonly operation?: string;
  /** Path of the login operation, POSTed (exactly one of operation or path). */
  readonly path?: string;
  /** JSON body sent to log in; treated as secret. */
  readonly body: Readonly<Record<string, unknown>>;
  /** JSONPath of the token in the answer, e.g. `$.token`. */
  readonly tokenPath: string;
  /** Header that carries the token. Default 'Authorization'. */
  readonly header?: string;
  /** Prefix before the token; empty for none. Default 'Bearer'. */
  readonly scheme?: string;
}

export interface ScanClientCredentialsAuth {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** Secret: give it as ${ENV_VAR}. */
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  readonly audience?: string;
}

/** Exactly one way of getting credentials. */
export type ScanAuth =
  | { readonly header: ScanHeaderAuth }
  | { readonly login: ScanLoginAuth }
  | { readonly oauth2ClientCredentials: ScanClientCredentialsAuth };

export interface ScanIdentity {
  readonly role: string;
  readonly auth: ScanAuth;
}

export interface ScanConsumer {
  readonly operation: string;
  readonly field: string;
  readonly trigger?: string;
}

export interface ScanConfig {
  readonly target?: string;
  readonly identities?: Readonly<Record<string, ScanIdentity>>;
  readonly scope?: { readonly hosts?: readonly string[] };
  readonly rate?: { readonly requestsPerSecond?: number };
  readonly timeoutMs?: number;
  readonly checks?: { readonly include?: readonly string[]; readonly exclude?: readonly string[] };
  readonly admin?: { readonly paths?: readonly string[]; readonly tags?: readonly string[] };
  readonly flows?: Readonly<Record<string, { readonly operations: readonly string[] }>>;
  readonly consumers?: readonly ScanConsumer[];
}

/** Top-level keys, kept in step with the schema part by a test. */
export const SCAN_KEYS = [
  'target',
  'identities',
  'scope',
  'rate',
  'timeoutMs',
  'checks',
  'admin',
  'flows',
  'consumers',
] as const satisfies readonly (keyof ScanConfig)[];
