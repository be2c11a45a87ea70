// The scan engine's resolved settings: the config file's `scan` section with defaults applied and
// command-line flags merged in. Defaults are chosen so a scan of a small API ends in well under two
// minutes while staying polite to the target.

export type IdentityAuth =
  | { readonly kind: 'header'; readonly name: string; readonly value: string }
  | {
      readonly kind: 'login';
      /** `POST /auth/login` (method and spec path) or an operationId. */
      readonly operation: string;
      readonly body: Readonly<Record<string, unknown>>;
      /** JSON pointer (RFC 6901) or `$.a.b` path to the token in the login answer. */
      readonly tokenPath: string;
      /** Where the lifetime in seconds is, if the answer says (else the JWT `exp` is used). */
      readonly expiresInPath?: string;
      readonly header: string;
      readonly scheme: string;
    }
  | {
      readonly kind: 'oauth2';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scopes: readonly string[];
      readonly audience?: string;
    };

export interface IdentitySettings {
  readonly name: string;
  readonly role: string;
  /** Admins are the control identity for function-level checks (API5). */
  readonly admin: boolean;
  readonly auth: IdentityAuth;
}

export interface ConsumerSettings {
  /** The operation whose handling reads the third-party answer, e.g. `classifyDocument`. */
  readonly operation: string;
  /**
   * Where the request carries the third party's URL (`body.url`, `query.webhook`); the scanner sets
   * it to its hostile upstream per probe. Undefined: the target was started pointing at the hostile
   * upstream (e.g. the lab's `--classifier-url`), and the scanner switches the upstream's answer.
   */
  readonly field?: string;
}

export interface ScanSettings {
  readonly target: URL;
  /** Base URL of the API: target plus the spec's server path (e.g. `/api/v2`). */
  readonly base: URL;
  /** Hosts (`host` or `host:port`) the scanner may contact; the target's host is always in. */
  readonly scopeHosts: readonly string[];
  readonly intrusive: boolean;
  readonly requestsPerSecond: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Total time a scan may pause for the target's Retry-After answers. */
  readonly throttleWaitBudgetMs: number;
  readonly maxResponseBytes: number;
  readonly identities: readonly IdentitySettings[];
  /** Extra operations (operationId or `METHOD /path`), path templates (`/admin/*`) and tags treated as admin-only (API5). */
  readonly adminOperations: readonly string[];
  readonly adminPaths: readonly string[];
  readonly adminTags: readonly string[];
  /** Extra operation keys treated as sensitive business flows (API6). */
  readonly sensitiveFlows: readonly string[];
  /** How many times a sensitive flow is repeated to look for a quota (API6). */
  readonly flowRepeats: number;
  /** Size of the burst that looks for a rate limit (API4). */
  readonly burst: number;
  /** Failed logins sent to look for attempt limiting (API2). */
  readonly loginAttempts: number;
  /** Body size sent by the oversized-body check (API4). */
  readonly oversizedBodyBytes: number;
  readonly consumers: readonly ConsumerSettings[];
  /** Fixed loopback port of the hostile upstream (0 = ephemeral; only per-request consumers). */
  readonly hostilePort: number;
  /** How long the hostile upstream stalls a slow answer. */
  readonly hostileSlowMs: number;
  /** Check ids or OWASP categories (`API4:2023`) to run (empty: all) and to skip. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Paths under which the spec may legitimately be served (API9). */
  readonly publicSpecPaths: readonly string[];
}

export const SCAN_DEFAULTS = {
  requestsPerSecond: 50,
  concurrency: 8,
  timeoutMs: 10_000,
  throttleWaitBudgetMs: 15_000,
  maxResponseBytes: 1024 * 1024,
  flowRepeats: 15,
  burst: 150,
  loginAttempts: 15,
  oversizedBodyBytes: 2 * 1024 * 1024,
  hostilePort: 0,
  hostileSlowMs: 3_000,
} as const;
