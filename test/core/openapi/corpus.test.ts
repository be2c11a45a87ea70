// Real-world robustness: every description of the shared corpus either loads or fails with a clean
// coded BulwarkError; none crashes or hangs. CI provides the corpus at <repo>/../shared/corpus.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBulwarkError } from '../../../src/core/errors.js';
import { loadSpec } from '../../../src/core/openapi/load.js';
import { ROOT } from '../../helpers/cli.js';

const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'openapi');

interface ManifestEntry {
  readonly file: string;
  readonly version_line: string;
}

function expectedVersion(line: string): string {
  if (/^swagger/.test(line)) return 'swagger-2.0';
  return /3\.1/.test(line) ? 'openapi-3.1' : 'openapi-3.0';
}

test('every corpus description loads or fails with a clean coded error', async (t) => {
  assert.ok(existsSync(CORPUS), `the corpus is missing at ${CORPUS}`);
  const manifest = JSON.parse(
    readFileSync(join(CORPUS, 'MANIFEST.json'), 'utf8'),
  ) as ManifestEntry[];
  const files = readdirSync(CORPUS).filter((f) => f !== 'MANIFEST.json' && f !== 'README.md');
  assert.deepEqual(
    files.sort(),
    manifest.map((m) => m.file).sort(),
    'MANIFEST.json lists every file',
  );
  assert.ok(files.length >= 200, `only ${files.length} descriptions in the corpus`);

  let loaded = 0;
  let operations = 0;
  const failures = new Map<string, string>();
  for (const entry of manifest) {
    try {
      const model = await loadSpec(join(CORPUS, entry.file));
      loaded++;
      operations += model.operations.length;
      assert.equal(model.version, expectedVersion(entry.version_line), entry.file);
      for (const op of model.operations) {
        const where = model.locate(op);
        assert.ok(
          where && where.line >= 1 && where.column >= 1,
          `${entry.file}: ${op.key} has no location`,
        );
        assert.deepEqual(where, op.location);
      }
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.ok(
        isBulwarkError(error),
        `${entry.file} crashed: ${String((error as Error).stack ?? error)}`,
      );
      assert.match(error.code, /^BULWARK_ERR_(SPEC_|REF_)/, entry.file);
      assert.ok(error.location?.file, `${entry.file}: error without a file`);
      assert.doesNotMatch(error.toLine(), /\n/, entry.file);
      failures.set(entry.file, error.toLine());
    }
  }
  t.diagnostic(`corpus: ${loaded}/${manifest.length} loaded, ${operations} operations`);
  for (const [file, line] of failures) t.diagnostic(`${file}: ${line}`);
  assert.equal(loaded + failures.size, manifest.length);
  // The corpus is real-world and mostly valid: a loader that refuses much of it is broken.
  assert.ok(loaded >= manifest.length * 0.9, `only ${loaded} of ${manifest.length} loaded`);
});
