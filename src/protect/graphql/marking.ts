// Which operations are GraphQL endpoints: marked with `x-bulwark-graphql` in the spec, or listed in
// protect.graphql.operations (by operationId or key). Shared by the stage and by the startup step
// that fetches introspected schemas, so both agree on the same operations.
import { dirname } from 'node:path';
import type { ApiModel } from '../../core/openapi/model.js';
import type { CompiledOperation } from '../engine/router.js';
import type { ProtectPolicy } from '../engine/policy.js';

export type Section = Record<string, unknown>;

export function graphqlSection(policy: ProtectPolicy): Section | undefined {
  const value = (policy as unknown as Record<string, unknown>)['graphql'];
  return value !== null && typeof value === 'object' ? (value as Section) : undefined;
}

export function markedOperations(section: Section | undefined): ReadonlySet<string> {
  const ops = section?.['operations'];
  return new Set(Array.isArray(ops) ? ops.filter((o): o is string => typeof o === 'string') : []);
}

/** The operation's x-bulwark-graphql extension when it is a GraphQL endpoint, else undefined. */
export function graphqlMarker(
  op: {
    readonly extensions: Readonly<Record<string, unknown>>;
    readonly operationId?: string | undefined;
  },
  key: string,
  listed: ReadonlySet<string>,
): unknown {
  const ext = op.extensions['x-bulwark-graphql'];
  if (ext !== undefined && ext !== false) return ext === true ? {} : ext;
  if (listed.has(key) || (op.operationId !== undefined && listed.has(op.operationId))) return {};
  return undefined;
}

export function isGraphql(cop: CompiledOperation, listed: ReadonlySet<string>): boolean {
  return graphqlMarker(cop.op, cop.key, listed) !== undefined;
}

/**
 * Paths written in the spec's extension are relative to the spec file (like the audit's SDL rules
 * read them); a spec fetched from a URL has no folder, so they stay relative to the working directory.
 */
export function specDir(model: ApiModel): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(model.source) ? process.cwd() : dirname(model.source);
}
