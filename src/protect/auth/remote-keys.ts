// A remote JWKS (RFC 7517 §5) with a cache, a refresh on an unknown `kid` limited by a cooldown (so
// a flood of random kids cannot make the gateway hammer the IdP), a fetch timeout and a size cap.
// Keys that disappear on refresh are reported, so cached verifications made with them are dropped
// (a rotated-out key stops working at once, not when the token cache entry expires).
import { fetch, type Dispatcher } from 'undici';
import type { JwtAlgorithm } from '../../core/config/sections/auth.js';
import { importJwksEntry, type ImportedKey } from './key-import.js';

export interface RemoteKeyOptions {
  readonly cacheMs: number;
  readonly cooldownMs: number;
  readonly timeoutMs: number;
  readonly maxBytes?: number;
  /** The auth runtime's connection pool, closed with the gateway (default: undici's global one). */
  readonly dispatcher?: Dispatcher | undefined;
  /** Told about every failed refresh (the gateway logs it: an IdP outage stops key rotation). */
  readonly onError?: ((err: Error) => void) | undefined;
}

export async function fetchJson(
  url: string,
  timeoutMs: number,
  maxBytes: number,
  dispatcher?: Dispatcher,
): Promise<unknown> {
  const res = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error', // a redirect to another host would hand key selection to it
    headers: { accept: 'application/json' },
    ...(dispatcher ? { dispatcher } : {}),
  });
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new Error('document too large');
  const text = await res.text();
  if (Buffer.byteLength(text) > maxBytes) throw new Error('document too large');
  return JSON.parse(text) as unknown;
}

export class RemoteKeySet {
  private keys: readonly ImportedKey[] = [];
  private fetchedAt = -Infinity;
  private lastAttempt = -Infinity;
  private inflight: Promise<void> | undefined;
  private readonly url: () => Promise<string>;
  private readonly allow: readonly JwtAlgorithm[];
  private readonly options: RemoteKeyOptions;
  /** Called with the kids that vanished on a refresh. */
  onRemoved: ((kids: readonly (string | undefined)[]) => void) | undefined;

  constructor(
    url: () => Promise<string>,
    allow: readonly JwtAlgorithm[],
    options: RemoteKeyOptions,
  ) {
    this.url = url;
    this.allow = allow;
    this.options = options;
  }

  /** Candidate keys for a kid (all when the token names none). Refreshes when stale or unknown. */
  async candidates(kid: string | undefined, now = Date.now()): Promise<readonly ImportedKey[]> {
    if (now - this.fetchedAt > this.options.cacheMs) await this.refresh(now);
    let found = this.match(kid);
    if (
      found.length === 0 &&
      kid !== undefined &&
      now - this.lastAttempt >= this.options.cooldownMs
    ) {
      await this.refresh(now);
      found = this.match(kid);
    }
    return found;
  }

  private match(kid: string | undefined): readonly ImportedKey[] {
    return kid === undefined ? this.keys : this.keys.filter((k) => k.kid === kid);
  }

  private refresh(now: number): Promise<void> {
    if (this.inflight) return this.inflight;
    // A refresh that failed recently is not retried before the cooldown: keep the old keys.
    if (now - this.lastAttempt < this.options.cooldownMs && this.fetchedAt !== -Infinity) {
      return Promise.resolve();
    }
    this.lastAttempt = now;
    this.inflight = this.load()
      .then((keys) => {
        const before = this.keys;
        this.keys = keys;
        this.fetchedAt = Date.now();
        const removed = before.filter((k) => !keys.some((n) => n.kid === k.kid)).map((k) => k.kid);
        if (removed.length > 0) this.onRemoved?.(removed);
      })
      // Unreachable IdP: the old keys stay; unknown kids fail closed. The operator hears of it.
      .catch((err: unknown) => this.options.onError?.(err as Error))
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async load(): Promise<ImportedKey[]> {
    const doc = await fetchJson(
      await this.url(),
      this.options.timeoutMs,
      this.options.maxBytes ?? 524_288,
      this.options.dispatcher,
    );
    const list = (doc as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new Error('no keys array');
    const out: ImportedKey[] = [];
    for (const entry of list.slice(0, 100)) {
      const key = importJwksEntry(entry, this.allow);
      if (key) out.push(key);
    }
    return out;
  }
}

/**
 * OpenID Connect Discovery 1.0 §4: the jwks_uri of an issuer. The document's `issuer` must equal the
 * configured one exactly (§4.3), or a compromised or mistyped document could substitute keys.
 */
export function discoverJwksUri(
  issuer: string,
  timeoutMs: number,
  dispatcher?: Dispatcher,
): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= (async () => {
      const base = issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
      const doc = (await fetchJson(
        `${base}/.well-known/openid-configuration`,
        timeoutMs,
        65_536,
        dispatcher,
      )) as {
        issuer?: unknown;
        jwks_uri?: unknown;
      };
      if (doc.issuer !== issuer) throw new Error('discovery issuer mismatch');
      if (typeof doc.jwks_uri !== 'string' || !/^https?:\/\//.test(doc.jwks_uri)) {
        throw new Error('discovery without jwks_uri');
      }
      return doc.jwks_uri;
    })().catch((e: unknown) => {
      cached = undefined; // retried on the next refresh (which the cooldown limits)
      throw e;
    });
    return cached;
  };
}
