// Bulwark for the auth bench, in its own process: the lab spec with examples/lab/bulwark.yaml and
// response validation (the core bench's "full" case), and, unless mode is `none`, an auth section
// replacing the lab's: a JWT scheme (EdDSA or RS256, static public key), RBAC on createDocument and
// the response ownership check on getDocument. argv: mode upstream keyJson [cacheEntries]
import { loadConfig } from '../../src/core/config/index.js';
import type { AuthConfig } from '../../src/core/config/sections/auth.js';
import { loadSpec } from '../../src/core/openapi/load.js';
import { createLogger } from '../../src/protect/engine/observe.js';
import { resolvePolicy, type ProtectPolicy } from '../../src/protect/engine/policy.js';
import { startProtect } from '../../src/protect/engine/server.js';
import { stages } from '../../src/protect/registry.js';

const root = new URL('../..', import.meta.url).pathname;
const [mode = 'none', upstream = '', keyJson = '{}', cacheArg = '10000'] = process.argv.slice(2);
const model = await loadSpec('examples/lab/openapi.yaml', { cwd: root });
// The lab's own auth section (HS256 lab tokens) is replaced by the bench's, or removed for `none`.
// Its rate limits (issue 6, bench/ratelimit) are dropped: one bench token would otherwise be 429s.
const {
  auth: _labAuth,
  rateLimit: _labRateLimit,
  ...section
} = loadConfig('examples/lab/bulwark.yaml', { cwd: root, env: {} }).protect ?? {};
const base = resolvePolicy({
  ...section,
  listen: { host: '127.0.0.1', port: 0 },
  admin: { host: '127.0.0.1', port: 0 },
  responses: { ...section.responses, validate: 'log' },
});
const auth: AuthConfig = {
  schemes: {
    bearerAuth: {
      type: 'jwt',
      algorithms: [mode === 'rs256' ? 'RS256' : 'EdDSA'],
      issuer: 'bulwark-bench',
      audience: 'bulwark-lab-api',
      keys: [{ kid: 'bench', jwk: JSON.parse(keyJson) as Record<string, unknown> }],
      claims: { roles: 'role' },
    },
  },
  roles: { user: ['documents:write'] },
  tokenCache: { maxEntries: Number(cacheArg) },
  operations: {
    createDocument: { permissions: ['documents:write'] },
    getDocument: { ownership: { response: '/owner_id', override: ['documents:any'] } },
  },
};
const policy = (mode === 'none' ? base : { ...base, auth }) as ProtectPolicy;
void _labAuth;
void _labRateLimit;
const running = await startProtect({
  model,
  policy,
  stages,
  upstream,
  port: 0,
  adminPort: 0,
  logger: createLogger(undefined, process.env['BULWARK_LOG'] ?? 'info'),
});
console.log(`ready ${new URL(running.url).port}`);
const stop = (): void => void running.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
