// In-process limiters for the secure variant (OWASP API2, API4). Both keep at most `maxKeys` keys and
// evict the least recently used one, so a flood of distinct keys cannot grow the heap (CWE-770).
// Eviction can only forget a counter early, never block someone who should pass.

/** Moves `key` to the most-recent end of the map, evicting the oldest key when the map is full. */
function touch<V>(map: Map<string, V>, key: string, value: V, maxKeys: number): void {
  map.delete(key);
  if (map.size >= maxKeys) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

/**
 * A sliding-window log: at most `limit` events per `windowMs` per key. Each key keeps at most `limit`
 * timestamps, so memory is bounded by maxKeys × limit.
 */
export class SlidingWindow {
  readonly #events = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until one more event is allowed for `key`; 0 when it is allowed now. */
  waitMs(key: string, now: number): number {
    const events = this.#live(key, now);
    if (events.length < this.limit) return 0;
    return (events[0] as number) + this.windowMs - now;
  }

  record(key: string, now: number): void {
    const events = this.#live(key, now);
    events.push(now);
    if (events.length > this.limit) events.splice(0, events.length - this.limit);
    touch(this.#events, key, events, this.maxKeys);
  }

  reset(key: string): void {
    this.#events.delete(key);
  }

  get size(): number {
    return this.#events.size;
  }

  #live(key: string, now: number): number[] {
    const events = this.#events.get(key) ?? [];
    const firstLive = events.findIndex((t) => t > now - this.windowMs);
    return firstLive < 0 ? [] : events.slice(firstLive);
  }
}

/** A token bucket: bursts up to `capacity`, then `refillPerSecond` requests per second per key. */
export class TokenBucket {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    readonly maxKeys = 10_000,
  ) {}

  /** Takes one token. Returns 0 when admitted, else the milliseconds until a token is available. */
  take(key: string, now: number): number {
    const previous = this.#buckets.get(key);
    const elapsed = previous ? Math.max(0, now - previous.at) / 1000 : 0;
    const tokens = previous
      ? Math.min(this.capacity, previous.tokens + elapsed * this.refillPerSecond)
      : this.capacity;
    if (tokens < 1) {
      touch(this.#buckets, key, { tokens, at: now }, this.maxKeys);
      return ((1 - tokens) / this.refillPerSecond) * 1000;
    }
    touch(this.#buckets, key, { tokens: tokens - 1, at: now }, this.maxKeys);
    return 0;
  }

  /** Whole tokens left for `key` now, and the seconds until its bucket is full again. */
  peek(key: string, now: number): { remaining: number; fullInSeconds: number } {
    const previous = this.#buckets.get(key);
    if (!previous) return { remaining: Math.floor(this.capacity), fullInSeconds: 0 };
    const elapsed = Math.max(0, now - previous.at) / 1000;
    const tokens = Math.min(this.capacity, previous.tokens + elapsed * this.refillPerSecond);
    return {
      remaining: Math.floor(tokens),
      fullInSeconds: Math.ceil((this.capacity - tokens) / this.refillPerSecond),
    };
  }

  get size(): number {
    return this.#buckets.size;
  }
}
