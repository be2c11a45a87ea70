// Fuzzing (API8:2023 / CWE-755): schema-aware invalid inputs get a server error. For each operation
// the check mutates one input at a time from a valid request: boundaries (below minimum, above
// maximum, over maxLength), type confusion, invalid and deeply nested JSON, a huge document, and
// injection strings. Reads are fuzzed always; writes only with --intrusive. Proof: a 5xx whose valid
// control request did not fail, on replay too. Invalid input should get a 4xx, never a 5xx.
import type { Operation, Parameter, Schema } from '../../core/openapi/model.js';
import { isLoginLike, location, objectProperties } from '../engine/classify.js';
import { jsonMedia } from '../engine/builder.js';
import { isThrottled } from '../engine/compare.js';
import type { BuiltRequest, ScanCheck, ScanRequest } from '../types.js';

const INJECTIONS = [
  "' OR '1'='1",
  '"; DROP TABLE x; --',
  '{{7*7}}${7*7}',
  '../../../../etc/passwd',
  '$(id)',
  '<script>alert(1)</script>',
  '\u0000',
  '%00',
  '\uFFFF\uD800',
];
/** Bounded per operation: fuzzing is a budget, not an exhaustive search. */
const MAX_CASES_PER_OPERATION = 24;
/** A spec's maxLength is attacker-controlled input too: never build a string beyond this. */
const MAX_FUZZ_STRING = 64 * 1024;

export const fuzzServerError: ScanCheck = {
  id: 'scan:api8:fuzz-server-error',
  owasp: 'API8:2023',
  cwe: 'CWE-755',
  severity: 'medium',
  confidence: 'certain',
  title: 'Invalid input causes a server error',
  remediation:
    'Validate every input against its schema at the edge and answer 400 with problem+json; treat any 5xx on client input as a bug (unhandled exception, unchecked type, injection).',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    for (const op of ctx.model.operations) {
      const write = op.method !== 'get' && op.method !== 'head';
      if ((write && !ctx.intrusive) || op.method === 'delete' || isLoginLike(op)) continue;
      // Writes aim at objects this scan created: fuzzing must not corrupt real data.
      const scanOwned = write && op.path.includes('{');
      const request = ctx.builder.build(op, {
        ...(identity ? { identity: identity.name, owner: identity.name } : {}),
        full: true,
        ...(scanOwned ? { createdByScannerOnly: true } : {}),
      });
      if (!request || (scanOwned && !request.target?.createdByScanner)) continue;
      const control = await ctx.http.send(request).catch(() => undefined);
      if (!control || control.status >= 500 || isThrottled(control)) continue;
      if (op.method === 'post') ctx.objects.harvest(op, identity?.name, control, true);
      for (const c of cases(op, request).slice(0, MAX_CASES_PER_OPERATION)) {
        if (ctx.signal.aborted) return;
        const response = await ctx.http.send(c.request).catch(() => undefined);
        // Inputs the target accepted may have created objects: remember them for the clean-up.
        if (response && op.method === 'post')
          ctx.objects.harvest(op, identity?.name, response, true);
        // Throttled: the rest of this operation's cases would only be throttled too.
        if (isThrottled(response)) break;
        if (!response || response.status < 500) continue;
        const replay = await ctx.http.send(c.request).catch(() => undefined);
        if (!replay || replay.status < 500 || isThrottled(replay)) continue;
        ctx.report({
          location: location(op, response.exchange.request.url),
          cause: c.cause,
          message: `${op.key} answered ${response.status} to ${c.what}; the valid request answered ${control.status}.`,
          exchanges: [control, response],
        });
        break; // one 5xx per operation is enough to point at the missing validation
      }
    }
  },
};

interface Case {
  readonly cause: string;
  readonly what: string;
  readonly request: ScanRequest;
}

function cases(op: Operation, request: BuiltRequest): Case[] {
  const out: Case[] = [];
  for (const param of op.parameters.filter((p) => p.in === 'query' || p.in === 'path')) {
    for (const [kind, value] of paramValues(param)) {
      const mutated: ScanRequest =
        param.in === 'query'
          ? { ...request, query: { ...request.query, [param.name]: value } }
          : {
              ...request,
              path: request.path.replace(
                encodeURIComponent(String(request.target?.id ?? '')),
                encodeURIComponent(value),
              ),
            };
      if (param.in === 'path' && mutated.path === request.path) continue;
      out.push({
        cause: `${param.in}.${param.name}:${kind}`,
        what: `${param.in} '${param.name}' = ${JSON.stringify(value).slice(0, 60)} (${kind})`,
        request: mutated,
      });
    }
  }
  const media = jsonMedia(op);
  if (media && typeof request.json === 'object' && request.json !== null) {
    const body = request.json as Record<string, unknown>;
    for (const [name, schema] of Object.entries(objectProperties(media.schema))) {
      for (const [kind, value] of bodyValues(schema)) {
        out.push({
          cause: `body.${name}:${kind}`,
          what: `body '${name}' = ${JSON.stringify(value).slice(0, 60)} (${kind})`,
          request: { ...request, json: { ...body, [name]: value } },
        });
      }
    }
    const raw = (text: string, cause: string, what: string): Case => ({
      cause,
      what,
      request: {
        ...request,
        json: undefined,
        body: text,
        headers: { ...request.headers, 'content-type': 'application/json' },
      },
    });
    out.push(raw('[]', 'body:array', 'a JSON array instead of an object'));
    out.push(raw('null', 'body:null', 'a JSON null body'));
    out.push(
      raw(
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        'body:deep',
        'a JSON document nested 5000 deep',
      ),
    );
    out.push(
      raw(
        JSON.stringify({ ...body, bulwark: 'x'.repeat(256 * 1024) }),
        'body:huge',
        'a 256 KiB JSON document',
      ),
    );
  }
  return out;
}

function paramValues(param: Parameter): [string, string][] {
  const schema = typeof param.schema === 'object' ? param.schema : {};
  const out: [string, string][] = [];
  if (schema['type'] === 'integer' || schema['type'] === 'number') {
    out.push(['type-confusion', 'bulwark'], ['huge-number', '1e400'], ['negative', '-1']);
    if (typeof schema['maximum'] === 'number')
      out.push(['above-maximum', String(schema['maximum'] + 1)]);
    if (typeof schema['minimum'] === 'number')
      out.push(['below-minimum', String(schema['minimum'] - 1)]);
  } else {
    for (const injection of INJECTIONS.slice(0, 5)) out.push(['injection', injection]);
    out.push(['long-string', 'A'.repeat(8192)]);
  }
  out.push(['array', '[]']);
  return out;
}

function bodyValues(schema: Schema): [string, unknown][] {
  const s = typeof schema === 'object' ? schema : {};
  const out: [string, unknown][] = [
    ['type-confusion', s['type'] === 'string' ? { bulwark: [1] } : 'bulwark'],
    ['null', null],
  ];
  if (s['type'] === 'string') {
    out.push(['injection', INJECTIONS[0]], ['template-injection', INJECTIONS[2]]);
    if (typeof s['maxLength'] === 'number' && s['maxLength'] < MAX_FUZZ_STRING) {
      out.push(['above-maxLength', 'A'.repeat(s['maxLength'] + 1)]);
    }
  }
  if (s['type'] === 'integer' || s['type'] === 'number')
    out.push(['huge-number', 1e308], ['fraction', 0.5]);
  return out;
}
