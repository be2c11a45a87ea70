// API9:2023 / CWE-200: the API description is served where it was not meant to be. An attacker's map
// of the API is worth less when the API is public anyway, so this is informational unless config
// says otherwise: paths in scan.publicSpecPaths are expected and not reported.
import { ok } from '../engine/compare.js';
import { pathPrefixes } from '../engine/classify.js';
import type { ScanCheck } from '../types.js';

const PATHS = [
  'openapi.json',
  'openapi.yaml',
  'swagger.json',
  'swagger.yaml',
  'v3/api-docs',
  'v2/api-docs',
  'api-docs',
  'swagger/v1/swagger.json',
  'docs/openapi.json',
];

export const specExposure: ScanCheck = {
  id: 'scan:api9:spec-exposed',
  owasp: 'API9:2023',
  cwe: 'CWE-200',
  severity: 'info',
  confidence: 'certain',
  title: 'The API description is served publicly',
  remediation:
    'Serve the spec only where intended (list such paths in scan.publicSpecPaths); do not publish internal or admin operations in a public spec.',
  intrusive: false,
  async run(ctx) {
    for (const prefix of pathPrefixes(ctx.model, ctx.settings)) {
      for (const path of PATHS) {
        const url = new URL(`${prefix}${path}`, ctx.settings.target);
        if (ctx.settings.publicSpecPaths.includes(url.pathname)) continue;
        const response = await ctx.http
          .send({ method: 'GET', url: url.href })
          .catch(() => undefined);
        if (!ok(response) || !/["']?(openapi|swagger)["']?\s*:/.test(response.text.slice(0, 2000)))
          continue;
        ctx.report({
          location: { url: url.href, operation: `GET ${url.pathname}` },
          cause: url.pathname,
          message: `The API description is served at ${url.pathname} without authentication.`,
          exchanges: [response],
        });
      }
    }
  },
};
