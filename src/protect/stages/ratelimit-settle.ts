// After the answer is known: a reserved quota is committed on 2xx and given back otherwise (API6),
// failed logins are counted from the upstream's 401 (API2) and answered uniformly, and object-level
// access is fed to the enumeration detector (API1), whose alerts become logged violations. Also runs
// on the gateway's own refusals, so a reservation is refunded when a later stage refused the request.
import type { Reply, StageDefinition } from '../engine/types.js';
import type { UpstreamReply } from '../engine/reply.js';
import { controlsFor } from '../ratelimit/create.js';
import { matches } from '../ratelimit/gateway-adapter.js';
import type { EnumerationConfig, LoginConfig } from '../ratelimit/config.js';
import { locals, rateLimitSection } from './ratelimit.js';

/**
 * A failed login answered the same whatever the upstream said: an upstream that tells "unknown
 * email" from "wrong password" (in status, code or message) tells an attacker which accounts
 * exist (CWE-204, OWASP ASVS V2.2). Only WWW-Authenticate is kept (RFC 9110 §11.6.1). Timing
 * differences inside the upstream remain; the gateway cannot hide those.
 */
function uniformFailure(reply: UpstreamReply): Reply {
  const challenge = reply.headers['www-authenticate'];
  return {
    status: 401,
    code: 'BULWARK_DENY_LOGIN_FAILED',
    detail: 'Invalid credentials.',
    reason: `login refused upstream (${reply.status})`,
    ...(typeof challenge === 'string' ? { headers: { 'WWW-Authenticate': challenge } } : {}),
  };
}

export const rateLimitSettleStage: StageDefinition = {
  name: 'rate-limit-settle',
  summary:
    'Commits or refunds quota reservations, counts failed logins and feeds enumeration detection.',
  phase: 'quota',
  compile({ policy, operations, observe }) {
    const section = rateLimitSection(policy);
    if (!section) return undefined;
    const controls = controlsFor(operations, section, { observe });
    const loginOps = new Set((section as { login?: LoginConfig }).login?.operations ?? []);
    const enumOps = (section as { enumeration?: EnumerationConfig }).enumeration?.operations;
    const enumScope = enumOps ? new Set(enumOps) : undefined;
    return {
      close: () => controls.close(),
      onRefusals: true,
      response(ctx, reply) {
        const local = locals(ctx);
        if (local.settled) return undefined; // once per request, even when a later stage replaced the answer
        local.settled = true;
        if (local.settle) {
          const settle = local.settle;
          local.settle = undefined;
          settle(reply.status).catch(() => undefined); // the store reports its own failures
        }
        let answer: Reply | undefined;
        if (controls.login && loginOps.size > 0 && matches(ctx.operation, loginOps)) {
          controls.login.record(local.account, ctx.clientAddress, reply.status);
          // On the gateway's own refusals the return value is ignored: they are uniform already.
          if (controls.login.isFailure(reply.status)) answer = uniformFailure(reply);
        }
        const op = ctx.operation;
        const enumeration = controls.enumeration;
        if (
          enumeration &&
          op &&
          op.pathParamNames.length > 0 &&
          (!enumScope || matches(op, enumScope))
        ) {
          const objectId = ctx.pathParams[ctx.pathParams.length - 1];
          for (const alert of enumeration.observe(
            ctx.identity?.subject ?? ctx.clientAddress,
            objectId,
            reply.status,
          )) {
            ctx.violation(
              `BULWARK_ALERT_ENUMERATION_${alert.reason.toUpperCase().replace(/-/g, '_')}`,
            );
          }
        }
        return answer;
      },
    };
  },
};
