import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core/finding.js';
import { renderMarkdown } from '../../src/report/md.js';
import { ALL, SECRET_TOKEN, bola, meta } from './sample.js';

test('the Markdown report has a summary table and a section per OWASP category', () => {
  const out = renderMarkdown(
    ALL,
    meta({ score: { overall: 80, categories: { 'API1:2023': 20 } } }),
  );
  const lines = out.split('\n');
  assert.equal(lines[0], '# bulwark scan report');
  assert.ok(lines.includes('| critical | high | medium | low | info |'));
  assert.ok(lines.includes('| 1 | 1 | 1 | 1 | 1 |'));
  assert.ok(lines.includes('| API1:2023 Broken Object Level Authorization | 1 | 20 |'));
  assert.ok(lines.includes('| API6:2023 Unrestricted Access to Sensitive Business Flows | 0 | |'));
  assert.deepEqual(
    lines.filter((l) => l.startsWith('## API')),
    [
      '## API1:2023 Broken Object Level Authorization (1)',
      '## API2:2023 Broken Authentication (1)',
      '## API8:2023 Security Misconfiguration (2)',
      '## API9:2023 Improper Inventory Management (1)',
    ],
  );
  assert.ok(lines.includes('- **Score:** 80/100'));
});

test('untrusted text cannot inject HTML, links or images into the rendered Markdown', () => {
  const out = renderMarkdown([bola], meta());
  const outsideFences = out.replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '');
  assert.doesNotMatch(outsideFences, /<img|<script/);
  assert.match(outsideFences, /&lt;img src=x onerror=window\.\\_\\_pwned=1\\>&lt;script\\>/);
  const hostile: Finding = {
    ...bola,
    title: '[click](javascript:alert(1)) ![x](http://e.test/x.png)',
    evidence: {},
  };
  const md = renderMarkdown([hostile], meta());
  assert.match(
    md,
    /\\\[click\\\]\\\(javascript:alert\\\(1\\\)\\\) !\\\[x\\\]\\\(http:\/\/e\.test\/x\.png\\\)/,
  );
});

test('evidence goes into fences longer than any backtick run inside it', () => {
  const finding: Finding = {
    ...bola,
    evidence: { detail: 'before ```` after', curl: "curl 'http://127.0.0.1/'" },
  };
  const out = renderMarkdown([finding], meta());
  assert.match(out, /\n`{5}\nbefore `{4} after\n`{5}\n/);
  assert.match(out, /\n```sh\ncurl 'http:\/\/127\.0\.0\.1\/'\n```\n/);
});

test('request and response appear redacted inside a details block', () => {
  const out = renderMarkdown([bola], meta());
  assert.match(out, /<details><summary>Request and response<\/summary>/);
  assert.match(
    out,
    /```http\nGET http:\/\/127\.0\.0\.1:8081\/documents\/42\nAuthorization: Bearer \[REDACTED\]/,
  );
  assert.match(out, /```http\nHTTP 200\nContent-Type: application\/json\n\n\{"id":42/);
  assert.doesNotMatch(out, new RegExp(`${SECRET_TOKEN.slice(0, 20)}|hunter2`));
});

test('an empty report says there are no findings', () => {
  assert.match(renderMarkdown([], meta()), /\nNo findings\.\n$/);
});
