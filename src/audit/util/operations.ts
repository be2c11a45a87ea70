// Readers of operations and their security shared by several rules.
import type { Operation, SecurityRequirement } from '../../core/openapi/model.js';

export const WRITE_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch', 'delete']);
export const READ_METHODS: ReadonlySet<string> = new Set(['get', 'head']);

/**
 * Whether anyone may call the operation without credentials: no security declared at all, an empty
 * list (`security: []`), or an alternative with no scheme (`security: [{}]`, OpenAPI 3.1 §4.8.30).
 */
export function isAnonymous(op: Operation): 'undeclared' | 'public' | 'optional' | false {
  const declared = op.security.declared;
  if (declared === undefined) return 'undeclared';
  if (declared.length === 0) return 'public';
  if (declared.some((req) => req.schemes.length === 0)) return 'optional';
  return false;
}

/** A canonical text of one requirement alternative: scheme names with sorted scopes. */
export function requirementKey(req: SecurityRequirement): string {
  return req.schemes
    .map((s) => `${s.scheme.name}[${[...s.scopes].sort().join(',')}]`)
    .sort()
    .join('&');
}

// A word starting with admin/superuser/sudo: `/admin`, `/admins/{id}`, `AdministrationTag`.
const ADMIN_WORD = /(^|[^a-z])(admin|superuser|sudo)/i;

/** Administrative operations: by path segment, tag or operationId (not only the URL, per API5). */
export function isAdminOperation(op: Operation): boolean {
  const words = [op.path, ...op.tags, op.operationId ?? ''];
  return words.some((word) => ADMIN_WORD.test(word.replace(/([a-z])([A-Z])/g, '$1 $2')));
}

/** The operation accepts client input: parameters or a request body. */
export function takesInput(op: Operation): boolean {
  return op.parameters.length > 0 || op.requestBody !== undefined;
}
