// API10:2023 / CWE-20: the API trusts what a third party answers. For each consumer named in config
// (scan.consumers), the scanner's hostile upstream plays the third party and answers in turn with a
// schema-violating body, an oversized body, a redirect, and a stall; each answer carries a unique
// marker. Proof: the hostile upstream was called, and the marker comes back in the API's answer or in
// the object read back afterwards, so the API accepted and stored or reflected the hostile data.
import { findOperation, location, readBackOperation } from '../engine/classify.js';
import { containsMarker, ok } from '../engine/compare.js';
import type { BuiltRequest, CheckContext, HostileMode, ScanCheck, ScanResponse } from '../types.js';
import type { ConsumerSettings } from '../settings.js';

const MODES: readonly { mode: HostileMode; what: string }[] = [
  { mode: 'schema', what: 'a schema-violating answer (wrong types and values out of range)' },
  { mode: 'oversized', what: 'a 3 MiB answer' },
  { mode: 'redirect', what: 'a redirect to another URL' },
  { mode: 'slow', what: 'an answer stalled past any sane timeout' },
];

export const unsafeConsumption: ScanCheck = {
  id: 'scan:api10:unsafe-consumption',
  owasp: 'API10:2023',
  cwe: 'CWE-20',
  severity: 'high',
  confidence: 'certain',
  title: 'Hostile third-party answers are accepted and stored',
  remediation:
    'Treat third-party answers as untrusted input: validate them against a schema (types, enums, ranges), cap their size, set connect and read timeouts, do not follow redirects, and fail closed (502) without changing state.',
  intrusive: true,
  async run(ctx) {
    const hostile = ctx.hostile;
    if (!hostile) return;
    const identity = ctx.identities.all.find((i) => !i.admin) ?? ctx.identities.all[0];
    for (const consumer of ctx.settings.consumers) {
      const op = findOperation(ctx.model, consumer.operation);
      if (!op) {
        ctx.note(
          `unsafe-consumption: consumer operation '${consumer.operation}' is not in the spec`,
        );
        continue;
      }
      const accepted: { what: string; response: ScanResponse }[] = [];
      let reached = false;
      for (const { mode, what } of MODES) {
        if (ctx.signal.aborted) return;
        const marker = `bulwark${mode}${Math.random().toString(36).slice(2, 10)}`;
        const request =
          ctx.builder.build(op, {
            ...(identity ? { identity: identity.name, owner: identity.name } : {}),
            createdByScannerOnly: true,
          }) ??
          ctx.builder.build(op, identity ? { identity: identity.name, owner: identity.name } : {});
        if (!request) break;
        const probe = wire(ctx, consumer, request, mode, marker);
        const response = await ctx.http
          .send({ ...probe, timeoutMs: ctx.settings.timeoutMs + ctx.settings.hostileSlowMs })
          .catch(() => undefined);
        hostile.setMode('benign', 'bulwark');
        if (hostile.hits(marker) === 0) continue;
        reached = true;
        const stored = await readBack(ctx, op, request, identity?.name);
        const proof = containsMarker(response, marker)
          ? response
          : containsMarker(stored, marker)
            ? stored
            : undefined;
        if (proof) accepted.push({ what, response: proof });
      }
      if (!reached)
        ctx.note(
          `unsafe-consumption: ${op.key} never called the hostile upstream; check scan.consumers wiring`,
        );
      if (accepted.length === 0) continue;
      ctx.report({
        location: location(op, accepted[0]?.response.exchange.request.url),
        message: `${op.key} accepted and kept ${accepted.length} hostile upstream answer(s): ${accepted.map((a) => a.what).join('; ')}.`,
        exchanges: accepted.map((a) => a.response),
        detail: `The hostile upstream at ${hostile.url} was called; its marker came back from the API for: ${accepted.map((a) => a.what).join('; ')}.`,
      });
    }
  },
};

function wire(
  ctx: CheckContext,
  consumer: ConsumerSettings,
  request: BuiltRequest,
  mode: HostileMode,
  marker: string,
): BuiltRequest {
  const hostile = ctx.hostile;
  if (!hostile) return request;
  if (consumer.field === undefined) {
    hostile.setMode(mode, marker);
    return request;
  }
  const url = hostile.urlFor(mode, marker);
  const [where, ...rest] = consumer.field.split('.');
  const name = rest.join('.');
  if (where === 'query') return { ...request, query: { ...request.query, [name]: url } };
  const body = typeof request.json === 'object' && request.json !== null ? request.json : {};
  return { ...request, json: { ...body, [name]: url } };
}

async function readBack(
  ctx: CheckContext,
  op: Parameters<typeof readBackOperation>[1],
  request: BuiltRequest,
  identity: string | undefined,
): Promise<ScanResponse | undefined> {
  const readOp = readBackOperation(ctx.model, op);
  if (!readOp) return undefined;
  const param = [...op.path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1];
  const read = ctx.builder.build(readOp, {
    ...(identity ? { identity } : {}),
    ...(param && request.target ? { pathParams: { [param]: request.target.id } } : {}),
  });
  if (!read) return undefined;
  const response = await ctx.http.send(read).catch(() => undefined);
  return ok(response) ? response : undefined;
}
