// API1:2023 BOLA, write. B changes A's object; A reading it back sees B's change. The read-back by the
// rightful owner is the proof: a 200 to B alone could be a no-op.
import { location, readBackOperation } from '../engine/classify.js';
import { containsMarker, ok } from '../engine/compare.js';
import { objectProperties } from '../engine/classify.js';
import { jsonMedia } from '../engine/builder.js';
import type { ScanCheck } from '../types.js';

export const bolaWrite: ScanCheck = {
  id: 'scan:api1:bola-write',
  owasp: 'API1:2023',
  cwe: 'CWE-639',
  severity: 'critical',
  confidence: 'certain',
  title: 'Another user can change an object they do not own',
  remediation:
    'Enforce ownership on every write (PUT, PATCH) in the same query that updates the row, and answer 404 for objects the caller may not see.',
  intrusive: true,
  async run(ctx) {
    const peers = ctx.identities.peers();
    if (!peers) return;
    const [owner, other] = peers;
    for (const op of ctx.model.operations) {
      if ((op.method !== 'put' && op.method !== 'patch') || !op.path.includes('{')) continue;
      const readOp = readBackOperation(ctx.model, op);
      const media = jsonMedia(op);
      if (!readOp || !media) continue;
      const request =
        ctx.builder.build(op, {
          identity: owner.name,
          owner: owner.name,
          createdByScannerOnly: true,
        }) ?? ctx.builder.build(op, { identity: owner.name, owner: owner.name });
      if (!request?.target) continue;
      const marker = `bulwark-bola-${Math.random().toString(36).slice(2, 10)}`;
      const body = withMarker(request.json, objectProperties(media.schema), marker);
      if (!body) continue;
      const pathParams = { [lastParam(op.path)]: request.target.id };
      const read = ctx.builder.build(readOp, { identity: owner.name, pathParams });
      if (!read) continue;
      const attack = await ctx.http.send({ ...request, json: body, identity: other.name });
      if (!ok(attack)) continue;
      const proof = await ctx.http.send(read);
      if (!ok(proof) || !containsMarker(proof, marker)) continue;
      ctx.report({
        location: location(op, attack.exchange.request.url),
        message: `'${other.name}' changed ${request.target.resource} ${String(request.target.id)} owned by '${owner.name}'; the owner's read-back shows the change.`,
        exchanges: [proof, attack],
        detail: `Marker '${marker}' written by '${other.name}' appeared in '${owner.name}''s ${readOp.key}.`,
      });
    }
  },
};

function lastParam(path: string): string {
  return [...path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1] ?? 'id';
}

/** The sample body with its first string property replaced by the marker. */
function withMarker(json: unknown, properties: Record<string, unknown>, marker: string): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const out: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  const key =
    Object.keys(out).find((k) => typeof out[k] === 'string' && !/email|url|password/i.test(k)) ??
    Object.keys(properties).find((k) => /title|name|description|content|text/i.test(k));
  if (!key) return undefined;
  out[key] = marker;
  return out;
}
