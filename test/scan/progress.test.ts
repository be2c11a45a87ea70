// Progress on stderr: one line redrawn in place on a TTY, plain lines otherwise.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { ScanProgress } from '../../src/scan/index.js';
import { progressReporter } from '../../src/scan/progress.js';

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

const base: ScanProgress = {
  phase: 'check',
  operations: 7,
  checksDone: 0,
  checksTotal: 3,
  requests: 0,
  findings: 0,
};

test('a TTY gets one live line, redrawn in place, with operations, checks, requests and findings', () => {
  const { stream, text } = sink();
  const reporter = progressReporter(stream, true);
  reporter.update({ ...base, check: 'scan:api1:bola-read', requests: 12, findings: 1 });
  reporter.update({ ...base, phase: 'done', checksDone: 3, requests: 40, findings: 2 });
  reporter.finish();
  const out = text();
  assert.ok(out.startsWith('\r\u001b[2K'), 'starts by clearing the line');
  assert.match(out, /7 operations · checks 3\/3 · 40 requests · 2 findings\n$/);
  assert.equal(out.split('\n').length, 2, 'one final newline only');
});

test('a non-TTY gets a plain line per phase and per finished check, without redraws', () => {
  const { stream, text } = sink();
  const reporter = progressReporter(stream, false);
  reporter.update({ ...base, phase: 'discover' });
  reporter.update({ ...base, requests: 5 });
  reporter.update({ ...base, requests: 6 });
  reporter.update({ ...base, checksDone: 1, requests: 9 });
  reporter.finish();
  const lines = text().trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(!text().includes('\r') && !text().includes('\u001b'), 'no redraws or escapes');
  assert.match(lines[2] ?? '', /checks 1\/3 · 9 requests/);
});
