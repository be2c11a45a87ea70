// The `scan` section of bulwark.yaml. Mirrors schema/parts/scan.schema.json (owned by the scan
// tool); test/core/config/sections.test.ts checks the two agree on their keys. The scanner turns this
// into its resolved settings (src/scan/settings.ts) with defaults and command-line flags applied.

export interface ScanHeaderAuth {
  readonly name: string;
  /** Secret: give it as ${ENV_VAR}. */
  readonly value: string;
}

export interface ScanLoginAuth {
  /** operationId or `METHOD /path` of the login operation (exactly one of operation or path). */
  readonly operation?: string;
  /** Path of the login operation, POSTed (exactly one of operation or path). */
  readonly path?: string;
  /** JSON body sent to log in; treated as secret. */
  readonly body: Readonly<Record<string, unknown>>;
  /** JSONPath of the token in the answer, e.g. `$.token`. */
  readonly tokenPath: string;
  /** JSONPath of the lifetime in seconds, e.g. `$.expires_in` (else the JWT `exp` is used). */
  readonly expiresInPath?: string;
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
  /** Marks the privileged control identity for API5; default: role named like `admin`. */
  readonly admin?: boolean;
  readonly auth: ScanAuth;
}

export interface ScanConsumer {
  /** operationId or `METHOD /path` of the operation whose handling calls the third party. */
  readonly operation: string;
  /**
   * Where the request carries the third party's URL: `body.<property>` or `query.<name>`. Absent
   * when the target was started pointing at the scanner's hostile upstream (the lab's
   * `--classifier-url http://127.0.0.1:<hostileUpstream.port>/`).
   */
  readonly field?: string;
}

export interface ScanConfig {
  readonly target?: string;
  readonly identities?: Readonly<Record<string, ScanIdentity>>;
  readonly scope?: { readonly hosts?: readonly string[] };
  readonly rate?: { readonly requestsPerSecond?: number; readonly concurrency?: number };
  readonly timeoutMs?: number;
  readonly checks?: { readonly include?: readonly string[]; readonly exclude?: readonly string[] };
  readonly admin?: {
    readonly operations?: readonly string[];
    readonly paths?: readonly string[];
    readonly tags?: readonly string[];
  };
  readonly flows?: Readonly<Record<string, { readonly operations: readonly string[] }>>;
  readonly consumers?: readonly ScanConsumer[];
  readonly hostileUpstream?: { readonly port?: number; readonly slowMs?: number };
  readonly probes?: {
    readonly burst?: number;
    readonly flowRepeats?: number;
    readonly loginAttempts?: number;
    readonly oversizedBodyBytes?: number;
  };
  readonly inventory?: { readonly publicSpecPaths?: readonly string[] };
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
  'hostileUpstream',
  'probes',
  'inventory',
] as const satisfies readonly (keyof ScanConfig)[];
