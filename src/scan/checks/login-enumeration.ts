// API2:2023 / CWE-204: the login answer reveals whether an account exists. The check logs in with a
// configured identity's real account and a wrong password, then with an account that cannot exist,
// each twice. Proof: each pair agrees with itself (stable), and the two differ in status or body.
import { normalisedBody } from '../engine/compare.js';
import type { ScanCheck, ScanResponse } from '../types.js';

export const loginEnumeration: ScanCheck = {
  id: 'scan:api2:login-enumeration',
  owasp: 'API2:2023',
  cwe: 'CWE-204',
  severity: 'medium',
  confidence: 'firm',
  title: 'Login answers reveal whether an account exists',
  remediation:
    'Answer every failed login with the same status, body and timing ("invalid credentials"), whether or not the account exists; hash a dummy password for unknown accounts.',
  intrusive: false,
  async run(ctx) {
    const login = ctx.identities.login;
    if (!login) return;
    const userField = Object.keys(login.body).find((k) => /email|user|login|name/i.test(k));
    const passField = Object.keys(login.body).find((k) => /pass|secret/i.test(k));
    if (!userField || !passField) return;
    const known = String(login.body[userField]);
    const unknown = known.includes('@')
      ? `bulwark-nobody-${Math.random().toString(36).slice(2, 8)}@${known.split('@')[1]}`
      : `bulwark-nobody-${Math.random().toString(36).slice(2, 8)}`;
    const wrong = `Wrong-${Math.random().toString(36).slice(2, 10)}`;
    const attempt = (user: string): Promise<ScanResponse> =>
      ctx.http.send({
        method: login.method,
        path: login.path,
        json: { ...login.body, [userField]: user, [passField]: wrong },
        identity: null,
        retry429: false,
      });
    const a1 = await attempt(known);
    const b1 = await attempt(unknown);
    if (a1.status === 429 || b1.status === 429 || (a1.status < 400 && b1.status < 400)) return;
    const a2 = await attempt(known);
    const b2 = await attempt(unknown);
    const stable = (x: ScanResponse, y: ScanResponse): boolean =>
      x.status === y.status && normalisedBody(x) === normalisedBody(y);
    if (!stable(a1, a2) || !stable(b1, b2) || stable(a1, b1)) return;
    const how =
      a1.status !== b1.status ? `status ${a1.status} vs ${b1.status}` : 'different bodies';
    ctx.report({
      location: {
        operation: login.operation?.key ?? `${login.method} ${login.path}`,
        ...(login.operation ? { spec: login.operation.location } : {}),
        url: a1.exchange.request.url,
      },
      message: `A wrong password for an existing account and a login for a non-existent account get ${how}.`,
      exchanges: [b1, a1],
      detail: `Existing account, wrong password: ${a1.status} ${a1.text.slice(0, 200)}\nUnknown account: ${b1.status} ${b1.text.slice(0, 200)}\n(each repeated once with the same answer)`,
    });
  },
};
