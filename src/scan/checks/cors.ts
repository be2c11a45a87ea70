// API8:2023 / CWE-942: CORS trusts any origin with credentials. A read and a preflight are sent with
// an origin the API cannot have allowed. Proof: Access-Control-Allow-Origin echoes it (or is `*`)
// together with Access-Control-Allow-Credentials: true, twice.
import { location } from '../engine/classify.js';
import type { ScanCheck, ScanResponse } from '../types.js';

const EVIL = 'https://bulwark-evil.example';

export const cors: ScanCheck = {
  id: 'scan:api8:cors-any-origin',
  owasp: 'API8:2023',
  cwe: 'CWE-942',
  severity: 'high',
  confidence: 'certain',
  title: 'CORS allows any origin with credentials',
  remediation:
    'Allow an explicit list of origins; never reflect the Origin header, and never combine a wildcard or reflected origin with Access-Control-Allow-Credentials: true (Fetch standard §3.2).',
  intrusive: false,
  async run(ctx) {
    const identity = ctx.identities.all[0];
    const op = ctx.model.operations.find((o) => o.method === 'get' && !o.path.includes('{'));
    if (!op) return;
    const request = ctx.builder.build(op, identity ? { identity: identity.name } : {});
    if (!request) return;
    const probes = [
      { ...request, headers: { ...request.headers, origin: EVIL } },
      {
        method: 'OPTIONS',
        path: request.path,
        headers: {
          origin: EVIL,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      },
    ];
    for (const probe of probes) {
      const response = await ctx.http.send(probe);
      if (!reflects(response)) continue;
      const replay = await ctx.http.send(probe);
      if (!reflects(replay)) continue;
      ctx.report({
        location: location(op, response.exchange.request.url),
        message: `The API answers Origin: ${EVIL} with Access-Control-Allow-Origin: ${response.headers['access-control-allow-origin']} and credentials allowed.`,
        exchanges: [response],
      });
      return;
    }
  },
};

function reflects(response: ScanResponse): boolean {
  const allowed = response.headers['access-control-allow-origin'];
  const credentials =
    response.headers['access-control-allow-credentials']?.toLowerCase() === 'true';
  return credentials && (allowed === EVIL || allowed === '*');
}
