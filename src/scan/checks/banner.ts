// API8:2023 / CWE-497: `Server` and `X-Powered-By` banners name the software (and often its
// version), telling attackers which exploits to try. Judged on discovery answers. Proof: the header.
import type { ScanCheck } from '../types.js';

const HEADERS = [
  'x-powered-by',
  'server',
  'x-aspnet-version',
  'x-aspnetmvc-version',
  'x-runtime',
  'x-generator',
];

export const banner: ScanCheck = {
  id: 'scan:api8:banner',
  owasp: 'API8:2023',
  cwe: 'CWE-497',
  severity: 'low',
  confidence: 'certain',
  title: 'Server or framework banner disclosed',
  remediation:
    'Remove X-Powered-By (Express: app.disable("x-powered-by")) and reduce Server to a generic value or drop it.',
  intrusive: false,
  async run(ctx) {
    for (const [key, response] of ctx.baselines) {
      const op = ctx.model.operations.find((o) => o.key === key.split(' ').slice(1).join(' '));
      if (!op) continue;
      for (const header of HEADERS) {
        const value = response.headers[header];
        if (!value) continue;
        ctx.report({
          location: {
            url: new URL('/', response.exchange.request.url).href,
            spec: op.location,
            operation: '*',
          },
          cause: header,
          severity: /\d/.test(value) ? 'low' : 'info',
          message: `Answers carry '${header}: ${value}'.`,
          exchanges: [response],
        });
      }
    }
  },
};
