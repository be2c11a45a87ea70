// The upstream's answer against the spec (API8, API10): an undeclared status or media type is a logged
// violation, or a 502 when responses.undeclared is `block`; a declared JSON answer that does not parse
// is refused (fail closed: it could not be projected). Upstream 5xx bodies are replaced by a generic
// problem+json with the correlation id, so stack traces and internals never leave (CWE-209).
import { refuse } from '../engine/problem.js';
import { matchMedia, ResponseTable } from '../engine/responses.js';
import type { RequestContext } from '../engine/context.js';
import type { UpstreamReply } from '../engine/reply.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

const NO_BODY = new Set([204, 304]);

export const upstreamContractStage: StageDefinition = {
  name: 'upstream-contract',
  summary: 'undeclared status/media type logged or 502; upstream 5xx bodies replaced',
  phase: 'upstream',
  compile({ operations, policy, schemas }) {
    const table = new ResponseTable(operations, policy, schemas);
    const block = policy.responses.undeclared === 'block';
    const hide = policy.responses.hideServerErrors;
    const validateMode = policy.responses.validate;
    const violation = (ctx: RequestContext, reason: string): StageResult => {
      if (block) return refuse('BULWARK_UPSTREAM_CONTRACT', reason);
      ctx.violation('BULWARK_UPSTREAM_CONTRACT');
      ctx.reason ??= reason;
      return undefined;
    };
    return {
      needsBody(ctx: RequestContext, reply: UpstreamReply): boolean {
        if (ctx.operation === undefined || (hide && reply.status >= 500)) return false;
        if (validateMode === 'off') return false;
        const plan = table.lookup(ctx.operation, reply.status);
        return plan !== undefined && matchMedia(plan, reply.mediaType)?.validate !== undefined;
      },
      response(ctx: RequestContext, reply: UpstreamReply): StageResult {
        if (hide && reply.status >= 500) {
          const retry = reply.headers['retry-after'];
          const headers = typeof retry === 'string' ? { 'retry-after': retry } : undefined;
          return {
            ...refuse('BULWARK_UPSTREAM_ERROR', `upstream ${reply.status}`, undefined, headers),
            status: reply.status,
          };
        }
        const op = ctx.operation;
        if (op === undefined) return undefined;
        const plan = table.lookup(op, reply.status);
        if (plan === undefined) return violation(ctx, `undeclared status ${reply.status}`);
        const empty =
          NO_BODY.has(reply.status) ||
          ctx.method === 'HEAD' ||
          reply.headers['content-length'] === '0';
        if (empty) return undefined;
        if (plan.media.length === 0) {
          return reply.mediaType === '' ? undefined : violation(ctx, 'body where none is declared');
        }
        const media = matchMedia(plan, reply.mediaType);
        if (media === undefined) return violation(ctx, `undeclared media type ${reply.mediaType}`);
        if (media.validate && reply.hasJson && !media.validate(reply.json)) {
          if (validateMode === 'block')
            return refuse('BULWARK_UPSTREAM_CONTRACT', 'response schema');
          ctx.violation('BULWARK_UPSTREAM_CONTRACT');
          ctx.reason ??= 'response schema';
        }
        return undefined;
      },
    };
  },
};
