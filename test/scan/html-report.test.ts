// The scan's HTML report, end to end: `bulwark scan --format html` against a flawed loopback target,
// opened in real headless Chromium (Debian's /usr/bin/chromium via playwright-core). It must show the
// findings grouped by OWASP category, filter by severity, and carry each finding's curl command.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { TARGET_SPEC } from './helpers/spec.js';
import { startTarget, targetConfig } from './helpers/target.js';

const CHROMIUM = '/usr/bin/chromium';

test('the HTML scan report renders the findings by category in Chromium, with filters and curl', async (t) => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  const target = await startTarget(['bola', 'cors', 'banner']);
  t.after(() => target.close());
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-scan-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(TARGET_SPEC));
  writeFileSync(join(dir, 'scan.yaml'), stringify({ version: 1, scan: targetConfig() }));
  const out = join(dir, 'report.html');
  const run = await runCli(
    [
      'scan',
      '--spec',
      join(dir, 'openapi.json'),
      '--target',
      target.url,
      '--config',
      join(dir, 'scan.yaml'),
      '--format',
      'html',
      '--output',
      out,
      '--fail-on',
      'none',
    ],
    { timeoutMs: 120_000 },
  );
  assert.equal(run.code, 0, run.stderr);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(out).href);
  const bola = page.locator('article.finding[data-rule="scan:api1:bola-read"]');
  assert.equal(await bola.count(), 1);
  assert.ok(await bola.isVisible());
  const category = await page
    .locator('section.category[data-category="API1:2023"] article.finding')
    .count();
  assert.ok(category >= 1, 'BOLA is under API1');
  assert.ok(
    (await page.locator('section.category[data-category="API8:2023"] article.finding').count()) >=
      2,
    'CORS and banner under API8',
  );
  assert.match((await bola.textContent()) ?? '', /curl /);
  await page.locator('#filter-high').uncheck();
  assert.equal(await bola.isVisible(), false, 'the high filter hides the high finding');
  assert.deepEqual(errors, []);
});
