// The default store: per-process, bounded. A million distinct keys (an attacker rotating addresses
// or API keys) must not grow the heap without bound (API4:2023, CWE-770), so the store holds at most
// `maxKeys` entries and evicts with CLOCK/second-chance: an access only sets a bit (no reordering on
// the hot path) and eviction skips recently used keys once. Evicting a key forgets its history, which
// is the accepted price of a bounded table; keys that are being abused stay hot and are kept.
import { algorithms } from './algorithms/index.js';
import { noBan, recordViolation, type BanState } from './block.js';
import {
  systemClock,
  type Clock,
  type Decision,
  type LimitSpec,
  type RateLimitStore,
} from './types.js';

export interface MemoryStoreOptions {
  /** Maximum number of keys kept (default 100,000). */
  readonly maxKeys?: number;
  readonly clock?: Clock;
}

interface Entry {
  spec: LimitSpec;
  state: unknown;
  ban: BanState | undefined;
  /** Second-chance bit, set on every access. */
  ref: boolean;
}

export const DEFAULT_MAX_KEYS = 100_000;

export class MemoryStore implements RateLimitStore {
  readonly maxKeys: number;
  private readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();
  private evictions = 0;

  constructor(options: MemoryStoreOptions = {}) {
    const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    if (!Number.isInteger(maxKeys) || maxKeys < 1)
      throw new RangeError('maxKeys must be a positive integer');
    this.maxKeys = maxKeys;
    this.clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.entries.size;
  }

  stats(): { size: number; maxKeys: number; evictions: number } {
    return { size: this.entries.size, maxKeys: this.maxKeys, evictions: this.evictions };
  }

  /** Synchronous decision: the gateway stage calls this directly to skip a promise per request. */
  consumeSync(spec: LimitSpec, key: string, cost: number): Decision {
    const now = this.clock();
    const impl = algorithms[spec.algorithm];
    const entry = this.entry(spec, key, now);
    if (entry.ban && entry.ban.bannedUntil > now) {
      const wait = entry.ban.bannedUntil - now;
      return {
        allowed: false,
        limit: capacity(spec),
        remaining: 0,
        resetMs: wait,
        retryAfterMs: wait,
        banned: true,
        at: now,
      };
    }
    const v = impl.decide(entry.state, spec, now, cost);
    if (!v.allowed && spec.block) {
      entry.ban ??= noBan();
      const ban = recordViolation(entry.ban, spec.block, now);
      if (ban > 0)
        return {
          allowed: false,
          limit: capacity(spec),
          remaining: 0,
          resetMs: ban,
          retryAfterMs: ban,
          banned: true,
          at: now,
        };
    }
    return {
      allowed: v.allowed,
      limit: capacity(spec),
      remaining: v.remaining,
      resetMs: v.resetMs,
      retryAfterMs: v.retryAfterMs,
      banned: false,
      at: now,
    };
  }

  consume(spec: LimitSpec, key: string, cost: number): Promise<Decision> {
    return Promise.resolve(this.consumeSync(spec, key, cost));
  }

  refundSync(spec: LimitSpec, key: string, cost: number): void {
    const entry = this.entries.get(key);
    if (entry && entry.spec === spec)
      algorithms[spec.algorithm].refund(entry.state, spec, this.clock(), cost);
  }

  refund(spec: LimitSpec, key: string, cost: number): Promise<void> {
    this.refundSync(spec, key, cost);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  private entry(spec: LimitSpec, key: string, now: number): Entry {
    let entry = this.entries.get(key);
    if (entry) {
      entry.ref = true;
      // A key reused with another spec (config reload) starts fresh rather than misreading state.
      if (entry.spec !== spec) {
        entry.spec = spec;
        entry.state = algorithms[spec.algorithm].fresh(spec, now);
      }
      return entry;
    }
    if (this.entries.size >= this.maxKeys) this.evictOne(now);
    entry = {
      spec,
      state: algorithms[spec.algorithm].fresh(spec, now),
      ban: undefined,
      ref: false,
    };
    this.entries.set(key, entry);
    return entry;
  }

  /** CLOCK sweep from the oldest insertion; bounded by two passes over the table. */
  private evictOne(now: number): void {
    let budget = this.entries.size * 2 + 1;
    for (const [key, entry] of this.entries) {
      if (budget-- <= 0) break;
      const idle = algorithms[entry.spec.algorithm].idleMs(entry.state, entry.spec, now) === 0;
      const banned = entry.ban !== undefined && entry.ban.bannedUntil > now;
      if (idle && !banned) {
        this.entries.delete(key);
        this.evictions++;
        return;
      }
      if (entry.ref) {
        entry.ref = false;
        this.entries.delete(key);
        this.entries.set(key, entry); // second chance: move behind the hand
        continue;
      }
      this.entries.delete(key);
      this.evictions++;
      return;
    }
    const first = this.entries.keys().next();
    if (!first.done) {
      this.entries.delete(first.value);
      this.evictions++;
    }
  }
}

/** The quota a decision reports: the bucket size for bucket algorithms, else the window limit. */
export function capacity(spec: LimitSpec): number {
  return spec.algorithm === 'token-bucket' || spec.algorithm === 'gcra' ? spec.burst : spec.limit;
}
