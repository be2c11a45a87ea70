// Builds the frozen ApiModel from a resolved document of any supported version.

import type { SpecLocation } from '../../finding.js';
import type { JsonObject, NodeTable, SourceDoc } from '../document.js';
import { isObject, locationOf, scalarOffset } from '../document.js';
import { deepFreeze } from '../freeze.js';
import { isUrl } from '../source.js';
import type { ApiInfo, ApiModel, Schema } from '../model.js';
import type { DetectedVersion } from '../version.js';
import { NormContext, extensions, opt } from './context.js';
import { operations } from './operations.js';
import { requirements, securitySchemes } from './security.js';
import { oas3Servers, swaggerServers } from './servers.js';

export interface BuildInput {
  readonly root: unknown;
  readonly rootDoc: SourceDoc;
  readonly docs: ReadonlyMap<string, SourceDoc>;
  readonly detected: DetectedVersion;
  readonly table: NodeTable;
  readonly shadows: WeakMap<object, Map<string | number, JsonObject>>;
  readonly sourceScheme: string;
}

export interface BuiltModel {
  readonly model: ApiModel;
  readonly warnings: readonly string[];
}

export function buildModel(input: BuildInput): BuiltModel {
  const { root, rootDoc, detected, table } = input;
  const ctx = new NormContext(table, detected.version, root as JsonObject, rootDoc.file);
  if (!isObject(root)) throw ctx.invalid('the document root must be a mapping', root);
  const info = apiInfo(ctx);
  if (detected.version === 'openapi-3.0' && root['paths'] === undefined) {
    throw ctx.invalid("an OpenAPI 3.0 description must have 'paths'", root);
  }
  const schemes = securitySchemes(ctx);
  const security = requirements(ctx, root, schemes);
  const servers =
    detected.version === 'swagger-2.0'
      ? swaggerServers(ctx, root, input.sourceScheme)
      : (oas3Servers(ctx, root) ?? []);
  const ops = operations(ctx, {
    schemes,
    rootSecurity: security,
    rootServers: servers,
    sourceScheme: input.sourceScheme,
  });
  const schemas = namedSchemas(ctx);
  const names = new Map<object, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    if (typeof schema === 'object' && !names.has(schema)) names.set(schema, name);
  }
  const files = [...input.docs.values()].map((d) => d.file);
  const model: ApiModel = {
    version: detected.version,
    specVersion: detected.specVersion,
    dialect: detected.dialect,
    // Never the credentials or query of a URL: the source ends up in reports (CWE-200).
    source: isUrl(rootDoc.uri) ? rootDoc.file : rootDoc.uri,
    info,
    servers,
    operations: ops,
    securitySchemes: schemes,
    security,
    schemas,
    extensions: extensions(root),
    files,
    locate: (node) => table.locate(node),
    locatePointer: cachedLocator(input),
    schemaName: (node) => names.get(node) ?? componentName(table, node),
  };
  const warnings = [...input.docs.values()].flatMap((d) =>
    d.warnings.map((w) => `${d.file}: ${w}`),
  );
  return { model: deepFreeze(model), warnings: [...warnings, ...ctx.warnings] };
}

function apiInfo(ctx: NormContext): ApiInfo {
  const node = ctx.map(ctx.root, 'info', "'info'");
  if (!node) throw ctx.invalid("the description has no 'info'", ctx.root);
  const text = (v: unknown) =>
    typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  return ctx.place(
    {
      title: text(node['title']),
      version: text(node['version']),
      ...opt('description', ctx.str(node, 'description')),
    },
    node,
  );
}

function namedSchemas(ctx: NormContext): Record<string, Schema> {
  const holder =
    ctx.version === 'swagger-2.0'
      ? ctx.map(ctx.root, 'definitions', "'definitions'")
      : (() => {
          const components = ctx.map(ctx.root, 'components', "'components'");
          return components ? ctx.map(components, 'schemas', "'components.schemas'") : undefined;
        })();
  const out: Record<string, Schema> = {};
  if (!holder) return out;
  for (const [name, schema] of Object.entries(holder)) {
    if (typeof schema === 'boolean' || isObject(schema)) out[name] = schema;
    else throw ctx.invalid(`schema '${name}' must be a mapping`, holder, name);
  }
  return out;
}

/** A schema defined under components/schemas, definitions or $defs of any file is named by its key. */
function componentName(table: NodeTable, node: object): string | undefined {
  const info = table.get(node);
  const key = info?.key;
  const parent = info?.parent;
  if (typeof key !== 'string' || !parent) return undefined;
  if (parent.key === 'definitions' || parent.key === '$defs') {
    return parent.parent?.key === undefined ? key : undefined;
  }
  if (parent.key === 'schemas' && parent.parent?.key === 'components') {
    return parent.parent.parent?.key === undefined ? key : undefined;
  }
  return undefined;
}

/**
 * locatePointer, remembered per (file, pointer): several audit rules ask for the same places (each
 * error-response rule asks for every operation's `responses`), and parsing and walking a pointer
 * again each time was a visible part of a corpus audit. Locations are immutable data.
 */
function cachedLocator(
  input: BuildInput,
): (pointer: string, file?: string) => SpecLocation | undefined {
  const cache = new Map<string, SpecLocation | undefined>();
  return (pointer, file) => {
    const key = file === undefined ? pointer : `${file}\0${pointer}`;
    if (cache.has(key)) return cache.get(key);
    const found = locatePointer(input, pointer, file);
    if (found) Object.freeze(found);
    cache.set(key, found);
    return found;
  };
}

function locatePointer(
  input: BuildInput,
  pointer: string,
  file?: string,
): SpecLocation | undefined {
  const doc =
    file === undefined
      ? input.rootDoc
      : [...input.docs.values()].find((d) => d.file === file || d.uri === file);
  if (!doc || (pointer !== '' && !pointer.startsWith('/'))) return undefined;
  const tokens =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.rawRoot;
  let info = typeof node === 'object' && node !== null ? input.table.get(node) : undefined;
  if (!info) return undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (typeof node !== 'object' || node === null || !info) return undefined;
    const key: string | number = Array.isArray(node) ? Number(token) : token;
    if (Array.isArray(node) && !/^(0|[1-9]\d*)$/.test(token)) return undefined;
    // Prefer what is written at this place: the Reference Object, not the shared target.
    const child = input.shadows.get(node)?.get(key) ?? (node as Record<string, unknown>)[key];
    if (child === undefined && !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    const childInfo =
      typeof child === 'object' && child !== null ? input.table.get(child) : undefined;
    const last = i === tokens.length - 1;
    if (childInfo && childInfo.parent === info) {
      node = child;
      info = childInfo;
      continue;
    }
    const offset = scalarOffset(info, key);
    if (last) {
      if (offset === undefined) return undefined;
      return { ...locationOf(info, offset), pointer };
    }
    node = child;
    info = childInfo;
  }
  return info ? { ...locationOf(info), pointer } : undefined;
}
