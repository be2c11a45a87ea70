// The quick YAML reader (parse-yaml-quick.ts) must read every document exactly as the canonical one
// (parse-yaml.ts, the `yaml` package): same values, same positions, same references found, same
// warnings; or give up and leave it to the canonical one.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { NodeTable, type SourceDoc } from '../../../src/core/openapi/document.js';
import { parseYaml } from '../../../src/core/openapi/parse-yaml.js';
import { parseYamlQuick } from '../../../src/core/openapi/parse-yaml-quick.js';
import { ROOT } from '../../helpers/cli.js';
import { FIXTURES } from './helpers.js';

function doc(text: string): SourceDoc {
  return {
    uri: '/x.yaml',
    file: 'x.yaml',
    text,
    rawRoot: undefined,
    refs: [],
    refObjects: new WeakSet(),
    lenientRefs: new WeakSet(),
    warnings: [],
    lineStarts: undefined,
  };
}

/** Walks both trees together and compares container offsets and scalar offsets. */
function samePositions(a: unknown, ta: NodeTable, b: unknown, tb: NodeTable, path = ''): void {
  const seen = new Set<object>();
  const stack: [unknown, unknown, string][] = [[a, b, path]];
  while (stack.length > 0) {
    const [x, y, p] = stack.pop() as [unknown, unknown, string];
    if (typeof x !== 'object' || x === null || seen.has(x)) continue;
    seen.add(x);
    const ix = ta.get(x);
    const iy = tb.get(y as object);
    assert.equal(ix?.offset, iy?.offset, `offset at ${p}`);
    assert.deepEqual(ix?.scalars ?? [], iy?.scalars ?? [], `scalar offsets at ${p}`);
    for (const [k, v] of Object.entries(x))
      stack.push([v, (y as Record<string, unknown>)[k], `${p}/${k}`]);
  }
}

type Reader = (doc: SourceDoc, table: NodeTable) => { value: unknown } | undefined;
const READERS: ReadonlyArray<readonly [string, Reader]> = [['quick', parseYamlQuick]];

/** Each reader reads `text` as the canonical parser does, or gives up (allowed unless required). */
function assertParity(text: string, label: string, required = true): number {
  let read = 0;
  for (const [name, reader] of READERS) {
    const fastDoc = doc(text);
    const fastTable = new NodeTable();
    const fast = reader(fastDoc, fastTable);
    if (!fast) {
      assert.ok(!required, `${label}: the ${name} path gave up`);
      continue;
    }
    read++;
    const slowDoc = doc(text);
    const slowTable = new NodeTable();
    let slow: unknown;
    assert.doesNotThrow(() => {
      slow = parseYaml(slowDoc, slowTable);
    }, `${label}: the ${name} path read what the canonical parser refuses`);
    assert.deepEqual(fast.value, slow, `${label} (${name})`);
    assert.equal(fastDoc.refs.length, slowDoc.refs.length, `${label} (${name}): references found`);
    assert.deepEqual(fastDoc.warnings, slowDoc.warnings, `${label} (${name}): warnings`);
    samePositions(fast.value, fastTable, slow, slowTable);
  }
  return read;
}

test('scalars, keys, block scalars, anchors and merges read the same', () => {
  const text = [
    'openapi: 3.0.0',
    'ints: [0, -12, 0x1F, 0o17, +5]',
    'floats: [1.5, -0.25, 1e3, .inf, -.Inf, .nan]',
    'nulls: [~, null, Null, ]',
    'bools: [true, False, TRUE]',
    "strings: [yes, no, on, 2020-01-01, \"quoted\\n\\ttext\", 'single ''q''']",
    '200: numeric key',
    '1.0: float key',
    'true: bool key',
    'plain: this is',
    '  a multi-line',
    '  plain scalar',
    'literal: |',
    '  line 1',
    '',
    '  line 2',
    'keep: |+',
    '  kept',
    '',
    '',
    'strip: >-',
    '  folded',
    '  text',
    '',
    '  para',
    'leading: |',
    '',
    '  after a blank line',
    'base: &base { a: 1, b: [x, y] }',
    'again: *base',
    'merged:',
    '  <<: *base',
    '  b: override',
    'ref: { $ref: "#/base" }',
    'dup: 1',
    'dup: 2',
    'quoted: "a',
    '  b"',
    '',
  ].join('\n');
  assertParity(text, 'tricky');
});

test('block scalars with explicit indentation read the same, at any depth', () => {
  const text = [
    'x: |2',
    '   indented by one more',
    'nested:',
    '  deeper:',
    '    description: |2-',
    '        four more than the key',
    '',
    '      two more',
    '    folded: >1+',
    '      kept',
    '',
    'list:',
    '  - description: |2',
    '        in a sequence item',
    '      after',
    '    other: |-',
    '      plain',
    '  -   spaced: |3',
    '           wide',
    '',
  ].join('\n');
  assertParity(text, 'explicit indentation');
});

test('plain block scalars, read from the fast parser itself, read the same', () => {
  const text = [
    'folded: >',
    '  first line',
    '  continues',
    '',
    '    more indented',
    '    block',
    '',
    '  back',
    '',
    '',
    'literal: |',
    '  trailing spaces   ',
    '    deeper',
    '  \ttab inside',
    '',
    'foldstrip: >-',
    '  a',
    '  b',
    '',
    '',
    'nested:',
    '  - desc: >',
    '      item text',
    '      wrapped',
    '    other: |',
    '      x',
    '      ',
    '      y',
    'comment: | # a comment',
    '  body',
    'last: >',
    '  end',
  ].join('\n');
  assertParity(text, 'plain block scalars');
});

test('fixtures read the same', () => {
  for (const name of [
    'oas30-full.yaml',
    'oas31-full.yaml',
    'swagger20-full.yaml',
    'split/root.yaml',
  ]) {
    assertParity(readFileSync(join(FIXTURES, name), 'utf8'), name);
  }
});

test('a sample of the corpus reads the same (or falls back)', () => {
  const corpus = join(ROOT, '..', 'shared', 'corpus', 'openapi');
  assert.ok(existsSync(corpus), `the corpus is missing at ${corpus}`);
  const files = readdirSync(corpus)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .filter((_, i) => i % 8 === 0);
  let quick = 0;
  for (const file of files) {
    const text = readFileSync(join(corpus, file), 'utf8');
    assertParity(text, file, false);
    if (parseYamlQuick(doc(text), new NodeTable())) quick++;
  }
  // The quick reader is the one that matters for speed: it reads every sampled description.
  assert.equal(quick, files.length);
});

test('documents the quick reader does not handle fall back instead of guessing', () => {
  for (const text of [
    '# only a comment\n',
    'a: [1\n',
    'a: 1\n---\nb: 2\n',
    '? [complex, key]\n: v\n',
    // An explicit indentation indicator on a sequence item: not worth guessing its base.
    '- |2\n   indented\n',
  ]) {
    assert.equal(parseYamlQuick(doc(text), new NodeTable()), undefined, JSON.stringify(text));
  }
});

test('quick reader: edge cases read the same or fall back', () => {
  for (const text of [
    '-   \n- x\n',
    '- \n- x\n',
    '- &a [1]\n- *a\n',
    '- &a x\n- *a\n',
    '- - a\n  - b\n- c\n',
    '- a: 1\n  b: 2\n-\n- x\n',
    'a:\n- 1\n- 2\nb: 3\n',
    'a: &m {k: 1}\nb:\n  <<: *m\n  j: 2\n',
    'a: [1, [2, {b: c}], ]\n',
    'a: {x: , y}\n',
    '"q": 1\n\'s\': 2\n',
    'a:    \n  b\n',
    'a: "x\n\n  y"\n',
    "a: 'x\n  ''y'\n",
    'a: "end \\ \n  esc\\t\n  x \\\n  joined"\n',
    'a: -1\nb: +2\nc: 0o17\nd: 1e3\ne: .NaN\nf: -.inf\ng: 007\nh: -0\n',
    '--- \na: 1\n',
    'a: |2\n   x\n',
    'a: |-\n  x\n\n',
    'a: |+\n  x\n\n\n',
    'a: |\n  x\n     \n  y\n',
    'a: |2\n    \n  x\n',
    'a: >-\n  a\n  b\n\n   c\n  d\n',
    'a:\n  - |\n    x\n  - >\n    y\n',
    'a: "\\u00e9\\x41\\t\\U0001F600"\n',
    'key with spaces  : v\n',
    'a: http://x.y/z?q=1#frag\n',
    'a: x #c\nb: y\n',
    'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n',
    '~: 1\nnull: 2\n0x1F: 3\n1.0: 4\n',
    'a: {"json":1, "b": [true,null]}\n',
  ]) {
    assertParity(text, JSON.stringify(text), false);
  }
});

test('quick reader: what it does not handle, or what is not YAML, goes to the next reader', () => {
  for (const text of [
    '---\na: 1\n---\nb: 2\n',
    'a: 1\n...\n',
    'a: !!str 1\n',
    '? a\n: b\n',
    'a:\tb\n',
    '\ta: b\n',
    'a: b: c\n',
    'a: [b,\nc]\n',
    'a: *nope\n',
    'a: 1\n  b: 2\n',
    'a:\n  - x\n  y: 1\n',
    'a: b # c\n  d\n',
    'a: "unterminated\n',
    'a: "\\q"\n',
    // Regression: only a blank line deeper than the indentation (the yaml package reads '').
    'a: |2-\n   \n',
    'a: 1\r\nb: 2\r\n',
    '%YAML 1.2\n---\na: 1\n',
    'scalar root\n',
    '[1, 2]\n',
    `a: ${'['.repeat(1200)}${']'.repeat(1200)}\n`,
  ]) {
    assert.equal(parseYamlQuick(doc(text), new NodeTable()), undefined, JSON.stringify(text));
  }
});

const STRING_TYPES = [
  'PLAIN',
  'QUOTE_DOUBLE',
  'QUOTE_SINGLE',
  'BLOCK_LITERAL',
  'BLOCK_FOLDED',
] as const;
const tricky = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      'a',
      ' ',
      '\n',
      '#',
      ':',
      '-',
      '"',
      "'",
      '\\',
      '\t',
      '{',
      '[',
      ',',
      '1',
      '.',
      'é',
      '|',
      '>',
      '&',
      '*',
      '?',
    ),
    maxLength: 24,
  }),
  fc.constantFrom(
    'true',
    'null',
    '~',
    '1.5',
    '0x1f',
    '-0',
    '.inf',
    'yes',
    '',
    ' a',
    'a ',
    '- a',
    'a: b',
    '#x',
  ),
);
const documents = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
})).object;

test('quick reader: documents written in every YAML style read the same (property)', () => {
  fc.assert(
    fc.property(
      documents,
      fc.constantFrom(...STRING_TYPES),
      fc.integer({ min: 10, max: 80 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 4 }),
      (value, stringType, lineWidth, flow, indent) => {
        const text = stringify(value, {
          defaultStringType: stringType,
          lineWidth,
          minContentWidth: 5,
          collectionStyle: flow ? 'flow' : 'any',
          indent,
        });
        assertParity(text, JSON.stringify(text), false);
      },
    ),
    { numRuns: 400, seed: 20261129 },
  );
});

test('quick reader: edited documents are read the same or refused, never misread (property)', () => {
  const edit = fc.tuple(
    fc.nat(),
    fc.constantFrom(
      '',
      ' ',
      '\n',
      ':',
      '- ',
      '#',
      '"',
      "'",
      '\\',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&a ',
      '*a',
      '|',
      '>',
      '\t',
      '? ',
      '---\n',
    ),
    fc.integer({ min: 0, max: 3 }),
  );
  fc.assert(
    fc.property(
      documents,
      fc.constantFrom(...STRING_TYPES),
      fc.array(edit, { minLength: 1, maxLength: 3 }),
      (value, stringType, edits) => {
        let text = stringify(value, {
          defaultStringType: stringType,
          lineWidth: 30,
          minContentWidth: 5,
        });
        for (const [at, insert, remove] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + remove);
        }
        assertParity(text, JSON.stringify(text), false);
      },
    ),
    { numRuns: 400, seed: 20261129 },
  );
});
