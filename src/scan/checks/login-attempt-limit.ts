// API2:2023 / CWE-307: login has no attempt limiting. The check sends a bounded series of wrong
// passwords for one configured account. Proof: every attempt was processed (401/400/403) and none was
// throttled (429, 423, or a Retry-After header). Runs only with --intrusive: on a protected API it
// locks the account for a while, which is the point.
import type { ScanCheck, ScanResponse } from '../types.js';

export const loginAttemptLimit: ScanCheck = {
  id: 'scan:api2:login-attempt-limit',
  owasp: 'API2:2023',
  cwe: 'CWE-307',
  severity: 'high',
  confidence: 'firm',
  title: 'Login has no attempt limiting',
  remediation:
    'Throttle failed logins per account and per client (for example 5 per 15 minutes), answering 429 with Retry-After, and alert on bursts (OWASP ASVS V2.2.1).',
  intrusive: true,
  async run(ctx) {
    const login = ctx.identities.login;
    if (!login) return;
    const passField = Object.keys(login.body).find((k) => /pass|secret/i.test(k));
    if (!passField) return;
    const responses: ScanResponse[] = [];
    for (let i = 0; i < ctx.settings.loginAttempts && !ctx.signal.aborted; i++) {
      const response = await ctx.http.send({
        method: login.method,
        path: login.path,
        json: {
          ...login.body,
          [passField]: `Wrong-${i}-${Math.random().toString(36).slice(2, 8)}`,
        },
        identity: null,
        retry429: false,
      });
      responses.push(response);
      if (throttled(response)) return;
    }
    const processed = responses.filter((r) => [400, 401, 403].includes(r.status));
    if (processed.length !== responses.length || responses.length === 0) return;
    const last = responses.at(-1) as ScanResponse;
    ctx.report({
      location: {
        operation: login.operation?.key ?? `${login.method} ${login.path}`,
        ...(login.operation ? { spec: login.operation.location } : {}),
        url: last.exchange.request.url,
      },
      message: `${responses.length} wrong passwords in a row for one account were all processed (${last.status}); none was throttled.`,
      exchanges: [responses[0] as ScanResponse, last],
      detail: `Statuses: ${responses.map((r) => r.status).join(' ')}. No 429/423 and no Retry-After.`,
    });
  },
};

function throttled(response: ScanResponse): boolean {
  return (
    response.status === 429 ||
    response.status === 423 ||
    response.headers['retry-after'] !== undefined
  );
}
