// The scanner's only way out to the network. Every request goes through here, so every request is
// in scope, paced, bounded in time and size, and recorded (redacted) as evidence. Redirects are never
// followed: a 3xx is itself evidence, and following one could leave the scope (CWE-601).
import { Agent } from 'undici';
import { BulwarkError } from '../../core/errors.js';
import type { HttpExchange } from '../../core/finding.js';
import { redactExchange } from '../../core/redact.js';
import type { HttpClient, ScanRequest, ScanResponse, ThrottleStats } from '../types.js';
import { isThrottled } from './compare.js';
import { Pacer, sleep } from './pacer.js';

/**
 * Retry-After longer than this is an answer, not a pause: a scanner that sleeps for minutes per
 * request stalls, and the check records the operation as throttled instead.
 */
const MAX_WAIT_MS = 5_000;

/** Retry-After (RFC 9110 §10.2.3) as milliseconds, when short enough to wait for. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = /^\s*\d+\s*$/.test(value)
    ? Number(value)
    : (Date.parse(value) - Date.now()) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  const ms = Math.max(250, Math.ceil(seconds * 1000));
  return ms <= MAX_WAIT_MS ? ms : undefined;
}

/** Bodies kept in evidence are cut here: evidence must stay readable and reports small. */
const EVIDENCE_BODY_CHARS = 4096;

export interface HttpClientOptions {
  readonly base: URL;
  readonly scopeHosts: readonly string[];
  readonly requestsPerSecond: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal: AbortSignal;
  readonly userAgent?: string;
  /** Total time the scan may pause for Retry-After answers (see ThrottleStats). */
  readonly waitBudgetMs: number;
  /** Called after each request (progress display). */
  readonly onRequest?: () => void;
}

export type AuthProvider = (identity: string, refresh: boolean) => Promise<Record<string, string>>;

export class ScanHttpClient implements HttpClient {
  private readonly agent: Agent;
  private readonly pacer: Pacer;
  private count = 0;
  private auth: AuthProvider | undefined;
  /** No request starts before this time (ms epoch): a Retry-After pauses the whole scan. */
  private resumeAt = 0;
  private readonly stats = { waits: 0, waitedMs: 0, throttled: 0, declined: 0 };
  /** Endpoints (`METHOD /path`) that answered a throttle at least once: evidence of a rate limit. */
  private readonly seen = new Set<string>();
  /** Endpoints the scanner no longer waits for: throttled again after a wait, or not waitable. */
  private readonly limited = new Set<string>();

  constructor(private readonly options: HttpClientOptions) {
    this.pacer = new Pacer(options.requestsPerSecond, options.concurrency);
    this.agent = new Agent({
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connections: options.concurrency,
      keepAliveTimeout: 4_000,
    });
  }

  get requestCount(): number {
    return this.count;
  }

  get throttle(): ThrottleStats {
    return {
      ...this.stats,
      budgetMs: this.options.waitBudgetMs,
      endpoints: [...this.seen].sort(),
    };
  }

  wasThrottled(request: ScanRequest): boolean {
    return this.seen.has(endpointKey(request, this.urlFor(request)));
  }

  setAuthProvider(auth: AuthProvider): void {
    this.auth = auth;
  }

  urlFor(request: ScanRequest): URL {
    let url: URL;
    if (request.url !== undefined) url = new URL(request.url);
    else {
      const base = this.options.base.href.replace(/\/+$/, '');
      url = new URL(base + (request.path ?? '/'));
    }
    for (const [name, value] of Object.entries(request.query ?? {})) {
      for (const item of typeof value === 'string' ? [value] : value) {
        url.searchParams.append(name, item);
      }
    }
    return url;
  }

  inScope(url: URL): boolean {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const host = url.host.toLowerCase();
    const hostname = url.hostname.toLowerCase();
    return this.options.scopeHosts.some((allowed) => {
      const a = allowed.toLowerCase();
      return a === host || a === hostname;
    });
  }

  async send(request: ScanRequest): Promise<ScanResponse> {
    const url = this.urlFor(request);
    // Scope is enforced here, at the single exit, so no check can contact a host by mistake.
    if (!this.inScope(url)) {
      throw new BulwarkError(
        'BULWARK_ERR_SCAN_SCOPE',
        `refusing to contact ${url.origin}: not in scope`,
        {
          hint: 'add the host to scan.scope.hosts if it belongs to the API',
        },
      );
    }
    let response = await this.once(request, url, false);
    // A 401 for an identity may mean its token expired mid-scan: refresh once and replay.
    if (response.status === 401 && request.identity && this.auth) {
      response = await this.once(request, url, true);
    }
    return isThrottled(response) ? this.onThrottle(request, url, response) : response;
  }

  // A throttled answer (429, or 503 with Retry-After) is waited out at most once per request, only
  // while the scan's wait budget lasts, and never again for an endpoint that stayed throttled after a
  // wait. The pause holds every request, so the scanner backs off as a whole instead of hammering;
  // the budget keeps a rate-limited target from stalling the scan for minutes. What is not waited out
  // is returned as is, and the check records the operation as "could not test (throttled)".
  private async onThrottle(
    request: ScanRequest,
    url: URL,
    response: ScanResponse,
  ): Promise<ScanResponse> {
    const key = endpointKey(request, url);
    this.stats.throttled++;
    this.seen.add(key);
    if (request.retry429 === false) return response;
    const pause = this.limited.has(key)
      ? undefined
      : this.reservePause(retryAfterMs(response.headers['retry-after']));
    if (pause === undefined) {
      this.stats.declined++;
      this.limited.add(key);
      return response;
    }
    this.stats.waits++;
    await sleep(pause, this.options.signal);
    const again = await this.once(request, url, false);
    if (isThrottled(again)) {
      this.stats.throttled++;
      this.limited.add(key);
    }
    return again;
  }

  /** Extends the scan-wide pause to cover `wait`, charging only the extension to the budget. */
  private reservePause(wait: number | undefined): number | undefined {
    if (wait === undefined) return undefined;
    const now = Date.now();
    const until = now + wait;
    const extension = Math.max(0, until - Math.max(this.resumeAt, now));
    if (this.stats.waitedMs + extension > this.options.waitBudgetMs) return undefined;
    this.stats.waitedMs += extension;
    this.resumeAt = Math.max(this.resumeAt, until);
    return this.resumeAt - now;
  }

  private async once(request: ScanRequest, url: URL, refresh: boolean): Promise<ScanResponse> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent ?? 'bulwark-scan',
      accept: 'application/json, */*;q=0.5',
    };
    let body: string | undefined = request.body;
    if (body === undefined && request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    }
    if (request.identity && this.auth) {
      Object.assign(headers, await this.auth(request.identity, refresh));
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    const paused = this.resumeAt - Date.now();
    if (paused > 0) await sleep(paused, this.options.signal);
    const release = await this.pacer.acquire(this.options.signal);
    const timeout = AbortSignal.timeout(request.timeoutMs ?? this.options.timeoutMs);
    const signal = AbortSignal.any([this.options.signal, timeout]);
    const started = performance.now();
    try {
      this.count++;
      const response = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method.toUpperCase(),
        headers,
        body: body ?? null,
        signal,
      });
      const { text, truncated } = await readCapped(response.body, this.options.maxResponseBytes);
      const elapsedMs = performance.now() - started;
      const responseHeaders = flattenHeaders(response.headers);
      const exchange = redactExchange(
        cutExchange({
          request: {
            method: request.method.toUpperCase(),
            url: url.href,
            headers,
            ...(body === undefined ? {} : { body }),
          },
          response: { status: response.statusCode, headers: responseHeaders, body: text },
        }),
      );
      return {
        status: response.statusCode,
        headers: responseHeaders,
        text,
        json: parseJson(text, responseHeaders['content-type']),
        truncated,
        elapsedMs,
        exchange,
      };
    } catch (error) {
      if (this.options.signal.aborted) throw this.options.signal.reason;
      const what = timeout.aborted ? 'timed out' : 'failed';
      throw new BulwarkError(
        'BULWARK_ERR_SCAN_REQUEST',
        `${request.method.toUpperCase()} ${url.origin}${url.pathname} ${what}`,
        { cause: error },
      );
    } finally {
      release();
      this.options.onRequest?.();
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** `GET /api/v2/documents/12`: what a rate limit is usually keyed on besides the caller. */
function endpointKey(request: ScanRequest, url: URL): string {
  return `${request.method.toUpperCase()} ${url.pathname}`;
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  cap: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = cap - size;
    if (chunk.length >= room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = Array.isArray(value) ? value.join(lower === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

function parseJson(text: string, contentType: string | undefined): unknown {
  if (text === '' || !/json/i.test(contentType ?? '')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function cut(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= EVIDENCE_BODY_CHARS) return text;
  return `${text.slice(0, EVIDENCE_BODY_CHARS)}…[${text.length - EVIDENCE_BODY_CHARS} more characters cut from the evidence]`;
}

function cutExchange(exchange: HttpExchange): HttpExchange {
  const requestBody = cut(exchange.request.body);
  const responseBody = cut(exchange.response?.body);
  return {
    request: { ...exchange.request, ...(requestBody === undefined ? {} : { body: requestBody }) },
    ...(exchange.response
      ? {
          response: {
            ...exchange.response,
            ...(responseBody === undefined ? {} : { body: responseBody }),
          },
        }
      : {}),
  };
}
