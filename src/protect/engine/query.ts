// Query-string parsing as OpenAPI serialises parameters (OpenAPI 3 §4.8.12.4 style/explode): the raw
// string is split once into name -> values; styles are applied per declared parameter afterwards.
// Malformed percent-encoding is a refusal, never "best effort" (the upstream may decode it otherwise).

export type QueryMap = Map<string, string[]>;

function decode(text: string): string | undefined {
  const s = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Returns undefined when the query is malformed. */
export function parseQuery(query: string): QueryMap | undefined {
  const map: QueryMap = new Map();
  if (query === '') return map;
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const pair = query.slice(start, end);
      const eq = pair.indexOf('=');
      const name = decode(eq === -1 ? pair : pair.slice(0, eq));
      const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
      if (name === undefined || value === undefined) return undefined;
      const list = map.get(name);
      if (list) list.push(value);
      else map.set(name, [value]);
    }
    start = end + 1;
  }
  return map;
}

/** Cookie header -> name -> value (RFC 6265 §5.4; first occurrence wins as browsers send it). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (!header) return map;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (!map.has(name)) map.set(name, part.slice(eq + 1).trim());
  }
  return map;
}
