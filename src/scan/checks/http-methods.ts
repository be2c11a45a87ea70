// API8:2023 / CWE-16: TRACE and other debugging methods are enabled. TRACE echoes the request,
// including credentials, which cross-site tracing can read. Proof: a 2xx to TRACE/TRACK, with the
// request echoed for TRACE.
import type { ScanCheck } from '../types.js';
import { ok } from '../engine/compare.js';

export const httpMethods: ScanCheck = {
  id: 'scan:api8:trace-enabled',
  owasp: 'API8:2023',
  cwe: 'CWE-16',
  severity: 'medium',
  confidence: 'certain',
  title: 'TRACE or TRACK is enabled',
  remediation: 'Disable TRACE and TRACK in the server and any proxy in front of it (answer 405).',
  intrusive: false,
  async run(ctx) {
    const paths = [
      '/',
      ...new Set(
        ctx.model.operations
          .map((o) => o.path)
          .filter((p) => !p.includes('{'))
          .slice(0, 3),
      ),
    ];
    for (const method of ['TRACE', 'TRACK']) {
      for (const path of paths) {
        const response = await ctx.http
          .send({ method, path, headers: { 'x-bulwark-trace': 'echo-probe' } })
          .catch(() => undefined);
        if (!ok(response)) continue;
        if (method === 'TRACE' && !/x-bulwark-trace/i.test(response.text)) continue;
        ctx.report({
          location: { url: response.exchange.request.url, operation: `${method} ${path}` },
          cause: method,
          message: `${method} ${path} answered ${response.status}${method === 'TRACE' ? ' and echoed the request' : ''}.`,
          exchanges: [response],
        });
        break;
      }
    }
  },
};
