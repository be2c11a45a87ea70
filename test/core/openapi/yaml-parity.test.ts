// The fast YAML path (parse-yaml-fast.ts) must read every document exactly as the canonical one
// (parse-yaml.ts, the `yaml` package): same values, same positions, same references found.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NodeTable, type SourceDoc } from '../../../src/core/openapi/document.js';
import { parseYaml } from '../../../src/core/openapi/parse-yaml.js';
import { parseYamlFast } from '../../../src/core/openapi/parse-yaml-fast.js';
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

function assertParity(text: string, label: string, requireFast = true): void {
  const fastDoc = doc(text);
  const fastTable = new NodeTable();
  const fast = parseYamlFast(fastDoc, fastTable);
  if (!fast) {
    assert.ok(!requireFast, `${label}: the fast path gave up`);
    return;
  }
  const slowDoc = doc(text);
  const slowTable = new NodeTable();
  const slow = parseYaml(slowDoc, slowTable);
  assert.deepEqual(fast.value, slow, label);
  assert.equal(fastDoc.refs.length, slowDoc.refs.length, `${label}: references found`);
  assert.deepEqual(fastDoc.warnings, slowDoc.warnings, `${label}: warnings`);
  samePositions(fast.value, fastTable, slow, slowTable);
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
    .filter((_, i) => i % 15 === 0);
  for (const file of files) assertParity(readFileSync(join(corpus, file), 'utf8'), file, false);
});

test('documents the fast path does not handle fall back instead of guessing', () => {
  for (const text of [
    '# only a comment\n',
    'a: [1\n',
    'a: 1\n---\nb: 2\n',
    '? [complex, key]\n: v\n',
    // An explicit indentation indicator on a sequence item: not worth guessing its base.
    '- |2\n   indented\n',
  ]) {
    assert.equal(parseYamlFast(doc(text), new NodeTable()), undefined, JSON.stringify(text));
  }
});
