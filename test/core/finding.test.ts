import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  OWASP_CATEGORIES,
  SEVERITIES,
  findingFingerprint,
  severityRank,
  sortFindings,
  type Finding,
} from '../../src/core/finding.js';

/** The order as first written: the reference the faster sortFindings must keep. */
function referenceSort(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      OWASP_CATEGORIES.indexOf(a.owasp) - OWASP_CATEGORIES.indexOf(b.owasp) ||
      a.id.localeCompare(b.id) ||
      findingFingerprint(a).localeCompare(findingFingerprint(b)),
  );
}

test('sortFindings orders by severity, category, id, then fingerprint, as localeCompare does', () => {
  // Ids and places chosen where locale order and code-unit order differ: case, punctuation, accents.
  const ids = [
    'owasp:api4:string-limit',
    'owasp:api4:String-limit',
    'owasp:api4:a-b',
    'owasp:api4:ab',
  ];
  const places = [
    { spec: { file: 'a.yaml', line: 1, column: 1, pointer: '/paths/~1b/get' } },
    { spec: { file: 'a.yaml', line: 2, column: 1, pointer: '/paths/~1B/get' } },
    { spec: { file: 'a.yaml', line: 3, column: 1, pointer: '/paths/~1é/get' } },
    { spec: { file: 'a.yaml', line: 4, column: 1, pointer: '/paths/~1e/get' } },
    { spec: { file: 'a.yaml', line: 5, column: 1, pointer: '/paths/_x/get' } },
    { operation: 'GET /a' },
    { url: 'http://127.0.0.1/Z' },
    {},
  ];
  const findings: Finding[] = [];
  let n = 0;
  for (const id of ids)
    for (const location of places)
      for (const severity of [SEVERITIES[1], SEVERITIES[3]] as const)
        findings.push({
          id,
          title: 't',
          owasp: OWASP_CATEGORIES[n++ % 3] as Finding['owasp'],
          cwe: 'CWE-1',
          severity,
          confidence: 'firm',
          message: `m${n}`,
          location,
          remediation: 'r',
        });
  // Shuffle deterministically, so the input order says nothing about the answer.
  const shuffled = findings.map((f, i) => ({ f, k: (i * 7919) % findings.length }));
  shuffled.sort((a, b) => a.k - b.k);
  const input = shuffled.map((s) => s.f);
  assert.deepEqual(sortFindings(input), referenceSort(input));
  assert.notStrictEqual(sortFindings(input), input, 'a new array; the input is left alone');
});
