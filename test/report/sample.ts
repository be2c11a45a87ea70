// Findings and metadata shared by the report tests: realistic, and hostile where it matters (XSS,
// ANSI escapes, XML-illegal control characters, shell metacharacters, live-looking secrets).
import type { Finding } from '../../src/core/finding.js';
import type { ReportMeta } from '../../src/report/index.js';

export const XSS = '<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>';
export const ANSI = '\u001b[2J\u001b]0;owned\u0007';
export const CONTROL = 'nul\u0000 bell\u0007 esc\u001b vt\u000b ff\u000c fffe\ufffe';
export const SECRET_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';

export const bola: Finding = {
  id: 'scan:api1:bola-read',
  title: 'Object read by another user',
  owasp: 'API1:2023',
  cwe: 'CWE-639',
  severity: 'critical',
  confidence: 'certain',
  message: `User bob read alice's document 42. ${XSS}`,
  location: {
    spec: { file: 'specs/lab.yaml', line: 41, column: 7, pointer: '/paths/~1documents~1{id}/get' },
    operation: 'GET /documents/{id}',
    url: 'http://127.0.0.1:8081/documents/42?access_token=leaky',
  },
  evidence: {
    exchanges: [
      {
        request: {
          method: 'GET',
          url: 'http://127.0.0.1:8081/documents/42',
          headers: { Authorization: `Bearer ${SECRET_TOKEN}`, Accept: 'application/json' },
        },
        response: {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body: `{"id":42,"owner":"alice","note":"${XSS.replace(/"/g, '\\"')}","password":"hunter2"}`,
        },
      },
    ],
    detail: `Control request by alice returned the same body. ${ANSI}`,
  },
  remediation: 'Check the caller owns the object on every read.',
};

export const basicAuth: Finding = {
  id: 'owasp:api2:no-http-basic',
  title: 'HTTP Basic authentication',
  owasp: 'API2:2023',
  cwe: 'CWE-522',
  severity: 'high',
  confidence: 'firm',
  message: `Basic auth sends the password with every request. ${ANSI}${CONTROL}`,
  location: {
    spec: {
      file: 'specs/lab.yaml',
      line: 0,
      column: 0,
      pointer: '/components/securitySchemes/basic',
    },
  },
  related: [
    { operation: 'GET /users' },
    { spec: { file: '/elsewhere/other.yaml', line: 3, column: 1, pointer: '/x' } },
  ],
  remediation: 'Use OAuth 2.0 bearer tokens over TLS.',
};

export const corsWildcard: Finding = {
  id: 'scan:api8:cors-reflect',
  title: 'CORS reflects any origin with credentials',
  owasp: 'API8:2023',
  cwe: 'CWE-942',
  severity: 'medium',
  confidence: 'certain',
  message: 'Origin https://evil.example was reflected with Access-Control-Allow-Credentials: true.',
  location: { operation: 'GET /me', url: 'http://127.0.0.1:8081/me' },
  evidence: {
    curl: "curl -sS -H 'Origin: https://evil.example' 'http://127.0.0.1:8081/me' ]]> \"'`$(id)`",
  },
  remediation: 'Allow-list origins; never reflect with credentials.',
};

export const infoBanner: Finding = {
  id: 'scan:api8:server-banner',
  title: 'Server banner',
  owasp: 'API8:2023',
  cwe: 'CWE-200',
  severity: 'info',
  confidence: 'tentative',
  message: 'Server: Express',
  location: { url: 'http://127.0.0.1:8081/' },
  remediation: 'Remove the X-Powered-By header.',
};

export const lowInventory: Finding = {
  id: 'owasp:api9:no-servers',
  title: 'No servers declared',
  owasp: 'API9:2023',
  cwe: 'CWE-1059',
  severity: 'low',
  confidence: 'firm',
  message: 'The description declares no servers.',
  location: {
    spec: { file: 'https://example.test/openapi.json', line: 1, column: 1, pointer: '' },
  },
  remediation: 'Declare the production server URL.',
};

export const ALL: readonly Finding[] = [infoBanner, corsWildcard, basicAuth, lowInventory, bola];

export function meta(overrides: Partial<ReportMeta> = {}): ReportMeta {
  return {
    tool: { name: 'bulwark', version: '0.1.0', informationUri: 'https://example.test/bulwark' },
    command: 'scan',
    target: 'http://127.0.0.1:8081',
    sources: ['specs/lab.yaml'],
    startedAt: '2026-11-28T21:00:00.000Z',
    endedAt: '2026-11-28T21:00:05.250Z',
    baseDir: '/work/project',
    summary: { operations: 12, requests: 340 },
    rules: [
      {
        id: 'owasp:api4:unbounded-array',
        title: 'Array without maxItems',
        owasp: 'API4:2023',
        cwe: 'CWE-770',
        severity: 'medium',
        description: 'Unbounded arrays let a client make the server allocate without limit.',
        remediation: 'Set maxItems.',
        helpUri: 'https://example.test/rules/unbounded-array',
      },
    ],
    ...overrides,
  };
}
