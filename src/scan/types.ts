// The contract between the scan engine and its checks. A check is one plain object in its own file
// (src/scan/checks/<slug>.ts), registered in src/scan/registry.ts; the engine only sees this shape.
import type { ApiModel, Operation } from '../core/openapi/model.js';
import type {
  Confidence,
  FindingLocation,
  HttpExchange,
  OwaspCategory,
  Severity,
} from '../core/finding.js';
import type { ScanSettings } from './settings.js';

/** One request the scanner sends. Paths are relative to the API base URL unless `url` is given. */
export interface ScanRequest {
  readonly method: string;
  /** Concrete path below the API base, e.g. `/documents/12`. */
  readonly path?: string;
  /** Absolute URL (must be in scope); wins over `path`. */
  readonly url?: string;
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value, serialised with `Content-Type: application/json`. */
  readonly json?: unknown;
  /** A raw body (wins over `json`); set `content-type` yourself. */
  readonly body?: string;
  /** Identity whose credentials are attached; `null` or absent sends none. */
  readonly identity?: string | null;
  readonly timeoutMs?: number;
  /**
   * Wait out a short throttle (429, or 503 with Retry-After up to 5 s) once and resend, while the
   * scan's wait budget lasts. Default true; checks that measure throttling set it false to see the
   * raw answer.
   */
  readonly retry429?: boolean;
}

export interface ScanResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, ` (set-cookie with newlines). */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The parsed body when it is JSON, else undefined. */
  readonly json: unknown;
  /** True when the body was cut at the response size cap. */
  readonly truncated: boolean;
  readonly elapsedMs: number;
  /** The exchange as sent and received, already redacted, for evidence. */
  readonly exchange: HttpExchange;
}

export interface HttpClient {
  send(request: ScanRequest): Promise<ScanResponse>;
  /** The absolute URL a request would go to (for evidence and scope checks). */
  urlFor(request: ScanRequest): URL;
  readonly requestCount: number;
  /** True when the request's endpoint answered a throttle earlier in the scan (it has a rate limit). */
  wasThrottled(request: ScanRequest): boolean;
  readonly throttle: ThrottleStats;
}

/** How the scan met the target's rate limits (reported in the scan result). */
export interface ThrottleStats {
  /** Requests resent after waiting out a Retry-After. */
  readonly waits: number;
  /** Time the scan paused for Retry-After in total; never above `budgetMs`. */
  readonly waitedMs: number;
  readonly budgetMs: number;
  /** Throttled answers (429, or 503 with Retry-After), waited out or not. */
  readonly throttled: number;
  /** Throttled answers returned without a wait (budget spent, Retry-After too long or absent, endpoint throttled again after a wait). */
  readonly declined: number;
  /** Endpoints (`METHOD /path`) that answered a throttle. */
  readonly endpoints: readonly string[];
}

export interface IdentityInfo {
  readonly name: string;
  readonly role: string;
  readonly admin: boolean;
  /** The user id learnt from the API (e.g. `GET /users/me`), when known. */
  userId?: string | number;
  /** The login body, when the identity logs in (used by login checks). */
  readonly loginBody?: Readonly<Record<string, unknown>>;
  /** The bearer token, when the identity uses one (JWT checks read it). */
  readonly token?: () => Promise<string | undefined>;
}

export interface IdentitySet {
  readonly all: readonly IdentityInfo[];
  get(name: string): IdentityInfo | undefined;
  /** Headers that authenticate as `name` (refreshed when expired). */
  headers(name: string): Promise<Record<string, string>>;
  /** Two identities of the same non-admin role: [owner, other], or undefined. */
  peers(): readonly [IdentityInfo, IdentityInfo] | undefined;
  /** The lowest-privilege identity and an admin, when both exist. */
  lowAndAdmin(): { low: IdentityInfo; admin: IdentityInfo | undefined } | undefined;
  /** The login operation an identity uses, with its settings. */
  readonly login: LoginInfo | undefined;
}

export interface LoginInfo {
  readonly operation: Operation | undefined;
  readonly method: string;
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly identity: string;
}

/** An object the scanner has seen, with who owns it. */
export interface KnownObject {
  readonly resource: string;
  readonly id: string | number;
  readonly owner: string | undefined;
  /** Created by this scan, so destructive checks may target it. */
  readonly createdByScanner: boolean;
  /** The operation that produced it, e.g. `POST /documents`. */
  readonly source: string;
  readonly body?: unknown;
}

export interface ObjectStore {
  add(object: KnownObject): void;
  find(resource: string, filter?: { owner?: string; createdByScanner?: boolean }): KnownObject[];
  /** Learn ids from a response of `operation` made as `identity`. */
  harvest(
    operation: Operation,
    identity: string | undefined,
    response: ScanResponse,
    created: boolean,
  ): void;
  readonly size: number;
}

export interface BuildOptions {
  readonly identity?: string | null;
  /** Path parameter values (by name) that win over harvested ones. */
  readonly pathParams?: Readonly<Record<string, string | number>>;
  /** Objects to use for path ids: the given owner's, or scanner-created only. */
  readonly owner?: string;
  readonly createdByScannerOnly?: boolean;
  /** Include optional query parameters and body properties. */
  readonly full?: boolean;
}

export interface BuiltRequest extends ScanRequest {
  readonly path: string;
  /** The object whose id fills the last path parameter, if any. */
  readonly target?: KnownObject;
}

export interface RequestBuilder {
  /** A valid request for the operation, or undefined when a path id is unknown. */
  build(operation: Operation, options?: BuildOptions): BuiltRequest | undefined;
  /** A sample JSON body for the operation (with unique strings), if it takes JSON. */
  body(operation: Operation, full?: boolean): unknown;
  /** The resource a path parameter names, e.g. `documentId` in `/documents/{documentId}` -> document. */
  resourceOf(operation: Operation, parameter: string): string;
}

/** The scanner's own loopback listener: an inbound request to one of its URLs proves an SSRF. */
export interface CallbackListener {
  /** A fresh token and its URL (`http://127.0.0.1:P/cb/<token>`). */
  mint(label: string): { token: string; url: string; port: number };
  /** A URL that redirects to the callback URL of `token` (proves redirects are followed). */
  redirectUrl(token: string): string;
  /** Resolves true when a request for `token` arrives within `ms`. */
  waitFor(token: string, ms: number): Promise<boolean>;
  hits(token: string): number;
}

export type HostileMode = 'benign' | 'schema' | 'oversized' | 'redirect' | 'slow';

/** The scanner's hostile upstream for API10: answers what a rogue third party would. */
export interface HostileUpstream {
  readonly url: string;
  readonly port: number;
  /** Sets what the next requests get, and a marker string embedded in the answer. */
  setMode(mode: HostileMode, marker: string): void;
  /** URL that always answers in `mode` with `marker`, for consumers configured per request. */
  urlFor(mode: HostileMode, marker: string): string;
  /** How many requests arrived for `marker` (redirect targets count separately). */
  hits(marker: string): number;
}

export interface FindingDraft {
  readonly location: FindingLocation;
  readonly message: string;
  /** What distinguishes this cause from another on the same operation (for de-duplication). */
  readonly cause?: string;
  readonly exchanges: readonly ScanResponse[];
  readonly detail?: string;
  readonly severity?: Severity;
  readonly confidence?: Confidence;
}

export interface CheckContext {
  readonly model: ApiModel;
  readonly settings: ScanSettings;
  readonly http: HttpClient;
  readonly identities: IdentitySet;
  readonly objects: ObjectStore;
  readonly builder: RequestBuilder;
  readonly callbacks: CallbackListener;
  readonly hostile: HostileUpstream | undefined;
  /** Baseline responses from discovery: `<identity> <operation key>` -> response. */
  readonly baselines: ReadonlyMap<string, ScanResponse>;
  readonly intrusive: boolean;
  readonly signal: AbortSignal;
  /** Reports a confirmed finding; duplicates (same check, operation and cause) are dropped. */
  report(draft: FindingDraft): void;
  /** Notes something that stopped the check from testing an operation (shown with --debug). */
  note(message: string): void;
  /**
   * Records that the check could not test `operation` (its key) because the target throttled it:
   * not a pass, not a finding. Throttled answers to the check's requests are recorded this way
   * automatically; a check calls this itself when it stops early for that reason.
   */
  untested(operation: string, reason: 'throttled'): void;
}

export interface ScanCheck {
  /** `scan:apiN:<slug>` */
  readonly id: string;
  readonly owasp: OwaspCategory;
  readonly cwe: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly title: string;
  readonly remediation: string;
  /** True when the check changes state on the target (runs only with --intrusive). */
  readonly intrusive: boolean;
  run(ctx: CheckContext): Promise<void>;
}
