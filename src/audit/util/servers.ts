// Every distinct server of a model (root, path and operation level), with variables filled in.
import type { ApiModel, Server } from '../../core/openapi/model.js';

export function allServers(model: ApiModel): Server[] {
  const servers = new Map<string, Server>();
  for (const s of model.servers) servers.set(`${s.location.file}#${s.location.pointer}`, s);
  for (const op of model.operations)
    for (const s of op.servers) servers.set(`${s.location.file}#${s.location.pointer}`, s);
  return [...servers.values()];
}

/** The server URL with `{variables}` replaced by their defaults. */
export function expandServerUrl(server: Server): string {
  return server.url.replace(
    /\{([^}]+)\}/g,
    (whole, name: string) => server.variables?.[name]?.default ?? whole,
  );
}

/** The host of a server URL, lower case, without brackets or port; undefined when relative. */
export function serverHost(server: Server): string | undefined {
  const url = expandServerUrl(server).trim();
  const match = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url);
  return match?.[1]?.replace(/^\[|\]$/g, '').toLowerCase();
}
