// The rule table: unique, well-formed ids whose category matches, complete metadata, and the
// generated docs/audit/rules.md in step with it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderRulesDoc } from '../../src/audit/docs.js';
import { rules } from '../../src/audit/registry.js';
import { OWASP_CATEGORIES, SEVERITIES } from '../../src/core/finding.js';

describe('audit rule registry', () => {
  it('has unique ids of the form owasp:apiN:<slug> matching the OWASP category', () => {
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule id');
    for (const r of rules) {
      const m = /^owasp:api(10|[1-9]):([a-z0-9]+(-[a-z0-9]+)*)$/.exec(r.id);
      assert.ok(m, `bad id ${r.id}`);
      assert.equal(r.owasp, `API${m[1]}:2023`, r.id);
    }
  });

  it('gives every rule a CWE, a severity, a rationale and a fix', () => {
    for (const r of rules) {
      assert.match(r.cwe, /^CWE-\d+$/, r.id);
      assert.ok(SEVERITIES.includes(r.severity), r.id);
      assert.ok(OWASP_CATEGORIES.includes(r.owasp), r.id);
      assert.ok(r.title.length > 5 && r.rationale.length > 40 && r.remediation.length > 10, r.id);
    }
  });

  it('covers every rule of the Spectral OWASP ruleset 2.x', async () => {
    const ruleset = (await import('@stoplight/spectral-owasp-ruleset')) as unknown as {
      default: { rules: Record<string, unknown> };
    };
    const covered = new Set(rules.flatMap((r) => r.spectral ?? []));
    const missing = Object.keys(ruleset.default.rules).filter((id) => !covered.has(id));
    assert.deepEqual(missing, []);
  });

  it('docs/audit/rules.md is generated from the table (npx tsx scripts/gen-audit-docs.ts)', () => {
    const committed = readFileSync(new URL('../../docs/audit/rules.md', import.meta.url), 'utf8');
    assert.equal(committed, renderRulesDoc());
    for (const r of rules) assert.ok(committed.includes(`### ${r.id}`), r.id);
  });
});
