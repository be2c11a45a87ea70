// Per-operation authorization plans, compiled once: required permissions (x-bulwark-permissions, the
// config, and `admin` for admin paths by default), the ABAC rule, and the ownership check.
import type { AuthConfig, AuthOwnership } from '../../core/config/sections/auth.js';
import { BulwarkError } from '../../core/errors.js';
import type { CompiledOperation } from '../engine/router.js';
import { parseRule, type Rule } from './expr.js';
import { parsePointer } from './pointer.js';

export interface OwnershipPlan {
  readonly claim: string;
  readonly override: readonly string[];
  /** Index into ctx.pathParams of the parameter that must equal the claim. */
  readonly paramIndex: number | undefined;
  readonly response: string | undefined;
  // The response pointer, parsed once: `item` is read on the object, or on each element of the
  // array at `list` (for `/items/*/owner_id`: list /items, item /owner_id), or on each element of a
  // top-level array answer when the pointer has no `*`.

  readonly responsePath:
    { readonly list?: readonly string[]; readonly item: readonly string[] } | undefined;
  readonly preflight: { readonly op: CompiledOperation; readonly field: string } | undefined;
}

export interface AuthzPlan {
  readonly permissions: readonly string[];
  readonly rule: Rule | undefined;
  readonly ownership: OwnershipPlan | undefined;
}

function invalid(message: string): BulwarkError {
  return new BulwarkError('BULWARK_ERR_CONFIG_INVALID', message);
}

/** OWASP API5: admin functions are denied to ordinary users unless the config says otherwise. */
function isAdmin(op: CompiledOperation): boolean {
  return op.template.split('/').includes('admin') || op.op.tags.includes('admin');
}

function ownership(
  op: CompiledOperation,
  o: AuthOwnership,
  ops: readonly CompiledOperation[],
): OwnershipPlan {
  const where = `auth.operations.${op.operationId}.ownership`;
  let paramIndex: number | undefined;
  if (o.param !== undefined) {
    paramIndex = op.pathParamNames.indexOf(o.param);
    if (paramIndex === -1) throw invalid(`${where}: ${op.key} has no path parameter ${o.param}`);
  }
  let preflight: OwnershipPlan['preflight'];
  if (o.preflight) {
    const target = ops.find((c) => c.operationId === o.preflight!.operation);
    if (!target || target.method !== 'GET') {
      throw invalid(`${where}.preflight: ${o.preflight.operation} is not a GET operation`);
    }
    for (const p of target.pathParamNames) {
      if (!op.pathParamNames.includes(p)) {
        throw invalid(`${where}.preflight: ${op.key} cannot fill path parameter ${p}`);
      }
    }
    preflight = { op: target, field: o.preflight.field };
  }
  if (paramIndex === undefined && !preflight && o.response === undefined) {
    throw invalid(`${where}: give param, response or preflight`);
  }
  return {
    claim: o.claim ?? 'sub',
    override: o.override ?? [],
    paramIndex,
    response: o.response,
    responsePath: o.response === undefined ? undefined : responsePath(o.response),
    preflight,
  };
}

function responsePath(field: string): NonNullable<OwnershipPlan['responsePath']> {
  const star = field.indexOf('/*/');
  return star === -1
    ? { item: parsePointer(field) }
    : { list: parsePointer(field.slice(0, star)), item: parsePointer(field.slice(star + 2)) };
}

export function compileAuthz(
  config: AuthConfig,
  operations: readonly CompiledOperation[],
): AuthzPlan[] {
  const known = new Set(operations.map((o) => o.operationId));
  for (const id of Object.keys(config.operations ?? {})) {
    if (!known.has(id)) throw invalid(`auth.operations: the spec has no operation ${id}`);
  }
  return operations.map((op) => {
    const conf = op.operationId === undefined ? undefined : config.operations?.[op.operationId];
    const ext = op.op.extensions['x-bulwark-permissions'];
    const fromSpec = Array.isArray(ext)
      ? ext.filter((p): p is string => typeof p === 'string')
      : [];
    const declared = [...fromSpec, ...(conf?.permissions ?? [])];
    const permissions =
      declared.length === 0 && isAdmin(op) && conf?.public !== true
        ? ['admin']
        : [...new Set(declared)];
    return {
      permissions,
      rule: conf?.rule === undefined ? undefined : parseRule(conf.rule),
      ownership: conf?.ownership ? ownership(op, conf.ownership, operations) : undefined,
    };
  });
}
