// After the answer is known: a reserved quota is committed on 2xx and given back otherwise (API6),
// failed logins are counted from the upstream's 401 (API2), and object-level access is fed to the
// enumeration detector (API1), whose alerts become logged violations. Also runs on the gateway's own
// refusals, so a reservation is refunded when a later stage refused the request.
import type { StageDefinition } from '../engine/types.js';
import { controlsFor } from '../ratelimit/create.js';
import { LOCALS_KEY, matches } from '../ratelimit/gateway-adapter.js';
import type { EnumerationConfig, LoginConfig } from '../ratelimit/config.js';
import { rateLimitSection, type RateLimitLocals } from './ratelimit.js';

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
        const local = ctx.locals?.[LOCALS_KEY] as RateLimitLocals | undefined;
        if (local?.settle) {
          const settle = local.settle;
          local.settle = undefined;
          settle(reply.status).catch(() => undefined); // the store reports its own failures
        }
        if (controls.login && loginOps.size > 0 && matches(ctx.operation, loginOps)) {
          controls.login.record(local?.account, ctx.clientAddress, reply.status);
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
        return undefined;
      },
    };
  },
};
