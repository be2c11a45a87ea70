// API8:2023 / CWE-693: security headers are missing from API answers. Judged on the discovery
// answers of every identity (no extra traffic): X-Content-Type-Options: nosniff on every answer,
// Cache-Control: no-store on authenticated answers, Strict-Transport-Security over https. One
// finding per missing header for the whole API, with the operations it was seen on.
import type { Operation } from '../../core/openapi/model.js';
import { location } from '../engine/classify.js';
import type { ScanCheck, ScanResponse } from '../types.js';

interface Rule {
  readonly header: string;
  readonly applies: (response: ScanResponse, authenticated: boolean, https: boolean) => boolean;
  readonly good: (value: string | undefined) => boolean;
  readonly why: string;
}

const RULES: readonly Rule[] = [
  {
    header: 'x-content-type-options',
    applies: () => true,
    good: (v) => v?.toLowerCase().trim() === 'nosniff',
    why: 'without nosniff a browser may sniff an API answer as HTML and run it',
  },
  {
    header: 'cache-control',
    applies: (_r, authenticated) => authenticated,
    good: (v) => v !== undefined && /no-store/i.test(v),
    why: 'authenticated answers without no-store can be kept by shared caches and browsers',
  },
  {
    header: 'strict-transport-security',
    applies: (_r, _a, https) => https,
    good: (v) => v !== undefined && /max-age=\d+/i.test(v),
    why: 'without HSTS a client can be downgraded to plain HTTP',
  },
];

export const securityHeaders: ScanCheck = {
  id: 'scan:api8:security-headers',
  owasp: 'API8:2023',
  cwe: 'CWE-693',
  severity: 'low',
  confidence: 'certain',
  title: 'Security headers are missing',
  remediation:
    'Send X-Content-Type-Options: nosniff on every answer, Cache-Control: no-store on authenticated ones, and Strict-Transport-Security over https (OWASP Secure Headers, REST Security Cheat Sheet).',
  intrusive: false,
  async run(ctx) {
    const https = ctx.settings.target.protocol === 'https:';
    for (const rule of RULES) {
      const offenders: { op: Operation; response: ScanResponse }[] = [];
      for (const [key, response] of ctx.baselines) {
        const [identity, ...rest] = key.split(' ');
        const op = ctx.model.operations.find((o) => o.key === rest.join(' '));
        if (!op || response.status >= 500) continue;
        if (!rule.applies(response, identity !== '-', https)) continue;
        if (!rule.good(response.headers[rule.header])) offenders.push({ op, response });
      }
      const first = offenders[0];
      if (!first) continue;
      const ops = [...new Set(offenders.map((o) => o.op.key))];
      ctx.report({
        location: location(first.op, first.response.exchange.request.url),
        cause: rule.header,
        message: `${rule.header} is missing or weak on ${ops.length} operation(s): ${rule.why}.`,
        exchanges: [first.response],
        detail: `Seen on: ${ops.slice(0, 20).join(', ')}${ops.length > 20 ? ', …' : ''}.`,
      });
    }
  },
};
