// Heuristics that tell the engine and checks what an operation is for. Config always wins: an
// operation named in `scan.adminOperations` or `scan.sensitiveFlows` is treated as such regardless.
import type { ApiModel, Operation, Schema } from '../../core/openapi/model.js';
import type { ScanSettings } from '../settings.js';
import { isUrlLike } from './sample.js';

function named(op: Operation, list: readonly string[]): boolean {
  return list.some(
    (entry) => entry === op.operationId || entry.toUpperCase() === op.key.toUpperCase(),
  );
}

/** Admin-only by tag, path segment, security scope or config (API5). */
export function isAdminOperation(
  op: Operation,
  settings: Pick<ScanSettings, 'adminOperations' | 'adminPaths' | 'adminTags'>,
): boolean {
  if (named(op, settings.adminOperations)) return true;
  if (op.tags.some((t) => settings.adminTags.includes(t))) return true;
  if (
    settings.adminPaths.some((p) =>
      p.endsWith('*') ? op.path.startsWith(p.slice(0, -1)) : op.path === p,
    )
  ) {
    return true;
  }
  const permissions = op.extensions['x-bulwark-permissions'];
  if (Array.isArray(permissions) && permissions.some((p) => /admin/i.test(String(p)))) return true;
  if (op.tags.some((t) => /admin|internal|management/i.test(t))) return true;
  if (/(^|\/)(admin|internal|management|manage)(\/|$)/i.test(op.path)) return true;
  return (op.security.declared ?? []).some((req) =>
    req.schemes.some((s) => s.scopes.some((scope) => /admin|manage|write:all/i.test(scope))),
  );
}

export function isLoginLike(op: Operation): boolean {
  return /(^|\/)(login|signin|sign-in|token|oauth|session|sessions|authenticate)(\/|$)/i.test(
    op.path,
  );
}

// Whole words only (`/orders`, `createInvitation`), so `payload` or `display` is no payment.
const FLOW_WORDS = new Set([
  'invite',
  'invitation',
  'signup',
  'register',
  'registration',
  'purchase',
  'order',
  'checkout',
  'reset',
  'transfer',
  'payment',
  'pay',
  'redeem',
  'coupon',
  'voucher',
  'vote',
  'otp',
  'verify',
  'verification',
  'referral',
  'refer',
]);

/** Lower-case words of a path or operationId, singular: `/api/v2/sendInvitations` -> ..., invitation. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase().replace(/s$/, ''));
}

export function isConfiguredFlow(
  op: Operation,
  settings: Pick<ScanSettings, 'sensitiveFlows'>,
): boolean {
  return named(op, settings.sensitiveFlows);
}

/** Sensitive business flows (API6): by config, or by words in the path or operationId. */
export function isSensitiveFlow(
  op: Operation,
  settings: Pick<ScanSettings, 'sensitiveFlows'>,
): boolean {
  if (isConfiguredFlow(op, settings)) return true;
  if (op.method !== 'post' || isLoginLike(op)) return false;
  return [...words(op.path), ...words(op.operationId ?? '')].some((w) => FLOW_WORDS.has(w));
}

/** True when the operation declares a security requirement that is not satisfiable anonymously. */
export function requiresAuth(op: Operation, model: ApiModel): boolean {
  const declared = op.security.declared ?? model.security;
  if (!declared || declared.length === 0) return false;
  return declared.every((req) => req.schemes.length > 0);
}

/** URL-like inputs of an operation: body properties and query parameters (API7). */
export function urlInputs(op: Operation): { in: 'body' | 'query'; name: string }[] {
  const out: { in: 'body' | 'query'; name: string }[] = [];
  for (const p of op.parameters) {
    if (p.in === 'query' && isUrlLike(p.name, p.schema)) out.push({ in: 'query', name: p.name });
  }
  const media = op.requestBody?.content.find((m) => /json/i.test(m.mediaType));
  const properties = objectProperties(media?.schema);
  for (const [name, schema] of Object.entries(properties)) {
    if (isUrlLike(name, schema)) out.push({ in: 'body', name });
  }
  return out;
}

export function consumesUrl(op: Operation): boolean {
  return urlInputs(op).length > 0;
}

export function objectProperties(schema: Schema | undefined): Record<string, Schema> {
  if (typeof schema !== 'object') return {};
  const out: Record<string, Schema> = {
    ...((schema['properties'] as Record<string, Schema> | undefined) ?? {}),
  };
  for (const part of (schema['allOf'] as Schema[] | undefined) ?? [])
    Object.assign(out, objectProperties(part));
  return out;
}

export function findOperation(model: ApiModel, reference: string): Operation | undefined {
  return model.operations.find(
    (op) => op.operationId === reference || op.key.toUpperCase() === reference.toUpperCase(),
  );
}

/** The GET that reads back what `op` writes: same path, or the object path for POST/action ops. */
export function readBackOperation(model: ApiModel, op: Operation): Operation | undefined {
  const gets = model.operations.filter((o) => o.method === 'get');
  const same = gets.find((o) => o.path === op.path);
  if (same && op.method !== 'post') return same;
  // `/documents/{id}/classify` -> `/documents/{id}`
  const parent = op.path.replace(/\/[^/{}]+$/, '');
  return (
    gets.find((o) => o.path === parent && parent.includes('{')) ??
    (op.method === 'post' ? undefined : same)
  );
}

export function location(op: Operation, url?: string) {
  return { operation: op.key, spec: op.location, ...(url ? { url } : {}) };
}

/** The root, the API base, and the static prefix every documented path (or the largest group of them) shares (e.g. `/api/v2/`). */
export function pathPrefixes(model: ApiModel, settings: Pick<ScanSettings, 'base'>): string[] {
  const base = settings.base.pathname.replace(/\/+$/, '');
  const lists = model.operations.map((o) => o.path.split('/').filter(Boolean));
  // The prefix all operations share, and the one the largest group shares: one endpoint outside
  // the API base (a root /graphql next to /api/v2/...) must not hide the base.
  const groups = new Map<string, string[][]>();
  for (const l of lists) groups.set(l[0] ?? '', [...(groups.get(l[0] ?? '') ?? []), l]);
  const largest = [...groups.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return [...new Set(['/', `${base}/`, sharedPrefix(base, lists), sharedPrefix(base, largest)])];
}

function sharedPrefix(base: string, lists: readonly string[][]): string {
  const common: string[] = [];
  for (let i = 0; lists.length > 0 && lists.every((l) => l.length > i + 1); i++) {
    const segment = lists[0]?.[i];
    if (!segment || segment.includes('{') || !lists.every((l) => l[i] === segment)) break;
    common.push(segment);
  }
  return common.length > 0 ? `${base}/${common.join('/')}/` : `${base}/`;
}
