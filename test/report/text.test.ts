import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderText } from '../../src/report/text.js';
import { ALL, SECRET_TOKEN, basicAuth, bola, meta } from './sample.js';

// Any ESC (0x1b) or other C0 control except LF, or C1 control, in the output.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

test('without colour the text report has no escape sequence at all, even from hostile findings', () => {
  const out = renderText(ALL, meta({ colour: false }));
  assert.doesNotMatch(out, RAW_CONTROL);
  assert.match(out, /\\u001b\[2J/, 'hostile escapes are shown, not executed');
});

test('with colour, only our own SGR sequences appear; hostile ones stay neutralised', () => {
  const out = renderText(ALL, meta({ colour: true }));
  // eslint-disable-next-line no-control-regex
  const escapes = out.match(/\u001b\[[0-9;]*[A-Za-z]/g) ?? [];
  assert.ok(escapes.length > 0);
  // eslint-disable-next-line no-control-regex
  for (const seq of escapes) assert.match(seq, /^\u001b\[[0-9;]*m$/, 'only colour (SGR) sequences');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(out, /\u001b\[2J|\u001b\]0;/);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(out.replace(/\u001b\[[0-9;]*m/g, ''), RAW_CONTROL);
});

test('headline, groups in OWASP order, file:line:col locations and summary', () => {
  const out = renderText(ALL, meta({ score: { overall: 62.4, categories: { 'API6:2023': 100 } } }));
  const lines = out.split('\n');
  assert.equal(lines[0], 'bulwark scan: 5 findings (1 critical, 1 high, 1 medium, 1 low, 1 info)');
  assert.ok(lines.includes('Score:   62/100'));
  const headings = lines.filter((l) => /^API\d+:2023 /.test(l));
  assert.deepEqual(headings, [
    'API1:2023 Broken Object Level Authorization (1)',
    'API2:2023 Broken Authentication (1)',
    'API8:2023 Security Misconfiguration (2)',
    'API9:2023 Improper Inventory Management (1)',
  ]);
  assert.ok(
    lines.includes(
      '    specs/lab.yaml:41:7  GET /documents/{id}  http://127.0.0.1:8081/documents/42?access_token=[REDACTED]',
    ),
  );
  assert.ok(lines.includes('    specs/lab.yaml:1:1'), 'a 0:0 location is shown as 1:1');
  assert.ok(lines.some((l) => l.includes('also: GET /users')));
  const summary = lines.slice(lines.indexOf('Summary'));
  assert.ok(
    summary.includes('  critical 1  high 1  medium 1  low 1  info 0'.replace('info 0', 'info 1')),
  );
  assert.ok(
    summary.some((l) => /^ {2}API6:2023 .* 0 {2}score 100\/100$/.test(l)),
    'scored categories show even without findings',
  );
  assert.ok(summary.includes('  requests: 340'));
});

test('each finding shows message, redacted reproduction and fix', () => {
  const out = renderText([bola, basicAuth], meta());
  assert.match(
    out,
    /Reproduce: curl -sS -g -i --url 'http:\/\/127\.0\.0\.1:8081\/documents\/42' -H 'Authorization: Bearer \[REDACTED\]'/,
  );
  assert.match(out, /Fix: Check the caller owns the object on every read\./);
  assert.doesNotMatch(out, new RegExp(SECRET_TOKEN.slice(0, 20)));
});

test('an empty run says so and a partial run is flagged', () => {
  const out = renderText([], meta({ partial: true }));
  assert.match(out, /^bulwark scan: no findings\n/);
  assert.match(out, /Partial report/);
});

test('a long list of related places is cut to five plus a count', () => {
  const related = Array.from({ length: 8 }, (_, i) => ({ operation: `GET /r${i}` }));
  const lines = renderText([{ ...basicAuth, related }], meta()).split('\n');
  const also = lines.filter((l) => l.includes('also: '));
  assert.deepEqual(
    also.map((l) => l.trim()),
    [
      'also: GET /r0',
      'also: GET /r1',
      'also: GET /r2',
      'also: GET /r3',
      'also: GET /r4',
      'also: and 3 more',
    ],
  );
});
