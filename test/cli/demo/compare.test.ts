// The demo's verdict logic and metrics reading, on hand-made findings and exposition texts: the cases
// a lab run does not reliably produce (a check skipped through the gateway, a partly blocked category,
// malformed metrics lines).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareRuns } from '../../../src/cli/demo/compare.js';
import { refusalsBetween, samplesOf } from '../../../src/cli/demo/metrics.js';
import { gatewayCell, renderTable } from '../../../src/cli/demo/table.js';
import type { Finding, OwaspCategory } from '../../../src/core/finding.js';

function finding(id: string, owasp: OwaspCategory, where: string, url?: string): Finding {
  return {
    id,
    title: id,
    owasp,
    cwe: 'CWE-1',
    severity: 'high',
    confidence: 'certain',
    message: `proof of ${id} on ${where}`,
    location: { operation: where },
    remediation: 'fix it',
    fingerprint: `${id}@${where}`,
    ...(url
      ? {
          evidence: {
            exchanges: [{ request: { method: 'GET', url, headers: {} } }],
          },
        }
      : {}),
  };
}

const operations = [
  { key: 'GET /api/v2/documents/{documentId}', path: '/api/v2/documents/{documentId}' },
  { key: 'POST /api/v2/auth/login', path: '/api/v2/auth/login' },
];
const none = { total: 0, byOperation: new Map() };

test('a category is blocked, open or partly blocked by fingerprint, not by check id', () => {
  const bolaRead = finding(
    'scan:api1:bola-read',
    'API1:2023',
    'GET /api/v2/documents/{documentId}',
  );
  const bolaWrite = finding(
    'scan:api1:bola-write',
    'API1:2023',
    'PUT /api/v2/documents/{documentId}',
  );
  const login = finding('scan:api2:login-attempt-limit', 'API2:2023', 'POST /api/v2/auth/login');
  // Same check, other operation: a different attack, so API2's direct finding is still blocked.
  const loginElsewhere = finding('scan:api2:login-attempt-limit', 'API2:2023', 'POST /login');
  const rows = compareRuns({
    direct: [bolaRead, bolaWrite, login],
    gateway: [bolaRead, loginElsewhere],
    gatewayChecksRun: [
      'scan:api1:bola-read',
      'scan:api1:bola-write',
      'scan:api2:login-attempt-limit',
    ],
    auditScores: { 'API1:2023': 90 },
    refusals: none,
    operations,
  });
  assert.equal(rows.length, 10);
  const [api1, api2, api3] = rows;
  assert.equal(api1?.verdict, 'partly blocked');
  assert.deepEqual(api1?.stillOpen, [bolaRead]);
  assert.equal(api1?.auditScore, 90);
  assert.equal(gatewayCell(api1!), 'partly blocked (1 of 2 still open)');
  assert.equal(api2?.verdict, 'blocked');
  assert.deepEqual(api2?.onlyThroughGateway, [loginElsewhere]);
  assert.equal(api3?.verdict, 'nothing found directly');
  assert.equal(gatewayCell(api3!), 'nothing found directly');
});

test('a check that did not run through the gateway is not re-tested, never blocked', () => {
  const ssrf = finding('scan:api7:ssrf', 'API7:2023', 'POST /api/v2/documents/import');
  const rows = compareRuns({
    direct: [ssrf],
    gateway: [],
    gatewayChecksRun: [],
    auditScores: {},
    refusals: none,
    operations,
  });
  const api7 = rows[6]!;
  assert.equal(api7.verdict, 'not re-tested');
  assert.equal(gatewayCell(api7), 'not re-tested (0 of 1 still open, 1 not re-tested)');
  assert.match(renderTable(rows), /not re-tested: scan:api7:ssrf: proof of scan:api7:ssrf/);
});

test('refusals count on the findings operations, and undocumented ones for undocumented paths', () => {
  const oldVersion = finding(
    'scan:api9:old-version',
    'API9:2023',
    'GET /api/v2/documents/{documentId}',
    'http://127.0.0.1:1/api/v1/documents/1',
  );
  const documented = finding(
    'scan:api1:bola-read',
    'API1:2023',
    'GET /api/v2/documents/{documentId}',
    'http://127.0.0.1:1/api/v2/documents/7',
  );
  const before = [
    '# TYPE bulwark_requests_total counter',
    'bulwark_requests_total{operation="undocumented",decision="deny",code="BULWARK_DENY_NOT_FOUND"} 5',
  ].join('\n');
  const after = [
    'bulwark_requests_total{operation="undocumented",decision="deny",code="BULWARK_DENY_NOT_FOUND"} 12',
    'bulwark_requests_total{operation="GET /api/v2/documents/{documentId}",decision="deny",code="BULWARK_DENY_PARAM_INVALID"} 3',
    'bulwark_requests_total{operation="GET /api/v2/documents/{documentId}",decision="allow",code=""} 40',
  ].join('\n');
  const refusals = refusalsBetween(before, after);
  assert.equal(refusals.total, 10, 'only denials, only what happened between the reads');
  const rows = compareRuns({
    direct: [oldVersion, documented],
    gateway: [],
    gatewayChecksRun: ['scan:api9:old-version', 'scan:api1:bola-read'],
    auditScores: {},
    refusals,
    operations,
  });
  assert.deepEqual(
    [...rows[8]!.refusals],
    [
      ['BULWARK_DENY_PARAM_INVALID', 3],
      ['BULWARK_DENY_NOT_FOUND', 7],
    ],
  );
  assert.deepEqual([...rows[0]!.refusals], [['BULWARK_DENY_PARAM_INVALID', 3]]);
});

test('metrics lines that are malformed are skipped, escaped label values are read', () => {
  const text = [
    'bulwark_requests_total{operation="GET /a \\"q\\"",decision="deny",code="X"} 2',
    'bulwark_requests_total{operation="unterminated,decision="deny"} 3',
    'bulwark_requests_total{operation="GET /b",decision="deny",code="Y"} NaN-ish',
    'bulwark_requests_total{operation="GET /c",decision="deny",code="Z"} 4 1700000000000',
    'other_metric{operation="GET /d"} 9',
    'garbage line',
  ].join('\n');
  const samples = samplesOf(text, 'bulwark_requests_total');
  assert.deepEqual(
    samples.map((s) => [s.labels['operation'], s.value]),
    [
      ['GET /a "q"', 2],
      ['GET /c', 4],
    ],
  );
  assert.deepEqual(refusalsBetween('', 'not metrics at all'), { total: 0, byOperation: new Map() });
});
