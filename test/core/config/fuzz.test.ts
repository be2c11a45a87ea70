// Property tests: whatever the file or the environment holds, the loader either returns a config
// or throws a coded BulwarkError; it never crashes, and env values never change structure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseConfig } from '../../../src/core/config/index.js';
import { isBulwarkError } from '../../../src/core/errors.js';

function outcome(text: string, file: string, env: NodeJS.ProcessEnv = {}): 'ok' | 'error' {
  try {
    parseConfig(text, file, { env });
    return 'ok';
  } catch (error) {
    assert.ok(isBulwarkError(error), `not a BulwarkError: ${String(error)}`);
    assert.ok(!error.toLine().includes('\n'), 'one line');
    return 'error';
  }
}

const yamlish = fc
  .array(
    fc.constantFrom(
      'version: 1\n',
      'protect:\n',
      '  upstream: http://127.0.0.1:1\n',
      '  cors:\n',
      '    origins: [',
      ']\n',
      '{',
      '}',
      '"${A}"',
      '${',
      '$${B}',
      '&a ',
      '*a',
      '- ',
      '  ',
      '\t',
      '#',
      ': ',
      '"',
      "'",
      '\\',
      '\n',
      '__proto__: ',
      '!!str ',
      '---\n',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

test('random YAML-like text never escapes as anything but a coded error', () => {
  fc.assert(
    fc.property(yamlish, (text) => {
      outcome(text, 'f.yaml', { A: 'x' });
      outcome(text, 'f.json', { A: 'x' });
    }),
    { numRuns: 400, seed: 20261128 },
  );
});

test('arbitrary unicode text never escapes as anything but a coded error', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      outcome(text, 'f.yaml');
      outcome(text, 'f.json');
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('any environment value is substituted verbatim and never adds structure', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), (value) => {
      const config = parseConfig('version: 1\naudit:\n  baseline: "${BASELINE}"\n', 'f.yaml', {
        env: { BASELINE: value },
      });
      assert.deepEqual(Object.keys(config), ['version', 'audit']);
      assert.deepEqual(config.audit, { baseline: value });
    }),
    { numRuns: 300, seed: 11 },
  );
});
