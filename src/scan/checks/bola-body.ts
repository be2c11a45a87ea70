// API1:2023 BOLA, ids in the request body (`POST /shares {documentId}`, `POST /documents/lookup
// {id}`). Identity B names an object the scanner saw A own in a body property; the rest of the body is
// a valid sample. Only objects B may not read by the API's own item read (403/404) are aimed at, so a
// public catalogue (`POST /orders {productId}`) is never mistaken for a private object.
// Proof, confirmed by a replay as B, after A's own request with the same body succeeded (control):
// - disclosure (certain): B's answer carries a value of A's object that the request did not contain;
// - action (firm): B's request succeeds while the same request naming an id that does not exist fails,
//   so the server looked the object up and let B act on it.
// Without --intrusive only read-like operations (lookup, search, export...) are tried; with it every
// operation with a body id, on objects this scan created.
import { randomUUID } from 'node:crypto';
import type { Operation } from '../../core/openapi/model.js';
import { jsonMedia } from '../engine/builder.js';
import { isAdminOperation, isLoginLike, location, objectProperties } from '../engine/classify.js';
import { isThrottled, ok } from '../engine/compare.js';
import { singular } from '../engine/objects.js';
import type { CheckContext, IdentityInfo, KnownObject, ScanCheck, ScanResponse } from '../types.js';

/** `id`, `documentId`, `document_id`, `docUuid`: a property that names an object. */
const BODY_ID = /^(id|uuid)$|^(.+?)(Id|_id|Uuid|_uuid|ID)$/;
const READ_WORDS =
  /^(lookup|search|query|find|get|fetch|export|view|read|resolve|download|preview|show)$/i;
/** Shorter values ("user", "public") are too common to prove that an object leaked. */
const MIN_FINGERPRINT = 6;
const ID_KEY = /(^id$|_?id$|Id$|uuid$)/i;

export const bolaBody: ScanCheck = {
  id: 'scan:api1:bola-body',
  owasp: 'API1:2023',
  cwe: 'CWE-639',
  severity: 'high',
  confidence: 'certain',
  title: 'Another user can use an object they do not own by naming it in the request body',
  remediation:
    'Authorize every object reference in a request body exactly like a path id: load it through a query scoped to the caller (WHERE id = :id AND owner_id = :caller) and answer 404 when nothing matched.',
  intrusive: false,
  async run(ctx) {
    const peers = ctx.identities.peers();
    if (!peers) {
      ctx.note('bola-body: needs two identities of the same role');
      return;
    }
    for (const op of ctx.model.operations) {
      if (!jsonMedia(op) || isLoginLike(op) || isAdminOperation(op, ctx.settings)) continue;
      const readLike = isReadLike(op);
      if (!readLike && !ctx.intrusive) continue;
      const properties = Object.keys(objectProperties(jsonMedia(op)?.schema)).filter((p) =>
        BODY_ID.test(p),
      );
      probe: for (const property of properties) {
        for (const [owner, other] of [peers, [peers[1], peers[0]] as const]) {
          const outcome = await tryProperty(ctx, op, property, owner, other, readLike);
          if (outcome === 'reported' || outcome === 'throttled') break probe;
        }
      }
    }
  },
};

type Outcome = 'reported' | 'throttled' | 'clean';

async function tryProperty(
  ctx: CheckContext,
  op: Operation,
  property: string,
  owner: IdentityInfo,
  other: IdentityInfo,
  readLike: boolean,
): Promise<Outcome> {
  const target = victim(ctx, op, property, owner.name, readLike);
  if (!target) return 'clean';
  const base = ctx.builder.build(op, {
    identity: owner.name,
    owner: owner.name,
    ...(readLike ? {} : { createdByScannerOnly: true }),
  });
  if (!base || !isRecord(base.json) || base.path.includes('{')) return 'clean';
  const json = base.json;
  const as = (identity: string, id: string | number): Promise<ScanResponse> =>
    ctx.http.send({ ...base, identity, json: { ...json, [property]: id } });
  const isPrivate = await privateTo(ctx, target, other.name);
  if (isPrivate !== true) return isPrivate === 'throttled' ? 'throttled' : 'clean';
  const control = await as(owner.name, target.id);
  const attack = ok(control) ? await as(other.name, target.id) : undefined;
  if (isThrottled(control) || (attack && isThrottled(attack))) return throttled(ctx, op);
  if (!ok(control) || !ok(attack)) return 'clean';
  const prints = fingerprints(target, JSON.stringify(json));
  const leaked = prints.find((value) => attack.text.includes(value));
  let missing: ScanResponse | undefined;
  if (leaked === undefined) {
    missing = await as(other.name, missingId(target.id));
    if (isThrottled(missing)) return throttled(ctx, op);
    // The answer does not depend on the object existing: nothing shows B reached A's object.
    if (ok(missing) || missing.status >= 500) return 'clean';
  }
  const replay = await as(other.name, target.id);
  if (!ok(replay) || (leaked !== undefined && !replay.text.includes(leaked))) return 'clean';
  const what = `${target.resource} ${String(target.id)} owned by '${owner.name}'`;
  ctx.report({
    location: location(op, attack.exchange.request.url),
    cause: property,
    message:
      leaked === undefined
        ? `'${other.name}' acted on ${what} by naming it in the body of ${op.key} ('${property}', ${attack.status}).`
        : `'${other.name}' got ${what} by naming it in the body of ${op.key} ('${property}', ${attack.status}).`,
    exchanges: [control, ...(missing ? [missing] : []), attack],
    ...(leaked === undefined ? { confidence: 'firm' as const } : {}),
    detail:
      leaked === undefined
        ? `Owner '${owner.name}' got ${control.status}; '${other.name}' got ${attack.status} twice for the owner's id and ${missing?.status ?? '?'} for an id that does not exist, while the object's own read refuses '${other.name}'.`
        : `'${other.name}''s answer (${attack.status}, twice) carries '${leaked}' from the owner's object, which the request did not contain; the object's own read refuses '${other.name}'.`,
  });
  return 'reported';
}

function throttled(ctx: CheckContext, op: Operation): Outcome {
  ctx.untested(op.key, 'throttled');
  return 'throttled';
}

/** The last static path word names what the operation does: `/documents/lookup` -> lookup. */
function isReadLike(op: Operation): boolean {
  if (op.method === 'get' || op.method === 'head') return true;
  const last = op.path
    .split('/')
    .filter((s) => s !== '' && !s.startsWith('{'))
    .at(-1);
  return op.method === 'post' && last !== undefined && READ_WORDS.test(last);
}

/** A's object for the property: `documentId` names documents; a bare `id` the path's resource. */
function victim(
  ctx: CheckContext,
  op: Operation,
  property: string,
  owner: string,
  readLike: boolean,
): KnownObject | undefined {
  const named = BODY_ID.exec(property)?.[2];
  const candidates = named
    ? [singular(named)]
    : op.path
        .split('/')
        .filter((s) => s !== '' && !s.startsWith('{'))
        .reverse()
        .map(singular);
  for (const resource of candidates) {
    const found = ctx.objects.find(resource, {
      owner,
      ...(readLike ? {} : { createdByScanner: true }),
    });
    const object = found.find((o) => !o.createdByScanner) ?? found.at(-1);
    if (object) return object;
  }
  return undefined;
}

/**
 * True when the API's own item read (`GET /documents/{id}`) refuses `other` for the object, i.e. the
 * object is not meant to be B's. Without such a read: true when none of B's discovery answers named it.
 */
async function privateTo(
  ctx: CheckContext,
  object: KnownObject,
  other: string,
): Promise<boolean | 'throttled'> {
  const read = ctx.model.operations.find((o) => {
    const param = /\{([^}]+)\}$/.exec(o.path)?.[1];
    return (
      o.method === 'get' &&
      param !== undefined &&
      ctx.builder.resourceOf(o, param) === object.resource
    );
  });
  const param = read ? /\{([^}]+)\}$/.exec(read.path)?.[1] : undefined;
  const request =
    read && param
      ? ctx.builder.build(read, { identity: other, pathParams: { [param]: object.id } })
      : undefined;
  if (!request) {
    const seen = [...ctx.baselines.entries()].some(
      ([key, response]) => key.startsWith(`${other} `) && response.text.includes(String(object.id)),
    );
    return !seen;
  }
  const response = await ctx.http.send(request);
  if (isThrottled(response)) return 'throttled';
  return response.status >= 400 && response.status < 500 && response.status !== 429;
}

/** Values of the object that only someone who can see it would know (not ids, not what we sent). */
function fingerprints(object: KnownObject, sent: string): string[] {
  if (!isRecord(object.body)) return [];
  return Object.entries(object.body)
    .filter(([key, value]) => typeof value === 'string' && !ID_KEY.test(key))
    .map(([, value]) => value as string)
    .filter((value) => value.length >= MIN_FINGERPRINT && !sent.includes(value));
}

/** An id of the same shape that no object has. */
function missingId(id: string | number): string | number {
  if (typeof id === 'number') return 2_000_000_000 + Math.floor(Math.random() * 100_000_000);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id)) return randomUUID();
  if (/^\d+$/.test(id)) return String(2_000_000_000 + Math.floor(Math.random() * 100_000_000));
  return `bulwark-missing-${randomUUID()}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
