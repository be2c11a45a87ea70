// docs/lab.md stays true: one section per OWASP category, and every test it names exists.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(`${ROOT}docs/lab.md`, 'utf8');

test('docs/lab.md has one section per OWASP API Top 10 category, each with a CWE, curl and a fix', () => {
  const sections = doc.split(/^## /m).filter((s) => /^API\d+:2023/.test(s));
  assert.deepEqual(
    sections.map((s) => s.slice(0, s.indexOf(':'))),
    ['API1', 'API2', 'API3', 'API4', 'API5', 'API6', 'API7', 'API8', 'API9', 'API10'],
  );
  for (const section of sections) {
    const name = section.slice(0, section.indexOf('\n'));
    assert.match(section, /\*\*CWE-\d+\*\*/, name);
    assert.match(section, /```sh\n[\s\S]*curl /, name);
    assert.match(section, /\*\*Fix\.\*\*/, name);
    assert.match(section, /\/\/ src\/lab\/flaws\/api\d+-[a-z-]+\.ts \(secure\)/, name);
    assert.match(section, /\*\*Guarded by\*\* `test\/lab\/flaws\//, name);
  }
});

test('every test docs/lab.md names exists in the file it names', () => {
  const blocks = [...doc.matchAll(/\*\*Guarded by\*\* `([^`]+)`[\s\S]*?(?=\n\n(?!- | {2}))/g)];
  assert.ok(blocks.length >= 10);
  let named = 0;
  for (const [block, file] of blocks) {
    const source = readFileSync(`${ROOT}${file}`, 'utf8');
    for (const [, title] of block.matchAll(/^- "([^"]+)"/gm)) {
      named++;
      const quoted = [`'${title}'`, `"${title}"`, `\`${title}\``].some((q) => source.includes(q));
      assert.ok(quoted, `${file} has a test named: ${title}`);
    }
  }
  assert.ok(named >= 20, `${named} test names checked`);
});
