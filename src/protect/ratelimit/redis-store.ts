// Redis store: shared state for many gateways. ioredis' defineCommand sends EVALSHA and falls back
// to EVAL on NOSCRIPT (after a restart or failover), so a decision is one round-trip. Keys expire by
// themselves (PEXPIRE once the state equals a fresh one), so Redis never accumulates dead keys.
import type { Cluster, Redis } from 'ioredis';
import { capacity } from './memory-store.js';
import { SCRIPTS, type ScriptDef } from './redis-scripts.js';
import type { Algorithm, Decision, LimitSpec, RateLimitStore } from './types.js';

export interface RedisStoreOptions {
  /** Key prefix, e.g. "bulwark:rl:". Must not contain braces (they are the cluster hash tag). */
  readonly prefix?: string;
  /** Tests inject a clock; by default the script reads Redis TIME so all gateways share one clock. */
  readonly now?: () => number;
}

type ScriptArgs = Array<string | number>;
type ScriptFn = (args: ScriptArgs) => Promise<unknown>;

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
      const client = redis as unknown as Record<
        string,
        ((...args: ScriptArgs) => Promise<unknown>) | undefined
      >;
      if (typeof client[def.command] !== 'function') {
        // No fixed numberOfKeys: rules without bans send one key less (see redis-scripts.ts).
        redis.defineCommand(def.command, { lua: def.lua });
      }
      // ioredis custom commands are variadic; apply with the one array built per decision.
      const command = client[def.command];
      if (!command) throw new Error(`ioredis did not define ${def.command}`);
      fns[algorithm] = (args) => command.apply(redis, args);
    }
    this.fns = fns;
  }

  /** `{key}` is the hash tag: every key of one decision lands in one cluster slot. */
  keys(spec: LimitSpec, key: string): string[] {
    const out: string[] = [];
    this.pushKeys(spec, key, out);
    return out;
  }

  /** Appends the decision's keys to `out` and returns how many (the script's numkeys). */
  private pushKeys(spec: LimitSpec, key: string, out: Array<string | number>): number {
    const safe = /[{}]/.test(key) ? key.replace(/[{}]/g, (c) => (c === '{' ? '%7B' : '%7D')) : key;
    const def: ScriptDef = SCRIPTS[spec.algorithm];
    const tag = `${this.prefix}{${safe}}:${def.suffix}`;
    const before = out.length;
    out.push(`${tag}:${def.state}`);
    if (spec.block) out.push(`${tag}:v`, `${tag}:b`);
    if (spec.algorithm === 'sliding-window-log') out.push(`${tag}:l`);
    return out.length - before;
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

  /** One argument array per decision (numkeys, keys, ARGV): no intermediate key list or spread. */
  private call(spec: LimitSpec, key: string, cost: number, mode: 'c' | 'r'): Promise<unknown> {
    const args: ScriptArgs = [0];
    args[0] = this.pushKeys(spec, key, args);
    args.push(this.packed(spec), cost, this.now ? this.now() : '', mode);
    return this.fns[spec.algorithm](args);
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
