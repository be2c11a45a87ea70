// API3:2023 / CWE-915: mass assignment. A write that the schema does not allow to carry `role`,
// `is_admin`, `owner_id` and the like is sent with one of them; the check reads the object back.
// Proof: the read-back shows the injected value, where it showed another before. The check then tries
// to put the old value back.
import { isDeepStrictEqual } from 'node:util';
import { isLoginLike, location, objectProperties, readBackOperation } from '../engine/classify.js';
import { jsonMedia } from '../engine/builder.js';
import { ok } from '../engine/compare.js';
import type { CheckContext, IdentityInfo, ScanCheck } from '../types.js';

const CANDIDATES = [
  'role',
  'roles',
  'is_admin',
  'isAdmin',
  'admin',
  'owner_id',
  'ownerId',
  'user_id',
  'verified',
  'email_verified',
  'is_verified',
  'permissions',
  'scopes',
  'balance',
  'credits',
  'plan',
  'tier',
];

export const massAssignment: ScanCheck = {
  id: 'scan:api3:mass-assignment',
  owasp: 'API3:2023',
  cwe: 'CWE-915',
  severity: 'critical',
  confidence: 'certain',
  title: 'Mass assignment: a property the client may not set is persisted',
  remediation:
    'Bind request bodies to an explicit input schema with additionalProperties: false (answer 400 on unknown fields) and never copy a request body onto a model object.',
  intrusive: true,
  async run(ctx) {
    const identity = ctx.identities.peers()?.[1] ?? ctx.identities.all.find((i) => !i.admin);
    if (!identity) return;
    for (const op of ctx.model.operations) {
      if (!['put', 'patch'].includes(op.method) || isLoginLike(op)) continue;
      const media = jsonMedia(op);
      const readOp = readBackOperation(ctx.model, op);
      if (!media || !readOp) continue;
      const writable = objectProperties(media.schema);
      const request = ctx.builder.build(op, {
        identity: identity.name,
        owner: identity.name,
        createdByScannerOnly: op.path.includes('{'),
      });
      if (!request || (op.path.includes('{') && !request.target)) continue;
      const read = ctx.builder.build(readOp, {
        identity: identity.name,
        ...(request.target ? { pathParams: { [lastParam(op.path)]: request.target.id } } : {}),
      });
      if (!read) continue;
      const before = await ctx.http.send(read);
      if (!ok(before) || typeof before.json !== 'object' || before.json === null) continue;
      const current = before.json as Record<string, unknown>;
      for (const field of CANDIDATES) {
        if (field in writable || !(field in current)) continue;
        const value = injectedValue(ctx, field, current[field], identity);
        if (value === undefined) continue;
        const base = typeof request.json === 'object' && request.json !== null ? request.json : {};
        const attack = await ctx.http.send({ ...request, json: { ...base, [field]: value } });
        if (!ok(attack)) continue;
        const after = await ctx.http.send(read);
        const persisted = (after.json as Record<string, unknown> | undefined)?.[field];
        if (!ok(after) || !isDeepStrictEqual(persisted, value)) continue;
        ctx.report({
          location: location(op, attack.exchange.request.url),
          cause: field,
          message: `${op.key} accepted '${field}' (not in its input schema) and persisted it: read-back shows ${JSON.stringify(value)} where it showed ${JSON.stringify(current[field])}.`,
          exchanges: [before, after, attack],
          detail: `Injected ${field}=${JSON.stringify(value)} as '${identity.name}'; ${readOp.key} before: ${JSON.stringify(current[field])}, after: ${JSON.stringify(persisted)}.`,
        });
        await ctx.http
          .send({ ...request, json: { ...base, [field]: current[field] } })
          .catch(() => undefined);
      }
    }
  },
};

function injectedValue(
  ctx: CheckContext,
  field: string,
  current: unknown,
  me: IdentityInfo,
): unknown {
  if (/owner|user_id/i.test(field)) {
    const other = ctx.identities.all.find(
      (i) => i.name !== me.name && i.userId !== undefined && i.userId !== current,
    );
    return other?.userId;
  }
  if (/role/i.test(field)) {
    if (Array.isArray(current)) return [...current, 'admin'];
    return current === 'admin' ? undefined : 'admin';
  }
  if (typeof current === 'boolean') return !current;
  if (typeof current === 'number') return current + 1_000_000;
  if (typeof current === 'string') return current === 'enterprise' ? 'bulwark' : 'enterprise';
  return undefined;
}

function lastParam(path: string): string {
  return [...path.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1] ?? 'id';
}
