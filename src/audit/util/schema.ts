// Small, shared readers of JSON Schema nodes for the schema rules.
import type { SchemaObject } from '../../core/openapi/model.js';
import type { RuleContext, SchemaSite } from '../types.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The node's declared types: `type: string` and 3.1's `type: [string, 'null']` alike. */
export function hasType(node: SchemaObject, type: string): boolean {
  const declared = node['type'];
  return declared === type || (Array.isArray(declared) && declared.includes(type));
}

/**
 * Formats whose values have a bounded length, so `maxLength` adds nothing (RFC 4122 uuid, RFC 3339
 * date/time, RFC 2673/4291 addresses). `email`, `uri` and `byte` are not: their grammars allow
 * arbitrarily long values.
 */
export const LENGTH_BOUNDING_FORMATS: ReadonlySet<string> = new Set([
  'uuid',
  'date',
  'date-time',
  'time',
  'ipv4',
  'ipv6',
  'int32',
  'int64',
  'float',
  'double',
  'duration',
]);

/** A regex whose whole match is bounded: anchored at both ends, with no unbounded quantifier. */
export function isBoundedPattern(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) return false;
  // `*`, `+` and `{n,}` make it unbounded unless escaped.
  return !/(^|[^\\])([*+]|\{\d+,\})/.test(pattern);
}

export function hasEnumOrConst(node: SchemaObject): boolean {
  return Array.isArray(node['enum']) || node['const'] !== undefined;
}

/** The length of a string with this schema is bounded by the schema itself. */
export function isLengthBounded(node: SchemaObject): boolean {
  if (typeof node['maxLength'] === 'number' || hasEnumOrConst(node)) return true;
  const format = node['format'];
  if (typeof format === 'string' && LENGTH_BOUNDING_FORMATS.has(format)) return true;
  return isBoundedPattern(node['pattern']);
}

/** Sites used on a side, in document order. */
const bySide = new WeakMap<object, { request?: SchemaSite[]; response?: SchemaSite[] }>();

export function sitesOn(ctx: RuleContext, side: 'request' | 'response'): SchemaSite[] {
  // Several rules ask for the same side of the same index: filter once.
  const cached = bySide.get(ctx.schemas) ?? {};
  bySide.set(ctx.schemas, cached);
  return (cached[side] ??= ctx.schemas.sites.filter((site) => site[side]));
}

/** A short human name of a schema node: its component name or the property it sits under. */
export function describe(ctx: RuleContext, site: SchemaSite): string {
  const name = ctx.model.schemaName(site.node);
  if (name) return `schema '${name}'`;
  if (site.propertyName) return `property '${site.propertyName}'`;
  if (site.parameterName) return `parameter '${site.parameterName}'`;
  return 'inline schema';
}

/** Reports one finding per schema site on a side, with every operation using it. */
export function reportSites(
  ctx: RuleContext,
  side: 'request' | 'response',
  test: (node: SchemaObject, site: SchemaSite) => string | undefined,
): void {
  for (const site of sitesOn(ctx, side)) {
    const message = test(site.node, site);
    if (message === undefined) continue;
    const operations = ctx.schemas.operationsOf(site.node, side);
    ctx.report({ message, node: site.node, operations });
  }
}
