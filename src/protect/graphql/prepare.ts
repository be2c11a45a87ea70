// Startup step before the gateway compiles: every GraphQL endpoint whose settings ask for the schema
// by introspection (and give no sdl or schemaFile) gets it fetched from the upstream now, once per
// URL. The SDL is handed to the stage in the policy's graphql section under a symbol key, so it can
// never come from bulwark.yaml. Stage compile stays synchronous (src/protect/engine/types.ts).
import type { ApiModel } from '../../core/openapi/model.js';
import type { ProtectPolicy } from '../engine/policy.js';
import { introspectSdl, introspectionSettings } from './introspect.js';
import { graphqlMarker, graphqlSection, markedOperations } from './marking.js';

/** Section key of the introspected SDL by operation key (set only by prepareGraphql). */
export const INTROSPECTED = Symbol('bulwark.graphql.introspected');

function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The introspected SDL for an operation, when prepareGraphql fetched one. */
export function introspectedSdl(section: unknown, key: string): string | undefined {
  const map = (obj(section) as Record<symbol, unknown>)[INTROSPECTED];
  return map instanceof Map ? (map.get(key) as string | undefined) : undefined;
}

/** Where the introspection query goes: the configured URL, else the upstream plus the op's path. */
export function introspectionUrl(upstream: string, path: string, configured?: string): string {
  if (configured !== undefined) return configured;
  const base = new URL(upstream);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  base.search = '';
  return base.href;
}

/** Returns the policy with every needed introspected schema resolved (the same policy if none). */
export async function prepareGraphql(
  model: ApiModel,
  policy: ProtectPolicy,
  upstream: string,
): Promise<ProtectPolicy> {
  const section = graphqlSection(policy);
  const listed = markedOperations(section);
  const byKey = new Map<string, string>();
  const byUrl = new Map<string, Promise<string>>();
  for (const op of model.operations) {
    const marker = graphqlMarker(op, op.key, listed);
    if (marker === undefined) continue;
    const merged = { ...obj(section), ...obj(marker) };
    if (merged['sdl'] !== undefined || merged['schemaFile'] !== undefined) continue;
    const settings = introspectionSettings(merged['schemaIntrospection']);
    if (settings === undefined) continue;
    const url = introspectionUrl(upstream, op.path, settings.url);
    let pending = byUrl.get(url);
    if (pending === undefined) {
      pending = introspectSdl(url, settings, op.key);
      byUrl.set(url, pending);
    }
    byKey.set(op.key, await pending);
  }
  if (byKey.size === 0) return policy;
  return { ...policy, graphql: { ...section, [INTROSPECTED]: byKey } } as ProtectPolicy;
}
