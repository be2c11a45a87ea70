// Redis store: shared state for many gateways. ioredis' defineCommand sends EVALSHA and falls back
// to EVAL on NOSCRIPT (after a restart or failover), so a decision is one round-trip. Keys expire by
// themselves (PEXPIRE once the state equals a fresh one), so Redis never accumulates dead keys.
import type { Cluster, Redis } from 'ioredis';
import { capacity } from './memory-store.js';
import { SCRIPTS } from './redis-scripts.js';
import type { Algorithm, Decision, LimitSpec, RateLimitStore } from './types.js';

export interface RedisStoreOptions {
  /** Key prefix, e.g. "bulwark:rl:". Must not contain braces (they are the cluster hash tag). */
  readonly prefix?: string;
  /** Tests inject a clock; by default the script reads Redis TIME so all gateways share one clock. */
  readonly now?: () => number;
}

type ScriptFn = (...args: Array<string | number>) => Promise<unknown>;

export class RedisStore implements RateLimitStore {
  readonly prefix: string;
  private readonly now: (() => number) | undefined;
  private readonly fns: Record<Algorithm, ScriptFn>;
  private readonly packedSpecs = new WeakMap<LimitSpec, string>();

  constructor(
    readonly redis: Redis | Cluster,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'bulwark:rl:';
    if (/[{}]/.test(this.prefix))
      throw new RangeError('the Redis key prefix must not contain { or }');
    this.now = options.now;
    const fns = {} as Record<Algorithm, ScriptFn>;
    for (const [algorithm, def] of Object.entries(SCRIPTS) as Array<
      [Algorithm, (typeof SCRIPTS)[Algorithm]]
    >) {
      const client = redis as unknown as Record<string, ScriptFn | undefined>;
      if (typeof client[def.command] !== 'function') {
        // No fixed numberOfKeys: rules without bans send one key less (see redis-scripts.ts).
        redis.defineCommand(def.command, { lua: def.lua });
      }
      fns[algorithm] = (...args) => (client[def.command] as ScriptFn).apply(redis, args);
    }
    this.fns = fns;
  }

  /** `{key}` is the hash tag: every key of one decision lands in one cluster slot. */
  keys(spec: LimitSpec, key: string): string[] {
    const safe = /[{}]/.test(key) ? key.replace(/[{}]/g, (c) => (c === '{' ? '%7B' : '%7D')) : key;
    const tag = `${this.prefix}{${safe}}:${SCRIPTS[spec.algorithm].suffix}`;
    const keys = [`${tag}:s`];
    if (spec.block) keys.push(`${tag}:v`, `${tag}:b`);
    if (spec.algorithm === 'sliding-window-log') keys.push(`${tag}:l`);
    return keys;
  }

  /** The rule's parameters as one string, built once per compiled spec. */
  private packed(spec: LimitSpec): string {
    let text = this.packedSpecs.get(spec);
    if (text === undefined) {
      const b = spec.block;
      text = [
        spec.limit,
        spec.periodMs,
        spec.burst,
        b?.after ?? 0,
        b?.withinMs ?? 0,
        b?.durationMs ?? 0,
      ].join(':');
      this.packedSpecs.set(spec, text);
    }
    return text;
  }

  private call(spec: LimitSpec, key: string, cost: number, mode: 'c' | 'r'): Promise<unknown> {
    const keys = this.keys(spec, key);
    return this.fns[spec.algorithm](
      keys.length,
      ...keys,
      this.packed(spec),
      cost,
      this.now ? this.now() : '',
      mode,
    );
  }

  async consume(spec: LimitSpec, key: string, cost: number): Promise<Decision> {
    const reply = (await this.call(spec, key, cost, 'c')) as number[];
    return {
      allowed: reply[0] === 1,
      limit: capacity(spec),
      remaining: reply[1] ?? 0,
      resetMs: reply[2] ?? 0,
      retryAfterMs: reply[3] ?? 0,
      banned: reply[4] === 1,
      at: reply[5] ?? 0,
    };
  }

  async refund(spec: LimitSpec, key: string, cost: number): Promise<void> {
    await this.call(spec, key, cost, 'r');
  }

  /** The store does not own the client; whoever created it closes it. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
