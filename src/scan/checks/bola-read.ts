// API1:2023 BOLA, read. Identity B (same role as A) asks for an object the scanner saw A own, by an id
// in the path or the query. Proof:
// A's own read succeeds (control), B's read succeeds with the same content, and a replay agrees.
import { location } from '../engine/classify.js';
import { ok, sameContent } from '../engine/compare.js';
import type { ScanCheck } from '../types.js';

export const bolaRead: ScanCheck = {
  id: 'scan:api1:bola-read',
  owasp: 'API1:2023',
  cwe: 'CWE-639',
  severity: 'high',
  confidence: 'certain',
  title: 'Another user can read an object they do not own',
  remediation:
    'Check on every object access that the caller owns the object (or is granted it), in the data layer query itself (WHERE owner_id = :caller). Answer 404 for objects the caller may not see, and prefer unguessable ids (UUIDv4) as defence in depth.',
  intrusive: false,
  async run(ctx) {
    const peers = ctx.identities.peers();
    if (!peers) {
      ctx.note('bola-read: needs two identities of the same role');
      return;
    }
    for (const op of ctx.model.operations) {
      if (op.method !== 'get') continue;
      for (const [owner, other] of [peers, [peers[1], peers[0]] as const]) {
        const request = ctx.builder.build(op, { identity: owner.name, owner: owner.name });
        if (!request?.target) continue;
        const control = await ctx.http.send(request);
        if (!ok(control)) continue;
        const attack = await ctx.http.send({ ...request, identity: other.name });
        if (!ok(attack) || !sameContent(control, attack)) continue;
        const replay = await ctx.http.send({ ...request, identity: other.name });
        if (!ok(replay) || !sameContent(control, replay)) continue;
        ctx.report({
          location: location(op, attack.exchange.request.url),
          message: `'${other.name}' read ${request.target.resource} ${String(request.target.id)} owned by '${owner.name}' (${attack.status}, same content as the owner's read).`,
          exchanges: [control, attack],
          detail: `Owner '${owner.name}' got ${control.status}; '${other.name}' (role ${other.role}) got ${attack.status} with identical content, twice.`,
        });
        break;
      }
    }
  },
};
