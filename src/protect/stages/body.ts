// Request bodies (API3, API4, API8): only media types the operation declares pass (415 otherwise);
// the size cap (per operation, else global) applies before any parsing (413); JSON bodies are scanned
// for depth, key count, duplicate and prototype-pollution keys (engine/json-scan.ts), parsed once and
// validated by a compiled ajv function. Unknown properties are refused (mass assignment, CWE-915)
// unless the schema allows them or protect.operations.<id>.allowUnknownProperties says so.
// Other media types stream through with the same cap enforced while forwarding.
import type { ValidateFunction } from 'ajv';
import { BodyTooLarge, hasBody, readBody } from '../engine/body.js';
import { scanJson, type ScanProblem } from '../engine/json-scan.js';
import { refuse, type ProblemCode } from '../engine/problem.js';
import { issuesOf, isUnknownProperty } from '../engine/schema-compiler.js';
import type { RequestContext } from '../engine/context.js';
import type { Reply, StageDefinition, StageResult } from '../engine/types.js';

interface MediaPlan {
  readonly type: string; // lower-case; may be `text/*` or `*/*`
  readonly json: boolean;
  readonly validate: ValidateFunction | undefined;
}

interface BodyPlan {
  readonly required: boolean;
  readonly media: readonly MediaPlan[];
  readonly limit: number;
}

export function mediaTypeOf(header: string | undefined): string {
  if (header === undefined) return '';
  const semi = header.indexOf(';');
  return (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
}

function isJson(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

function matchMedia(plans: readonly MediaPlan[], type: string): MediaPlan | undefined {
  if (type === '') return undefined;
  let wildcard: MediaPlan | undefined;
  const major = type.slice(0, type.indexOf('/') + 1);
  for (const p of plans) {
    if (p.type === type) return p;
    if (wildcard === undefined && (p.type === '*/*' || p.type === `${major}*`)) wildcard = p;
  }
  return wildcard;
}

const SCAN_CODES: Record<ScanProblem, ProblemCode> = {
  depth: 'BULWARK_DENY_BODY_TOO_COMPLEX',
  keys: 'BULWARK_DENY_BODY_TOO_COMPLEX',
  duplicate: 'BULWARK_DENY_BODY_MALFORMED',
  pollution: 'BULWARK_DENY_BODY_POLLUTION',
};

export const bodyStage: StageDefinition = {
  name: 'body',
  summary: 'content type (415), size cap (413), JSON caps and pollution keys, schema validation',
  phase: 'body',
  compile({ operations, policy, schemas }) {
    const mode = policy.validation.requests;
    const { jsonDepth, jsonKeys, bodyBytes } = policy.limits;
    // Limits are named only when errors.exposeLimits asks (CWE-209).
    const expose = policy.errors.exposeLimits;
    const sizeDetail = (limit: number): string | undefined =>
      expose ? `the body is limited to ${limit} bytes` : undefined;
    const scanDetail = expose
      ? `JSON is limited to depth ${jsonDepth} and ${jsonKeys} keys`
      : undefined;
    const plans: (BodyPlan | undefined)[] = operations.map((cop) => {
      const rb = cop.op.requestBody;
      if (rb === undefined) return undefined;
      const closed = !(cop.policy?.allowUnknownProperties ?? false);
      return {
        required: rb.required,
        limit: cop.policy?.bodyBytes ?? bodyBytes,
        media: rb.content.map((m) => {
          const type = m.mediaType.toLowerCase();
          const json = isJson(type);
          return {
            type,
            json,
            validate:
              json && m.schema !== undefined && mode !== 'off'
                ? schemas.body(m.schema, 'request', closed, `${cop.key} request body`)
                : undefined,
          };
        }),
      };
    });
    const soft = (ctx: RequestContext, reply: Reply): StageResult =>
      mode === 'report' ? ctx.violation(reply.code ?? 'BULWARK_DENY_BODY_INVALID') : reply;

    const readJson = async (
      ctx: RequestContext,
      media: MediaPlan,
      limit: number,
    ): Promise<StageResult> => {
      let buf: Buffer;
      try {
        buf = await readBody(ctx.source, limit);
      } catch (err) {
        if (err instanceof BodyTooLarge)
          return refuse('BULWARK_DENY_BODY_TOO_LARGE', 'body over the cap', sizeDetail(limit));
        return refuse('BULWARK_DENY_BODY_MALFORMED', 'body could not be read');
      }
      ctx.body = buf;
      const problem = scanJson(buf, jsonDepth, jsonKeys);
      if (problem) {
        const detail = problem === 'depth' || problem === 'keys' ? scanDetail : undefined;
        return refuse(SCAN_CODES[problem], `JSON ${problem}`, detail);
      }
      try {
        ctx.json = JSON.parse(buf.toString('utf8'));
      } catch {
        return refuse('BULWARK_DENY_BODY_MALFORMED', 'invalid JSON');
      }
      const validate = media.validate;
      if (validate === undefined || validate(ctx.json)) return undefined;
      const issues = issuesOf(validate.errors);
      const code = issues.some(isUnknownProperty)
        ? 'BULWARK_DENY_BODY_UNKNOWN_PROPERTY'
        : 'BULWARK_DENY_BODY_INVALID';
      return soft(ctx, { ...refuse(code, 'body schema'), extra: { errors: issues } });
    };

    return {
      request(ctx: RequestContext): StageResult | Promise<StageResult> {
        const op = ctx.operation;
        if (op === undefined) return undefined;
        const plan = plans[op.index];
        const present = hasBody(ctx);
        if (plan === undefined) {
          return present ? refuse('BULWARK_DENY_MEDIA_TYPE', 'operation takes no body') : undefined;
        }
        if (!present) {
          return plan.required
            ? soft(ctx, refuse('BULWARK_DENY_BODY_REQUIRED', 'no body'))
            : undefined;
        }
        const media = matchMedia(plan.media, mediaTypeOf(ctx.headers['content-type']));
        if (media === undefined) return refuse('BULWARK_DENY_MEDIA_TYPE', 'undeclared media type');
        const cl = ctx.headers['content-length'];
        if (cl !== undefined && Number(cl) > plan.limit) {
          return refuse(
            'BULWARK_DENY_BODY_TOO_LARGE',
            'Content-Length over the cap',
            sizeDetail(plan.limit),
          );
        }
        return media.json ? readJson(ctx, media, plan.limit) : undefined;
      },
    };
  },
};
