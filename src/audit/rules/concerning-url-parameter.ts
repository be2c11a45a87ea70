import type { AuditRule } from '../types.js';

// Spectral's pattern (`callback`, `redirect`, `*_url`, `*Url`, `*-url`) plus `url`, `uri` forms and
// the usual redirect names.
const URL_NAME =
  /(^(callback|redirect|url|uri|webhook|return_?to|next|redirect_?uri|callback_?url)$)|(_url|Url|-url|_uri|Uri|-uri|URL|URI)$/;
const URL_FORMATS = new Set(['uri', 'url', 'iri', 'uri-reference', 'iri-reference']);

export const concerningUrlParameter: AuditRule = {
  id: 'owasp:api7:concerning-url-parameter',
  owasp: 'API7:2023',
  cwe: 'CWE-918',
  severity: 'low',
  confidence: 'tentative',
  title: 'Client-supplied URL',
  rationale:
    'Webhooks, callbacks, file fetches and redirects driven by a client-supplied URL are where server-side request forgery and open redirects happen (OWASP API7:2023, CWE-918, CWE-601). Request-body properties with a URL format are checked as well as parameters.',
  remediation:
    'Validate the URL against an allowlist of schemes and hosts, resolve it and refuse private, loopback and metadata addresses, and do not follow redirects.',
  spectral: ['owasp:api7:2023-concerning-url-parameter'],
  run(ctx) {
    for (const op of ctx.model.operations) {
      for (const param of op.parameters) {
        if (!URL_NAME.test(param.name)) continue;
        ctx.report({
          message: `Parameter '${param.name}' takes a URL; review it for SSRF and open redirects.`,
          node: param,
          location: param.location,
          operation: op,
        });
      }
    }
    for (const site of ctx.schemas.sites) {
      if (!site.request || site.propertyName === undefined) continue;
      const format = site.node['format'];
      const byFormat = typeof format === 'string' && URL_FORMATS.has(format);
      if (!byFormat && !URL_NAME.test(site.propertyName)) continue;
      ctx.report({
        message: `Request property '${site.propertyName}' takes a URL; review it for SSRF and open redirects.`,
        node: site.node,
        operations: ctx.schemas.operationsOf(site.node, 'request'),
      });
    }
  },
};
