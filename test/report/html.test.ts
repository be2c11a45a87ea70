// Opens the HTML report in real headless Chromium (Debian's /usr/bin/chromium through playwright-core)
// and checks what a user sees: grouping, filters, evidence, and that hostile evidence stays text.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Finding } from '../../src/core/finding.js';
import { HTML_CSP, renderHtml } from '../../src/report/html.js';
import type { ReportMeta } from '../../src/report/index.js';
import { ALL, SECRET_TOKEN, XSS, bola, meta } from './sample.js';

const CHROMIUM = '/usr/bin/chromium';

// The test project compiles without the DOM lib; these are the few browser globals used in evaluate().
interface BrowserGlobals {
  getComputedStyle(element: unknown): { borderLeftWidth: string };
  __pwned?: number;
}
const dir = mkdtempSync(join(tmpdir(), 'bulwark-html-'));
let browser: Browser;

before(async () => {
  // Never skipped: CI installs Debian's chromium (.ci/run); a missing browser is a failure.
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  requests: string[];
  problems: string[];
  html: string;
}

let counter = 0;
async function open(
  findings: readonly Finding[],
  reportMeta: ReportMeta = meta(),
): Promise<Opened> {
  const html = renderHtml(findings, reportMeta);
  const file = join(dir, `report-${counter++}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(pathToFileURL(file).href);
  return { page, requests, problems, html };
}

test('the report is self-contained: one request, no CSP violation, no script error', async () => {
  const { page, requests, problems } = await open(ALL);
  try {
    assert.equal(requests.length, 1, requests.join('\n'));
    assert.match(requests[0] ?? '', /^file:/);
    assert.deepEqual(problems, []);
    // The inline style and script ran under the hash-based CSP: styles applied, filter wired.
    const border = await page
      .locator('article.finding')
      .first()
      .evaluate(
        (el) => (globalThis as unknown as BrowserGlobals).getComputedStyle(el).borderLeftWidth,
      );
    assert.equal(border, '4px');
  } finally {
    await page.close();
  }
});

test('findings are grouped by OWASP category in order, with evidence and curl', async () => {
  const { page } = await open(ALL);
  try {
    const categories = await page
      .locator('section.category')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-category')));
    assert.deepEqual(categories, ['API1:2023', 'API2:2023', 'API8:2023', 'API9:2023']);
    assert.equal(
      await page.locator('section[data-category="API8:2023"] article.finding').count(),
      2,
    );
    assert.equal(
      await page.locator('section[data-category="API8:2023"] .visible-count').textContent(),
      '2',
    );
    const bolaArticle = page.locator(`article[data-rule="${bola.id}"]`);
    assert.equal(await bolaArticle.locator('h3').textContent(), `critical${bola.title}`);
    const curl = (await bolaArticle.locator('pre.curl').textContent()) ?? '';
    assert.match(
      curl,
      /^curl -sS -g -i --url 'http:\/\/127\.0\.0\.1:8081\/documents\/42' -H 'Authorization: Bearer \[REDACTED\]'/,
    );
    const request = (await bolaArticle.locator('pre.request').textContent()) ?? '';
    assert.match(
      request,
      /^GET http:\/\/127\.0\.0\.1:8081\/documents\/42\nAuthorization: Bearer \[REDACTED\]/,
    );
    const response = (await bolaArticle.locator('pre.response').textContent()) ?? '';
    assert.match(response, /^HTTP 200\n/);
    assert.match(response, /"password":"\[REDACTED\]"/);
    const text = (await page.locator('main').textContent()) ?? '';
    assert.doesNotMatch(text, new RegExp(`${SECRET_TOKEN.slice(0, 20)}|hunter2|leaky`));
  } finally {
    await page.close();
  }
});

test('an XSS payload in a finding and its evidence renders as text and never runs', async () => {
  const { page } = await open(ALL);
  try {
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned),
      undefined,
    );
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(await page.locator('main script').count(), 0);
    const message = await page.locator(`article[data-rule="${bola.id}"] p.message`).textContent();
    assert.equal(message, bola.message);
    const response =
      (await page.locator(`article[data-rule="${bola.id}"] pre.response`).textContent()) ?? '';
    assert.ok(response.includes(XSS));
    const proof =
      (await page.locator(`article[data-rule="${bola.id}"] pre.proof`).textContent()) ?? '';
    assert.ok(proof.endsWith('\\u001b[2J\\u001b]0;owned\\u0007'), 'control characters are shown');
  } finally {
    await page.close();
  }
});

test('severity checkboxes hide and show findings and empty categories', async () => {
  const { page } = await open(ALL);
  try {
    const bolaArticle = page.locator(`article[data-rule="${bola.id}"]`);
    const api1 = page.locator('section[data-category="API1:2023"]');
    assert.equal(await bolaArticle.isVisible(), true);
    await page.locator('#filter-critical').click();
    assert.equal(await bolaArticle.isVisible(), false);
    assert.equal(await api1.isVisible(), false, 'a category with nothing left to show is hidden');
    await page.locator('#filter-info').click();
    assert.equal(
      await page.locator('section[data-category="API8:2023"] .visible-count').textContent(),
      '1',
    );
    await page.locator('#filter-critical').click();
    assert.equal(await bolaArticle.isVisible(), true);
    assert.equal(await api1.isVisible(), true);
    for (const severity of ['critical', 'high', 'medium', 'low'])
      await page.locator(`#filter-${severity}`).click();
    assert.equal(await page.locator('article.finding:visible').count(), 0);
    assert.equal(await page.locator('#no-match').isVisible(), true);
  } finally {
    await page.close();
  }
});

test('the score block shows the overall and per-category scores when given', async () => {
  const { page } = await open(
    ALL,
    meta({
      command: 'audit',
      score: { overall: 71.2, categories: { 'API1:2023': 40, 'API2:2023': 90 } },
    }),
  );
  try {
    assert.equal(await page.locator('#score .overall').textContent(), '71/100');
    assert.equal(await page.locator('#score meter').count(), 2);
    assert.equal(
      await page.locator('#score tr').first().textContent(),
      'API1:2023Broken Object Level Authorization4040',
    );
  } finally {
    await page.close();
  }
  const without = await open(ALL);
  try {
    assert.equal(await without.page.locator('#score').count(), 0);
  } finally {
    await without.page.close();
  }
});

test('long related lists fold behind a details element', async () => {
  const related = Array.from({ length: 8 }, (_, i) => ({ operation: `GET /r${i}` }));
  const { page } = await open([{ ...bola, related }]);
  try {
    const also = page.locator('article.finding dd').filter({ hasText: 'GET /r0' });
    assert.equal(await also.locator(':scope > code').count(), 5);
    assert.equal(await also.locator('details.more summary').textContent(), '3 more');
    assert.equal(await also.locator('details.more code').first().isVisible(), false);
    await also.locator('details.more summary').click();
    assert.equal(await also.locator('details.more code').first().isVisible(), true);
  } finally {
    await page.close();
  }
});

test('an empty report renders a clear "no findings" page', async () => {
  const { page, problems } = await open([]);
  try {
    assert.equal(await page.locator('#no-findings').isVisible(), true);
    assert.equal(await page.locator('#no-match').isVisible(), false);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('the CSP forbids every fetch and allows only the hashed inline blocks', () => {
  assert.match(
    HTML_CSP,
    /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; script-src 'sha256-[A-Za-z0-9+/]+=*'/,
  );
  assert.doesNotMatch(HTML_CSP, /unsafe-inline|unsafe-eval|https?:/);
  const html = renderHtml(ALL, meta());
  assert.doesNotMatch(
    html.replace(/<main>[\s\S]*<\/main>/, ''),
    /https?:\/\//,
    'no external URL outside the escaped content',
  );
});
