// Login calls inside GraphQL requests feed the gateway's login guard (API2:2023, CWE-307): aliased
// repeats and batch entries are separate guesses. The upstream answers them all in one HTTP reply, so
// the guard is replayed in document order as if each guess had been its own request: a guess made
// while the account (or address) is under penalty would have been refused, so it is not counted and
// its result is masked; the client learns nothing from it, not even a right password (CWE-204).
import type { LoginCall } from './analyze.js';

/** The slice of the rate-limit library's LoginGuard this module uses (its public API). */
export interface Guard {
  check(account: string | undefined, address: string): { allowed: boolean; retryAfterMs: number };
  record(account: string | undefined, address: string, status: number): void;
}

type Reply = { data?: Record<string, unknown> | null; errors?: unknown[] } & Record<
  string,
  unknown
>;

function replyOf(body: unknown, call: LoginCall): Reply | undefined {
  const reply = Array.isArray(body)
    ? (body[call.entry] as unknown)
    : call.entry === 0
      ? body
      : undefined;
  return reply !== null && typeof reply === 'object' && !Array.isArray(reply)
    ? (reply as Reply)
    : undefined;
}

/** Whether the upstream's answer says this call logged in. Unknown shapes count as failures. */
export function succeeded(
  body: unknown,
  call: LoginCall,
  successField: string | undefined,
): boolean {
  const reply = replyOf(body, call);
  if (reply === undefined || call.key === undefined) return false;
  const errored = (reply.errors ?? []).some((e) => {
    const path = (e as { path?: unknown } | null)?.path;
    return Array.isArray(path) && path[0] === call.key;
  });
  const result = reply.data?.[call.key];
  if (errored || result === null || result === undefined) return false;
  if (typeof result !== 'object') return true;
  const r = result as Record<string, unknown>;
  if (successField !== undefined) return r[successField] === true;
  return r['ok'] !== false && r['success'] !== false;
}

const THROTTLED = 'Too many attempts. Retry later.';

function mask(body: unknown, call: LoginCall): void {
  const reply = replyOf(body, call);
  if (reply === undefined) return;
  const error = { message: THROTTLED, extensions: { code: 'BULWARK_DENY_LOGIN_THROTTLED' } };
  if (call.key !== undefined && reply.data !== null && typeof reply.data === 'object') {
    reply.data[call.key] = null;
    reply.errors = [...(reply.errors ?? []), { ...error, path: [call.key] }];
  } else {
    // A login below the root: its place in the answer is unknown, so the whole entry goes.
    reply.data = null;
    reply.errors = [...(reply.errors ?? []), error];
  }
}

/** Before forwarding: the first call whose account or address is under penalty, if any. */
export function blocked(
  calls: readonly LoginCall[],
  guard: Guard,
  address: string,
): { retryAfterMs: number } | undefined {
  for (const call of calls) {
    const verdict = guard.check(call.account, address);
    if (!verdict.allowed) return verdict;
  }
  return undefined;
}

/**
 * After the upstream answered: records each call as its own attempt, in document order, and masks
 * the results of calls made after a penalty began. Returns true when the body was changed.
 */
export function settle(
  body: unknown,
  calls: readonly LoginCall[],
  guard: Guard,
  address: string,
  options: { readonly successField: string | undefined; readonly failureStatus: number },
): boolean {
  let changed = false;
  for (const call of calls) {
    if (!guard.check(call.account, address).allowed) {
      mask(body, call);
      changed = true;
      continue;
    }
    const ok = succeeded(body, call, options.successField);
    guard.record(call.account, address, ok ? 200 : options.failureStatus);
  }
  return changed;
}
