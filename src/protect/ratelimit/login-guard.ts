// Failed-login protection (API2:2023, CWE-307): failures are counted per account and per client
// address from the upstream's 401 on login operations. Past the allowance the penalty is an
// exponential backoff or a fixed lockout. While a penalty runs every attempt gets the same answer,
// whatever the password and whether or not the account exists, so the guard reveals nothing
// (CWE-204). Accounts are kept as hashes, never as names. Memory is bounded (LRU).
import { createHash } from 'node:crypto';
import { BoundedMap } from './bounded-map.js';
import { parseDuration } from './duration.js';
import type { LoginConfig } from './config.js';
import { addressKey } from './keys.js';
import { systemClock, type Clock, type EventListener } from './types.js';

interface Counter {
  failures: number;
  since: number;
  blockedUntil: number;
}

interface Allowance {
  readonly failures: number;
  readonly withinMs: number;
}

export interface LoginVerdict {
  readonly allowed: boolean;
  readonly retryAfterMs: number;
}

export class LoginGuard {
  private readonly accounts: BoundedMap<string, Counter>;
  private readonly addresses: BoundedMap<string, Counter>;
  private readonly perAccount: Allowance;
  private readonly perAddress: Allowance;
  private readonly failureStatuses: ReadonlySet<number>;
  private readonly penalty: 'backoff' | 'lockout';
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly lockoutMs: number;

  constructor(
    config: LoginConfig,
    private readonly options: { clock?: Clock; onEvent?: EventListener } = {},
  ) {
    const maxKeys = config.maxKeys ?? 100_000;
    this.accounts = new BoundedMap(maxKeys);
    this.addresses = new BoundedMap(maxKeys);
    const acc = config.perAccount ?? { failures: 5, within: '15m' };
    const addr = config.perAddress ?? { failures: 20, within: '15m' };
    this.perAccount = { failures: acc.failures, withinMs: parseDuration(acc.within) };
    this.perAddress = { failures: addr.failures, withinMs: parseDuration(addr.within) };
    this.failureStatuses = new Set(config.failureStatuses ?? [401]);
    this.penalty = config.penalty ?? 'backoff';
    this.baseMs = parseDuration(config.base ?? '1s');
    this.maxMs = parseDuration(config.max ?? '15m');
    this.lockoutMs = parseDuration(config.lockout ?? '15m');
  }

  private get now(): number {
    return (this.options.clock ?? systemClock)();
  }

  /** Before forwarding a login attempt. `account` is undefined when the request names none. */
  check(account: string | undefined, address: string): LoginVerdict {
    const now = this.now;
    let wait = 0;
    const a = account === undefined ? undefined : this.accounts.get(hashAccount(account));
    if (a && a.blockedUntil > now) wait = a.blockedUntil - now;
    const b = this.addresses.get(addressKey(address));
    if (b && b.blockedUntil > now) wait = Math.max(wait, b.blockedUntil - now);
    return { allowed: wait === 0, retryAfterMs: wait };
  }

  /** After the upstream answered a login attempt. */
  record(account: string | undefined, address: string, status: number): void {
    const now = this.now;
    if (status >= 200 && status <= 299) {
      // A success clears the account's count, not the address's: a valid account of the attacker's
      // own must not reset the counter of the address it sprays from.
      if (account !== undefined) this.accounts.delete(hashAccount(account));
      return;
    }
    if (!this.isFailure(status)) return;
    if (account !== undefined)
      this.fail(this.accounts, hashAccount(account), this.perAccount, now, 'account');
    this.fail(this.addresses, addressKey(address), this.perAddress, now, 'address');
  }

  /** Whether the upstream's status means a failed login (`failureStatuses`, default 401). */
  isFailure(status: number): boolean {
    return this.failureStatuses.has(status);
  }

  private fail(
    map: BoundedMap<string, Counter>,
    key: string,
    allowance: Allowance,
    now: number,
    scope: 'account' | 'address',
  ): void {
    let c = map.get(key);
    if (!c || (now - c.since >= allowance.withinMs && c.blockedUntil <= now)) {
      c = { failures: 0, since: now, blockedUntil: 0 };
    }
    c.failures++;
    map.set(key, c);
    const over = c.failures - allowance.failures;
    if (over < 0) return;
    const ms =
      this.penalty === 'lockout'
        ? this.lockoutMs
        : Math.min(this.maxMs, this.baseMs * 2 ** Math.min(over, 40));
    c.blockedUntil = now + ms;
    try {
      this.options.onEvent?.({ type: 'login-penalty', scope, ms });
    } catch {
      // metrics hooks never break decisions
    }
  }
}

function hashAccount(account: string): string {
  // Case and surrounding spaces do not make a new account (Alice@x == alice@x).
  return createHash('sha256').update(account.trim().toLowerCase()).digest('base64url');
}
