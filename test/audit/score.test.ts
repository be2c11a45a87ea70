// The score method of docs/audit/score.md: bounded, deterministic, order-independent, and a single
// serious problem cannot be averaged away by clean categories.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scoreFindings } from '../../src/audit/score.js';
import type { Finding, OwaspCategory, Severity } from '../../src/core/finding.js';

function finding(id: string, owasp: OwaspCategory, severity: Severity, pointer: string): Finding {
  return {
    id,
    owasp,
    severity,
    title: id,
    cwe: 'CWE-1',
    confidence: 'firm',
    message: id,
    remediation: 'fix',
    location: { spec: { file: 'a.yaml', line: 1, column: 1, pointer } },
  };
}

describe('audit score', () => {
  it('is 100 everywhere with no findings', () => {
    const s = scoreFindings([]);
    assert.equal(s.overall, 100);
    assert.ok(Object.values(s.categories).every((v) => v === 100));
  });

  it('follows the documented formula: weight × min(1 + log2(n), 4) per rule', () => {
    const four = [1, 2, 3, 4].map((i) =>
      finding('owasp:api4:string-limit', 'API4:2023', 'medium', `/p${i}`),
    );
    // medium weight 8, four findings: 8 × (1 + 2) = 24 → API4 76.
    assert.equal(scoreFindings(four).categories['API4:2023'], 76);
    const many = Array.from({ length: 5000 }, (_, i) =>
      finding('owasp:api4:string-limit', 'API4:2023', 'medium', `/p${i}`),
    );
    // Capped at 4×: 8 × 4 = 32 → 68, however many repeats.
    assert.equal(scoreFindings(many).categories['API4:2023'], 68);
  });

  it('caps the overall score by the worst single rule', () => {
    const s = scoreFindings([
      finding('owasp:api8:policy-cors-credentials', 'API8:2023', 'critical', '/x'),
    ]);
    assert.equal(s.categories['API8:2023'], 60);
    assert.equal(s.overall, 60); // the mean would be 96
  });

  it('does not depend on finding order, and stays within 0..100', () => {
    const list = [
      ...Array.from({ length: 9 }, (_, i) =>
        finding(`owasp:api2:r${i}`, 'API2:2023', 'critical', `/a${i}`),
      ),
      finding('owasp:api9:x', 'API9:2023', 'info', '/b'),
    ];
    const a = scoreFindings(list);
    const b = scoreFindings([...list].reverse());
    assert.deepEqual(a, b);
    assert.equal(a.categories['API2:2023'], 0);
    assert.equal(a.categories['API9:2023'], 100);
    assert.ok(a.overall >= 0 && a.overall <= 100);
  });
});
