// Servers: OAS 3 `servers` arrays as written; Swagger 2.0 `schemes` x `host` + `basePath` become servers.

import type { JsonObject } from '../document.js';
import { isObject, locationOf, scalarOffset } from '../document.js';
import type { Server } from '../model.js';
import type { NormContext } from './context.js';
import { opt } from './context.js';

export function oas3Servers(ctx: NormContext, holder: JsonObject): Server[] | undefined {
  const list = ctx.list(holder, 'servers', 'servers');
  if (list === undefined) return undefined;
  const out: Server[] = [];
  list.forEach((node, index) => {
    if (!isObject(node)) throw ctx.invalid('a server must be a mapping', list, index);
    const url = ctx.str(node, 'url');
    if (url === undefined) throw ctx.invalid("a server has no 'url'", node);
    const variables = serverVariables(node['variables']);
    out.push(
      ctx.place(
        {
          url,
          ...opt('description', ctx.str(node, 'description')),
          ...opt('variables', variables),
          location: ctx.loc(node),
        },
        node,
      ),
    );
  });
  return out;
}

function serverVariables(raw: unknown): Server['variables'] | undefined {
  if (!isObject(raw)) return undefined;
  const out: Record<string, { default: string; enum?: readonly string[] }> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (!isObject(v)) continue;
    const values = Array.isArray(v['enum']) ? v['enum'].map(String) : undefined;
    out[name] = {
      default: v['default'] === undefined ? '' : String(v['default']),
      ...opt('enum', values),
    };
  }
  return out;
}

/**
 * Swagger 2.0 servers. Without `schemes`, the spec says to use the scheme the description was fetched
 * with: that of the source URL, or https for a local file (the safe assumption for a public API).
 */
export function swaggerServers(
  ctx: NormContext,
  holder: JsonObject,
  sourceScheme: string,
): Server[] {
  const host = ctx.str(ctx.root, 'host');
  const basePath = ctx.str(ctx.root, 'basePath') ?? '';
  const declared = holder['schemes'];
  const schemes = Array.isArray(declared)
    ? declared.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase())
    : [];
  if (host === undefined) {
    if (basePath === '' && holder === ctx.root) return [];
    const location = locateKey(ctx, 'basePath') ?? ctx.loc(ctx.root);
    return [fixed(ctx, { url: basePath || '/', location })];
  }
  const location = locateKey(ctx, 'host') ?? ctx.loc(ctx.root);
  return (schemes.length > 0 ? schemes : [sourceScheme]).map((scheme) =>
    fixed(ctx, { url: `${scheme}://${host}${basePath === '/' ? '' : basePath}`, location }),
  );
}

function fixed(ctx: NormContext, server: Server): Server {
  ctx.table.fix(server, server.location);
  return server;
}

function locateKey(ctx: NormContext, key: string) {
  const info = ctx.table.get(ctx.root);
  const offset = info ? scalarOffset(info, key) : undefined;
  return info && offset !== undefined ? locationOf(info, offset, key) : undefined;
}
