// Redis store: shared state for many gateways. ioredis' defineCommand sends EVALSHA and falls back
// to EVAL on NOSCRIPT (after a restart or failover), so a decision is one round-trip. Keys expire by
// themselves (PEXPIRE once the state equals a fresh one), so Redis never accumulates dead keys.
import type { Cluster, Redis } from 'ioredis';
import { capacity } from './memory-store.js';
import { ruleScript, SCRIPTS, type ScriptDef } from './redis-scripts.js';
import type { Decision, LimitSpec, RateLimitStore } from './types.js';

export interface RedisStoreOptions {
  /** Key prefix, e.g. "bulwark:rl:". Must not contain braces (they are the cluster hash tag). */
  readonly prefix?: string;
  /** The gateway's clock (`clock: gateway`, and tests); by default the script reads Redis TIME, so
   * all gateways share one clock. */
  readonly now?: () => number;
}

type ScriptArgs = Array<string | number>;
type ScriptFn = (args: ScriptArgs) => Promise<unknown>;
let ruleScripts = 0;

export class RedisStore implements RateLimitStore {
  readonly prefix: string;
  private readonly now: (() => number) | undefined;
  /** One script (an ioredis command) per compiled rule, defined on first use. */
  private readonly fns = new WeakMap<LimitSpec, ScriptFn>();

  constructor(
    readonly redis: Redis | Cluster,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'bulwark:rl:';
    if (/[{}]/.test(this.prefix))
      throw new RangeError('the Redis key prefix must not contain { or }');
    this.now = options.now;
  }

  /** The rule's script: its numbers are in the Lua text (redis-scripts.ts), so each rule has one. */
  private fn(spec: LimitSpec): ScriptFn {
    let fn = this.fns.get(spec);
    if (fn === undefined) {
      const client = this.redis as unknown as Record<
        string,
        ((...args: ScriptArgs) => Promise<unknown>) | undefined
      >;
      // A process-wide counter keeps names unique when several stores share one client.
      const name = `${SCRIPTS[spec.algorithm].command}${++ruleScripts}`;
      // No fixed numberOfKeys: rules without bans send one key less (see redis-scripts.ts).
      this.redis.defineCommand(name, { lua: ruleScript(spec) });
      const command = client[name];
      if (!command) throw new Error(`ioredis did not define ${name}`);
      // ioredis custom commands are variadic; apply with the one array built per decision.
      fn = (args) => command.apply(this.redis, args);
      this.fns.set(spec, fn);
    }
    return fn;
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

  /** One argument array per decision (numkeys, keys, ARGV): no intermediate key list or spread. */
  private call(spec: LimitSpec, key: string, cost: number, mode: 'c' | 'r'): Promise<unknown> {
    const args: ScriptArgs = [0];
    args[0] = this.pushKeys(spec, key, args);
    args.push(cost, this.now ? this.now() : '', mode);
    return this.fn(spec)(args);
  }

  async consume(spec: LimitSpec, key: string, cost: number): Promise<Decision> {
    const reply = (await this.call(spec, key, cost, 'c')) as Array<number | null>;
    // Admitted decisions come back as {remaining, resetMs, now}, or as {remaining, resetMs} from the
    // fixed window, which reads no clock on its common path. Where `now` is missing or nil, the
    // gateway's clock stamps the decision (redis-scripts.ts).
    if (reply.length <= 3) {
      return {
        allowed: true,
        limit: capacity(spec),
        remaining: reply[0] ?? 0,
        resetMs: reply[1] ?? 0,
        retryAfterMs: 0,
        banned: false,
        at: reply[2] ?? this.clock(),
      };
    }
    return {
      allowed: reply[0] === 1,
      limit: capacity(spec),
      remaining: reply[1] ?? 0,
      resetMs: reply[2] ?? 0,
      retryAfterMs: reply[3] ?? 0,
      banned: reply[4] === 1,
      at: reply[5] ?? this.clock(),
    };
  }

  /** The gateway's time, for answers that carry none of Redis'. */
  private clock(): number {
    return this.now ? this.now() : Date.now();
  }

  async refund(spec: LimitSpec, key: string, cost: number): Promise<void> {
    await this.call(spec, key, cost, 'r');
  }

  /** The store does not own the client; whoever created it closes it. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
