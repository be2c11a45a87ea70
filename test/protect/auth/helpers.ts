// Gateways with an auth section over a loopback upstream, and token builders for attack tests.
import type { TestContext } from 'node:test';
import type { AuthConfig } from '../../../src/core/config/sections/auth.js';
import type { ProtectConfig } from '../../../src/core/config/sections/protect.js';
import type { ApiModel } from '../../../src/core/openapi/model.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { resolvePolicy, type ProtectPolicy } from '../../../src/protect/engine/policy.js';
import { startProtect } from '../../../src/protect/engine/server.js';
import { stages } from '../../../src/protect/registry.js';
import {
  echo,
  LogSink,
  openapi,
  startUpstream,
  type Upstream,
  type UpstreamHandler,
} from '../helpers.js';

export { openapi };

/** The policy an auth-configured gateway runs with (protect.auth carried alongside). */
export function authPolicy(
  auth: AuthConfig,
  config: ProtectConfig = {},
  upstream?: string,
): ProtectPolicy {
  const base = resolvePolicy(config);
  return { ...base, ...(upstream ? { upstream } : {}), auth } as ProtectPolicy;
}

export interface AuthHarness {
  readonly url: string;
  readonly adminUrl: string;
  readonly upstream: Upstream;
  readonly logs: LogSink;
}

export async function authGateway(
  t: TestContext,
  model: ApiModel,
  auth: AuthConfig,
  handler: UpstreamHandler = echo,
): Promise<AuthHarness> {
  const upstream = await startUpstream(t, handler);
  const logs = new LogSink();
  const gw = await startProtect({
    model,
    policy: authPolicy(auth, {}, upstream.url),
    stages,
    upstream: upstream.url,
    port: 0,
    adminPort: 0,
    logger: createLogger(logs),
  });
  t.after(() => gw.close());
  return { url: gw.url, adminUrl: gw.adminUrl, upstream, logs };
}

const ok = {
  '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
};

/** A spec with a bearer scheme, an OAuth scheme and an API key scheme, and a few operations. */
export function securedSpec(): ApiModel {
  return openapi(
    {
      '/items': { get: { operationId: 'listItems', responses: ok } },
      '/public': { get: { operationId: 'publicInfo', security: [], responses: ok } },
      '/scoped': {
        get: { operationId: 'scoped', security: [{ oauth: ['items:write'] }], responses: ok },
      },
      '/either': {
        get: { operationId: 'either', security: [{ bearer: [] }, { key: [] }], responses: ok },
      },
      '/both': { get: { operationId: 'both', security: [{ bearer: [], key: [] }], responses: ok } },
      '/admin/stats': { get: { operationId: 'adminStats', responses: ok } },
    },
    {
      security: [{ bearer: [] }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          oauth: {
            type: 'oauth2',
            flows: {
              clientCredentials: {
                tokenUrl: 'https://idp.example/token',
                scopes: { 'items:write': 'write' },
              },
            },
          },
          key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
  );
}

export const b64 = (v: unknown): string =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A compact JWS from raw parts (for tokens jose refuses to build). */
export function rawJwt(header: unknown, payload: unknown, signature = ''): string {
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

export const now = (): number => Math.floor(Date.now() / 1000);

export async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers });
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});
