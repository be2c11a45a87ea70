import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  baselineMatcher,
  buildBaseline,
  readBaseline,
  writeBaseline,
} from '../../src/audit/baseline.js';
import { isBulwarkError } from '../../src/core/errors.js';
import { audit, clean } from './fixtures.js';

describe('audit baseline', () => {
  it('round-trips: findings written to a baseline are recognised, new ones are not', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-baseline-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const d = clean();
    delete d['components'].schemas.Item.properties.name.maxLength;
    const spec = join(dir, 'api.json');
    const before = audit(d).findings;
    const file = join(dir, 'ci', 'baseline.json');
    await writeBaseline(file, buildBaseline([{ spec, findings: before }], file));
    const baseline = await readBaseline(file);
    assert.equal(baseline.findings[0]?.spec, '../api.json');
    const known = baselineMatcher(baseline, file);
    assert.ok(before.every((f) => known(spec, f)));
    d['components'].schemas.Item.properties.other = { type: 'string' };
    const fresh = audit(d).findings.filter((f) => !known(spec, f));
    assert.deepEqual(
      fresh.map((f) => f.location.spec?.pointer),
      ['/components/schemas/Item/properties/other', '/components/schemas/Item/properties/other'],
    );
    // The same finding in another spec is not covered.
    assert.equal(
      before.some((f) => known(join(dir, 'other.json'), f)),
      false,
    );
  });

  it('rejects files that are not baselines with a coded error', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-baseline-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    for (const [name, text] of [
      ['broken.json', '{ nope'],
      ['shape.json', '{"version": 2, "findings": []}'],
      ['entries.json', '{"version": 1, "findings": [{"spec": 1}]}'],
    ] as const) {
      writeFileSync(join(dir, name), text);
      await assert.rejects(
        readBaseline(join(dir, name)),
        (e: unknown) => isBulwarkError(e) && e.code === 'BULWARK_ERR_BASELINE_INVALID',
      );
    }
    await assert.rejects(
      readBaseline(join(dir, 'missing.json')),
      (e: unknown) => isBulwarkError(e) && e.code === 'BULWARK_ERR_IO',
    );
  });
});
