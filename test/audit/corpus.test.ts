// The whole public corpus (../shared/corpus/openapi, ~200 real descriptions) is audited: no spec may
// crash a rule, and every finding must point at a real line and column (never 0:0). Under CI the
// corpus must be present; locally a missing corpus fails too, with a clear message.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { auditInputs } from '../../src/audit/runner.js';
import { expandInputs } from '../../src/audit/inputs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = resolve(ROOT, '../shared/corpus/openapi');

describe('audit over the public corpus', () => {
  it('audits every description without a crash and without 0:0 locations', async () => {
    assert.ok(existsSync(CORPUS), `the corpus is missing at ${CORPUS}`);
    const inputs = await expandInputs([CORPUS], ROOT);
    const results = await auditInputs(inputs, { cwd: ROOT });
    const audited = results.filter((r) => !r.error);
    // MANIFEST.json is not an API description; everything else must load.
    const errors = results.filter((r) => r.error && !r.source.endsWith('MANIFEST.json'));
    assert.deepEqual(
      errors.map((r) => r.error?.line),
      [],
    );
    assert.ok(audited.length >= 200, `only ${audited.length} specs audited`);
    assert.deepEqual(
      audited.flatMap((r) => r.failures.map((f) => `${r.source}: ${f.rule}: ${f.message}`)),
      [],
    );
    let findings = 0;
    for (const r of audited) {
      for (const f of r.findings) {
        findings++;
        const spec = f.location.spec;
        assert.ok(
          spec && spec.line >= 1 && spec.column >= 1,
          `${r.source}: ${f.id} at ${JSON.stringify(spec)}`,
        );
        for (const rel of f.related ?? []) {
          if (rel.spec)
            assert.ok(rel.spec.line >= 1 && rel.spec.column >= 1, `${r.source}: ${f.id} related`);
        }
      }
    }
    assert.ok(findings > 1000, 'the corpus should produce findings');
  });
});
