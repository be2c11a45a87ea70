// Security schemes and requirements, both versions, into the model's SecurityScheme union.
// Swagger 2.0 `basic` becomes http/basic and its oauth2 flows get their OAS 3 names
// (implicit, password, application -> clientCredentials, accessCode -> authorizationCode).
// HTTP auth scheme names are case-insensitive (RFC 7235 section 2.1), so they are lower-cased.

import type { JsonObject } from '../document.js';
import { isObject } from '../document.js';
import type { OAuthFlow, SecurityRequirement, SecurityScheme } from '../model.js';
import type { NormContext } from './context.js';
import { extensions, opt } from './context.js';

type Flows = Extract<SecurityScheme, { type: 'oauth2' }>['flows'];
type FlowName = keyof Flows;

const SWAGGER_FLOWS: Readonly<Record<string, FlowName>> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
};
const OAS3_FLOWS: readonly FlowName[] = [
  'implicit',
  'password',
  'clientCredentials',
  'authorizationCode',
];

export function securitySchemes(ctx: NormContext): Record<string, SecurityScheme> {
  const source =
    ctx.version === 'swagger-2.0'
      ? ctx.map(ctx.root, 'securityDefinitions', 'securityDefinitions')
      : (() => {
          const components = ctx.map(ctx.root, 'components', 'components');
          return components ? ctx.map(components, 'securitySchemes', 'securitySchemes') : undefined;
        })();
  const out: Record<string, SecurityScheme> = {};
  if (!source) return out;
  for (const [name, node] of Object.entries(source)) {
    if (name.startsWith('x-') && ctx.version === 'swagger-2.0') continue;
    if (!isObject(node))
      throw ctx.invalid(`security scheme '${name}' must be a mapping`, source, name);
    const scheme = toScheme(ctx, name, node);
    if (scheme) out[name] = ctx.place(scheme, node);
  }
  return out;
}

function toScheme(ctx: NormContext, name: string, node: JsonObject): SecurityScheme | undefined {
  const base = {
    name,
    ...opt('description', ctx.str(node, 'description')),
    extensions: extensions(node),
    location: ctx.loc(node),
  };
  const type = ctx.str(node, 'type');
  switch (type) {
    case 'basic':
      if (ctx.version !== 'swagger-2.0') break;
      return { type: 'http', scheme: 'basic', ...base };
    case 'http': {
      const scheme = (ctx.str(node, 'scheme') ?? '').toLowerCase();
      if (!scheme) throw ctx.invalid(`security scheme '${name}' has no 'scheme'`, node);
      if (scheme === 'bearer') {
        return {
          type: 'http',
          scheme: 'bearer',
          ...opt('bearerFormat', ctx.str(node, 'bearerFormat')),
          ...base,
        };
      }
      return { type: 'http', scheme, ...base };
    }
    case 'apiKey': {
      const where = ctx.str(node, 'in');
      const paramName = ctx.str(node, 'name');
      if (
        where !== 'header' &&
        where !== 'query' &&
        (where !== 'cookie' || ctx.version === 'swagger-2.0')
      ) {
        throw ctx.invalid(`apiKey scheme '${name}' has an invalid 'in'`, node, 'in');
      }
      if (paramName === undefined) throw ctx.invalid(`apiKey scheme '${name}' has no 'name'`, node);
      return { type: 'apiKey', in: where, paramName, ...base };
    }
    case 'oauth2':
      return { type: 'oauth2', flows: flows(ctx, name, node), ...base };
    case 'openIdConnect': {
      if (ctx.version === 'swagger-2.0') break;
      const url = ctx.str(node, 'openIdConnectUrl');
      if (url === undefined) throw ctx.invalid(`openIdConnect scheme '${name}' has no URL`, node);
      return { type: 'openIdConnect', openIdConnectUrl: url, ...base };
    }
    case 'mutualTLS':
      if (ctx.version !== 'openapi-3.1') break;
      return { type: 'mutualTLS', ...base };
    default:
      break;
  }
  throw ctx.invalid(
    `security scheme '${name}' has an unknown type for this version`,
    node,
    type === undefined ? undefined : 'type',
  );
}

function flows(ctx: NormContext, name: string, node: JsonObject): Flows {
  const out: Partial<Record<FlowName, OAuthFlow>> = {};
  if (ctx.version === 'swagger-2.0') {
    const flowName = SWAGGER_FLOWS[ctx.str(node, 'flow') ?? ''];
    if (!flowName) throw ctx.invalid(`oauth2 scheme '${name}' has an unknown flow`, node, 'flow');
    out[flowName] = ctx.place(flow(node), node);
    return out;
  }
  const source = ctx.map(node, 'flows', `oauth2 scheme '${name}' flows`) ?? {};
  for (const flowName of OAS3_FLOWS) {
    const f = source[flowName];
    if (isObject(f)) out[flowName] = ctx.place(flow(f), f);
  }
  return out;
}

function flow(node: JsonObject): OAuthFlow {
  const scopes: Record<string, string> = {};
  const raw = node['scopes'];
  if (isObject(raw)) {
    for (const [scope, text] of Object.entries(raw)) {
      if (!scope.startsWith('x-')) scopes[scope] = typeof text === 'string' ? text : '';
    }
  }
  const str = (k: string) => (typeof node[k] === 'string' ? (node[k] as string) : undefined);
  return {
    ...opt('authorizationUrl', str('authorizationUrl')),
    ...opt('tokenUrl', str('tokenUrl')),
    ...opt('refreshUrl', str('refreshUrl')),
    scopes,
  };
}

/** A `security` array into requirements; undefined when the key is absent. */
export function requirements(
  ctx: NormContext,
  holder: JsonObject,
  schemes: Readonly<Record<string, SecurityScheme>>,
): SecurityRequirement[] | undefined {
  const list = ctx.list(holder, 'security', 'security');
  if (list === undefined) return undefined;
  return list.map((entry, index) => {
    if (!isObject(entry))
      throw ctx.invalid('a security requirement must be a mapping', list, index);
    const out: { scheme: SecurityScheme; scopes: readonly string[] }[] = [];
    for (const [name, scopes] of Object.entries(entry)) {
      const scheme = schemes[name];
      if (!scheme) {
        throw ctx.invalid(`security requirement names an undefined scheme '${name}'`, entry, name);
      }
      const list = Array.isArray(scopes)
        ? scopes.filter((s): s is string => typeof s === 'string')
        : [];
      out.push({ scheme, scopes: list });
    }
    return ctx.place({ schemes: out }, entry);
  });
}
