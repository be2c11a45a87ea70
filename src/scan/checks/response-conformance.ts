// Conformance (API9:2023 / CWE-1059, the spec as inventory): answers break the spec. Judged on the
// discovery answers: the status is not declared, the media type is not declared, or the JSON body
// fails the declared schema. Proof: the answer itself and the first schema error. Low severity: a
// drifted spec misleads clients and security tools, but is not by itself an exploit.
import type { Operation, Response } from '../../core/openapi/model.js';
import { location } from '../engine/classify.js';
import { validatorFor } from '../engine/validate.js';
import type { ScanCheck, ScanResponse } from '../types.js';

export const responseConformance: ScanCheck = {
  id: 'scan:api9:response-conformance',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'low',
  confidence: 'certain',
  title: 'Answers do not match the spec',
  remediation:
    'Keep the spec and the implementation in step: generate one from the other, or validate answers against the spec in tests (and in the gateway).',
  intrusive: false,
  async run(ctx) {
    for (const [key, response] of ctx.baselines) {
      const op = ctx.model.operations.find((o) => o.key === key.split(' ').slice(1).join(' '));
      if (!op || response.status === 429) continue;
      const problem = judge(op, response);
      if (!problem) continue;
      ctx.report({
        location: location(op, response.exchange.request.url),
        cause: problem.cause,
        message: `${op.key} answered ${response.status}: ${problem.message}.`,
        exchanges: [response],
      });
    }
  },
};

function declared(op: Operation, status: number): Response | undefined {
  return (
    op.responses.find((r) => r.status === String(status)) ??
    op.responses.find((r) => r.status.toUpperCase() === `${String(status)[0]}XX`) ??
    op.responses.find((r) => r.status === 'default')
  );
}

function judge(
  op: Operation,
  response: ScanResponse,
): { cause: string; message: string } | undefined {
  const spec = declared(op, response.status);
  if (!spec)
    return {
      cause: `status-${response.status}`,
      message: `status ${response.status} is not declared`,
    };
  const type = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (spec.content.length === 0 || response.text === '' || response.status === 204)
    return undefined;
  const media = spec.content.find((m) => mediaMatches(m.mediaType, type));
  if (!media)
    return {
      cause: `media-${response.status}`,
      message: `media type '${type || 'none'}' is not declared`,
    };
  if (media.schema === undefined || response.json === undefined || response.truncated)
    return undefined;
  const validate = validatorFor(media.schema);
  if (!validate || validate(response.json)) return undefined;
  const error = validate.errors?.[0];
  return {
    cause: `schema-${response.status}`,
    message: `the body breaks the declared schema at '${error?.instancePath || '/'}': ${error?.message ?? 'invalid'}`,
  };
}

function mediaMatches(declaredType: string, actual: string): boolean {
  const d = declaredType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (d === actual || d === '*/*') return true;
  if (d.endsWith('/*')) return actual.startsWith(d.slice(0, -1));
  // application/problem+json is JSON; a spec saying application/json for errors is a common, harmless drift
  return false;
}
