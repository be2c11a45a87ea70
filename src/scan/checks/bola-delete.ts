// API1:2023 BOLA, delete. Only objects this scan created are ever targeted. Proof: the owner can read
// the object before, B's DELETE succeeds, and the owner's read afterwards is 404/410.
import { location } from '../engine/classify.js';
import { ok } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

export const bolaDelete: ScanCheck = {
  id: 'scan:api1:bola-delete',
  owasp: 'API1:2023',
  cwe: 'CWE-639',
  severity: 'critical',
  confidence: 'certain',
  title: 'Another user can delete an object they do not own',
  remediation:
    'Enforce ownership on DELETE in the same statement that deletes (DELETE ... WHERE id = :id AND owner_id = :caller) and answer 404 when nothing matched.',
  intrusive: true,
  async run(ctx) {
    const peers = ctx.identities.peers();
    if (!peers) return;
    const [owner, other] = peers;
    for (const op of ctx.model.operations) {
      if (op.method !== 'delete' || !op.path.includes('{')) continue;
      const readOp = ctx.model.operations.find((o) => o.method === 'get' && o.path === op.path);
      const request = ctx.builder.build(op, {
        identity: owner.name,
        owner: owner.name,
        createdByScannerOnly: true,
      });
      if (!readOp || !request?.target) continue;
      const read = ctx.builder.build(readOp, {
        identity: owner.name,
        pathParams: { [lastParam(op.path)]: request.target.id },
      });
      if (!read) continue;
      const before = await ctx.http.send(read);
      if (!ok(before)) continue;
      const attack = await ctx.http.send({ ...request, identity: other.name });
      if (!ok(attack)) continue;
      const after = await ctx.http.send(read);
      if (after.status !== 404 && after.status !== 410) continue;
      ctx.report({
        location: location(op, attack.exchange.request.url),
        message: `'${other.name}' deleted ${request.target.resource} ${String(request.target.id)} owned by '${owner.name}' (${attack.status}); the owner now gets ${after.status}.`,
        exchanges: [before, after, attack],
        detail: `Owner read ${before.status} before, ${after.status} after '${other.name}''s DELETE answered ${attack.status}. The object was created by this scan.`,
      });
    }
  },
};

function lastParam(path: string): string {
  return [...path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1] ?? 'id';
}
