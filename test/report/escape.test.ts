import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  escapeHtml,
  escapeMarkdown,
  escapeXml,
  markdownFence,
  terminalSafe,
} from '../../src/report/escape.js';

test('escapeHtml leaves no character that can open a tag or close an attribute', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&amp;</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      assert.doesNotMatch(escapeHtml(text), /[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
    }),
  );
});

test('escapeXml output holds only XML 1.0 characters and no raw markup', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      const out = escapeXml(text);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(out, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff<>"']/);
      assert.doesNotThrow(() => encodeURIComponent(out), 'no lone surrogate');
    }),
  );
});

test('terminalSafe neutralises escapes, C1 controls and bidi overrides', () => {
  assert.equal(
    terminalSafe('a\u001b[31mb\u009bc\u202ed\u2066e'),
    'a\\u001b[31mb\\u009bc\\u202ed\\u2066e',
  );
  assert.equal(terminalSafe('l1\nl2\tx'), 'l1\\u000al2\\u0009x');
  assert.equal(terminalSafe('l1\nl2\tx', true), 'l1\nl2\tx');
});

test('escapeMarkdown escapes inline markup everywhere and block markup at the start', () => {
  assert.equal(escapeMarkdown('# title'), '\\# title');
  assert.equal(escapeMarkdown('- item'), '\\- item');
  assert.equal(escapeMarkdown('1. first'), '1\\. first');
  assert.equal(escapeMarkdown('a-b 2.0'), 'a-b 2.0');
  assert.equal(
    escapeMarkdown('[x](y) *b* `c` a|b <i>'),
    '\\[x\\]\\(y\\) \\*b\\* \\`c\\` a\\|b &lt;i\\>',
  );
});

test('markdownFence always outlasts the backticks inside', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const fenced = markdownFence(text);
      const fence = /^`+/.exec(fenced)?.[0] ?? '';
      assert.ok(fence.length >= 3);
      const inner = fenced.slice(fenced.indexOf('\n') + 1, fenced.length - fence.length - 1);
      assert.equal(inner.includes(fence), false);
    }),
  );
});
