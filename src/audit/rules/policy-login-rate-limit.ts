import type { Operation } from '../../core/openapi/model.js';
import type { AuditRule } from '../types.js';
import { entries, protectSection } from '../util/policy.js';

const LOGIN =
  /(^|[^a-z])(login|log_in|signin|sign_in|authenticate|auth\/token|oauth\/token|token|sessions?|password\/reset|otp|mfa|2fa)([^a-z]|$)/i;

function isLogin(op: Operation): boolean {
  if (op.method !== 'post') return false;
  const words = `${op.path} ${op.operationId ?? ''}`.replace(/([a-z])([A-Z])/g, '$1_$2');
  return LOGIN.test(words);
}

export const policyLoginRateLimit: AuditRule = {
  id: 'owasp:api4:policy-login-rate-limit',
  owasp: 'API4:2023',
  cwe: 'CWE-307',
  severity: 'high',
  policy: true,
  title: 'Policy: no rate limit on login operations',
  rationale:
    'Login, token, OTP and password-reset operations without a rate limit allow credential stuffing and brute force (OWASP API2/API4:2023, CWE-307). Checked when the config has a protect section.',
  remediation:
    'Configure a strict rate limit (per account and per client) on every authentication operation.',
  run(ctx) {
    const protect = protectSection(ctx.config);
    if (!protect) return;
    const limits = [...entries(protect, ['protect'])].filter((e) => /^rate_?limits?$/i.test(e.key));
    // A rate limit outside `operations` applies to every route; one under operations.<id> only there.
    const global = limits.some((e) => e.path[1] !== 'operations');
    if (global) return;
    const covered = new Set(limits.map((e) => String(e.path[2])));
    for (const op of ctx.model.operations) {
      if (!isLogin(op) || (op.operationId !== undefined && covered.has(op.operationId))) continue;
      ctx.report({
        message: `${op.key} looks like an authentication operation but the protect config sets no rate limit for it.`,
        location: ctx.locateConfig(['protect']),
        operations: [op.key],
      });
    }
  },
};
