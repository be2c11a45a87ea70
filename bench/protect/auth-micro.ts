// bench/protect/auth-micro.ts: the CPU that the auth stages add per request, in process, without
// HTTP. It runs the gateway's request and response phases for the auth bench's GET (the full lab
// policy with response validation, a JWT verified once and then served from the token cache, RBAC,
// ownership on the answer) and reports CPU microseconds per request (process.cpuUsage, so other
// processes on a loaded machine disturb it far less than wall-clock req/s). It complements
// bench/protect/auth.mjs: that one measures the whole proxy; this one points at the auth stages.
//
// Usage: npx tsx bench/protect/auth-micro.ts [EdDSA|RS256] [--requests 20000]
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { loadConfig } from '../../src/core/config/index.js';
import type { AuthConfig } from '../../src/core/config/sections/auth.js';
import { loadSpec } from '../../src/core/openapi/load.js';
import { RequestContext } from '../../src/protect/engine/context.js';
import { createGateway } from '../../src/protect/engine/gateway.js';
import { resolvePolicy, type ProtectPolicy } from '../../src/protect/engine/policy.js';
import { UpstreamReply } from '../../src/protect/engine/reply.js';
import { stages } from '../../src/protect/registry.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { requests: { type: 'string', default: '20000' } },
});
const alg = positionals[0] === 'RS256' ? 'RS256' : 'EdDSA';
const perRound = Number(values.requests);
const root = new URL('../..', import.meta.url).pathname;
const DOC = '3f1c2a4e-8b7d-4c2e-9f1a-2b3c4d5e6f70';
const OWNER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'; // as in auth-upstream.mjs

const model = await loadSpec('examples/lab/openapi.yaml', { cwd: root });
const {
  auth: _labAuth,
  rateLimit: _labRateLimit,
  ...section
} = loadConfig('examples/lab/bulwark.yaml', { cwd: root, env: {} }).protect ?? {};
void _labAuth;
void _labRateLimit;
const base = resolvePolicy({
  ...section,
  upstream: 'http://127.0.0.1:9',
  responses: { ...section.responses, validate: 'log' },
});

const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench' };
const token = await new SignJWT({ role: 'user' })
  .setProtectedHeader({ alg, kid: 'bench', typ: 'JWT' })
  .setSubject(OWNER)
  .setIssuer('bulwark-bench')
  .setAudience('bulwark-lab-api')
  .setIssuedAt()
  .setExpirationTime('2h')
  .sign(privateKey);
const authn: AuthConfig = {
  schemes: {
    bearerAuth: {
      type: 'jwt',
      algorithms: [alg],
      issuer: 'bulwark-bench',
      audience: 'bulwark-lab-api',
      keys: [{ kid: 'bench', jwk }],
      claims: { roles: 'role' },
    },
  },
  roles: { user: ['documents:write'] },
};
const full: AuthConfig = {
  ...authn,
  operations: {
    createDocument: { permissions: ['documents:write'] },
    getDocument: { ownership: { response: '/owner_id', override: ['documents:any'] } },
  },
};
const body = Buffer.from(
  JSON.stringify({
    id: DOC,
    owner_id: OWNER,
    title: 'bench',
    content: 'x'.repeat(256),
    classification: null,
    created_at: '2026-11-28T12:00:00Z',
  }),
);

/** Min and median CPU µs per request over 5 rounds of `perRound` requests. */
async function measure(policy: ProtectPolicy): Promise<{ min: number; median: number }> {
  const gw = createGateway(model, policy, stages);
  const one = async (): Promise<void> => {
    const authorization = `Bearer ${token}`;
    const ctx = new RequestContext(
      'bench',
      'GET',
      `/api/v2/documents/${DOC}`,
      { host: 'lab', authorization },
      ['Host', 'lab', 'Authorization', authorization],
      Readable.from([]),
      '127.0.0.1',
      false,
    );
    if (await gw.runRequest(ctx)) throw new Error('the bench request was refused');
    const reply = new UpstreamReply(
      200,
      { 'content-type': 'application/json', 'content-length': String(body.length) },
      undefined,
    );
    if (gw.needsBody(ctx, reply)) {
      reply.body = body;
      reply.json = JSON.parse(body.toString('utf8')) as unknown;
      reply.hasJson = true;
    }
    if (await gw.runResponse(ctx, reply)) throw new Error('the bench answer was refused');
  };
  for (let i = 0; i < 5000; i++) await one(); // warm-up: JIT, token cache
  const rounds: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < perRound; i++) await one();
    const used = process.cpuUsage(t0);
    rounds.push((used.user + used.system) / perRound);
  }
  await gw.close();
  rounds.sort((a, b) => a - b);
  return { min: rounds[0]!, median: rounds[2]! };
}

const cases: [string, ProtectPolicy][] = [
  ['full lab policy, no auth', base],
  [`+ authn ${alg} (cached token)`, { ...base, auth: authn } as ProtectPolicy],
  [`+ authn ${alg}, RBAC, ownership`, { ...base, auth: full } as ProtectPolicy],
];
const results = new Map<string, number[]>();
for (let rep = 0; rep < 2; rep++) {
  for (const [name, policy] of cases) {
    const r = await measure(policy);
    (results.get(name) ?? results.set(name, []).get(name)!).push(r.min);
  }
}
const best = (name: string) => Math.min(...results.get(name)!);
const none = best(cases[0]![0]);
for (const [name] of cases) {
  const us = best(name);
  console.log(
    `${name.padEnd(34)} ${us.toFixed(1)} µs CPU/request  (+${(us - none).toFixed(1)} µs vs no auth)`,
  );
}
