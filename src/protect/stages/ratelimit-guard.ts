// Login brute-force protection (API2:2023, CWE-307), after the body is parsed so the account name is
// known. While an account or an address is under penalty every attempt gets the same 429, whatever
// the password and whether the account exists (CWE-204); the upstream never sees the attempt.
import type { StageDefinition } from '../engine/types.js';
import { controlsFor } from '../ratelimit/create.js';
import { LOCALS_KEY, matches, readPointer, refusal } from '../ratelimit/gateway-adapter.js';
import type { LoginConfig } from '../ratelimit/config.js';
import { rateLimitSection, type RateLimitLocals } from './ratelimit.js';

export const rateLimitGuardStage: StageDefinition = {
  name: 'rate-limit-guard',
  summary:
    'Failed-login backoff or lockout per account and per client address, with uniform answers.',
  phase: 'guard',
  compile({ policy, operations, observe }) {
    const section = rateLimitSection(policy);
    if (!section) return undefined;
    const controls = controlsFor(operations, section, { observe });
    // Every stage sharing the toolkit closes it (closing is once): a pipeline without the
    // rate-limit stage must not leak the store either.
    const close = (): Promise<void> => controls.close();
    const login = controls.login;
    const config = (section as { login?: LoginConfig }).login;
    if (!login || !config) return { close };
    const loginOps = new Set(config.operations);
    const pointer =
      config.account?.header === undefined ? (config.account?.body ?? '/username') : undefined;
    const header = config.account?.header?.toLowerCase();
    return {
      close,
      request(ctx) {
        if (!matches(ctx.operation, loginOps)) return undefined;
        const value = header !== undefined ? ctx.headers[header] : undefined;
        const account =
          header !== undefined
            ? Array.isArray(value)
              ? value[0]
              : value
            : readPointer(ctx.json, pointer ?? '/username');
        const bag = (ctx.locals ??= {});
        ((bag[LOCALS_KEY] as RateLimitLocals | undefined) ??= {}).account = account;
        const verdict = login.check(account, ctx.clientAddress);
        if (verdict.allowed) return undefined;
        return refusal({
          allowed: false,
          status: 429,
          code: 'LOGIN_THROTTLED',
          detail: 'Too many attempts. Retry later.',
          reason: 'login penalty',
          rule: undefined,
          headers: [['Retry-After', String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)))]],
        });
      },
    };
  },
};
