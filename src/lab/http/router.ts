// A small exact router: literal segments and `{name}` parameters, nothing else. Matching is by
// segment, after the server has decoded and checked the path, so `..` or encoded slashes can never
// select a different route than the one the handler believes it serves.

export type Params = Readonly<Record<string, string>>;

export interface Route<H> {
  readonly method: string;
  readonly path: string;
  readonly handler: H;
}

interface Compiled<H> extends Route<H> {
  readonly segments: readonly string[];
}

export type RouteMatch<H> =
  | { readonly kind: 'found'; readonly route: Route<H>; readonly params: Params }
  | { readonly kind: 'method'; readonly allow: readonly string[] }
  | { readonly kind: 'none' };

export class Router<H> {
  readonly #routes: Compiled<H>[] = [];

  add(method: string, path: string, handler: H): this {
    this.#routes.push({ method, path, handler, segments: path.split('/').slice(1) });
    return this;
  }

  get routes(): readonly Route<H>[] {
    return this.#routes;
  }

  match(method: string, segments: readonly string[]): RouteMatch<H> {
    const allow: string[] = [];
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'method', allow } : { kind: 'none' };
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Params | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    const got = actual[i] as string;
    if (want.startsWith('{') && want.endsWith('}')) {
      if (got === '') return undefined;
      params[want.slice(1, -1)] = got;
    } else if (want !== got) return undefined;
  }
  return params;
}
