// The per-request context: the one object every stage reads and writes. Its fields are the contract
// between stages (see docs/protect/stages.md). It is a class with every field initialised in the
// constructor so V8 keeps one hidden class for all requests (no shape changes on the hot path).
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { CompiledOperation, PathEntry } from './router.js';

/** A verified caller, set by the authn stage (issue 5) and read by authz, rate limits and logs. */
export interface Identity {
  /** Stable subject id: JWT `sub`, API key id, or certificate subject. */
  readonly subject: string;
  /** Which security scheme proved it (the spec's scheme name). */
  readonly scheme: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  /** Verified claims, for ABAC and ownership rules. Never logged whole. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** allow: forwarded; deny: refused; report: forwarded with violations; answer: gateway replied itself. */
export type Decision = 'allow' | 'deny' | 'report' | 'answer' | 'error';

export class RequestContext {
  /** Correlation id: sent upstream and back as X-Request-Id, in every log line and problem body. */
  readonly id: string;
  readonly startedAt: number;
  readonly method: string;
  /** The request target exactly as received. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  /** Raw header list (name, value, name, value...) to see duplicates the parser merged. */
  readonly rawHeaders: readonly string[];
  readonly source: Readable;
  /** Address of the TCP peer. */
  readonly peerAddress: string;
  readonly secure: boolean;

  /** The client address after trusted-proxy processing (hygiene stage). */
  clientAddress: string;
  /** The normalised, still percent-encoded path: checked and forwarded as is. */
  path = '';
  /** The raw query string without `?` ('' when absent). */
  query = '';
  /** The path template's entry, when the path is documented. */
  pathEntry: PathEntry | undefined = undefined;
  operation: CompiledOperation | undefined = undefined;
  /** Percent-decoded path parameter values, parallel to operation.pathParamNames. */
  pathParams: string[] = [];
  identity: Identity | undefined = undefined;
  decision: Decision = 'allow';
  /** Stable code of the refusal or violation that decided the request. */
  code: string | undefined = undefined;
  /** Operator-facing reason (logged, never sent). */
  reason: string | undefined = undefined;
  /** Report-only violations collected on the way (logged). */
  violations: string[] | undefined = undefined;
  /** Rate-limit cost of this request (x-bulwark-cost, default 1), read by issue 6's stages. */
  cost = 1;
  /** The request body when a stage buffered it (JSON); forwarded byte for byte as checked. */
  body: Buffer | undefined = undefined;
  /** The parsed JSON body, when there is one. */
  json: unknown = undefined;
  /** Response headers a request stage wants on the answer (Deprecation, RateLimit, ...). */
  responseHeaders: [string, string][] | undefined = undefined;
  /** Stage-private state, keyed by stage name (for stages added later). */
  locals: Record<string, unknown> | undefined = undefined;

  constructor(
    id: string,
    method: string,
    target: string,
    headers: IncomingHttpHeaders,
    rawHeaders: readonly string[],
    source: Readable,
    peerAddress: string,
    secure: boolean,
  ) {
    this.id = id;
    this.startedAt = performance.now();
    this.method = method;
    this.target = target;
    this.headers = headers;
    this.rawHeaders = rawHeaders;
    this.source = source;
    this.peerAddress = peerAddress;
    this.clientAddress = peerAddress;
    this.secure = secure;
  }

  addResponseHeader(name: string, value: string): void {
    (this.responseHeaders ??= []).push([name, value]);
  }

  /** Records a report-only violation; returns undefined so a stage can `return ctx.violation(..)`. */
  violation(code: string): undefined {
    (this.violations ??= []).push(code);
    if (this.decision === 'allow') this.decision = 'report';
    this.code ??= code;
    return undefined;
  }

  /** True when the operation requires credentials (drives Cache-Control: no-store). */
  get authenticated(): boolean {
    return this.identity !== undefined || this.operation?.requiresAuth === true;
  }
}
