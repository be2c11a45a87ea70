// One self-contained HTML file: no external resource, inline CSS and JS allowed by hash in a strict
// Content-Security-Policy, findings grouped by OWASP category, severity filters, evidence and curl.
// Every piece of data goes through escapeHtml (CWE-79): evidence is attacker-controlled by nature.
import { createHash } from 'node:crypto';
import { redactUrl } from '../core/redact.js';
import {
  OWASP_CATEGORIES,
  OWASP_TITLES,
  SEVERITIES,
  type Finding,
  type OwaspCategory,
} from '../core/finding.js';
import {
  exchangeText,
  groupByCategory,
  locationText,
  plural,
  reportEvidence,
  untestedText,
} from './common.js';
import { escapeHtml, terminalSafe } from './escape.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { countByCategory, countBySeverity } from './summary.js';
import type { ReportMeta, ReportRenderer } from './types.js';

/**
 * HTML-escapes untrusted text. Control characters and bidi overrides are first made visible
 * (`\u001b`), as in the terminal: they are harmless to HTML but would show as blanks or reorder text
 * (CVE-2021-42574); CRLF line ends stay plain line breaks.
 */
function h(text: string): string {
  return escapeHtml(terminalSafe(text.replace(/\r\n/g, '\n'), true));
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** default-src 'none' blocks every fetch; only the two inline blocks, by hash, may apply. */
export const HTML_CSP = [
  "default-src 'none'",
  `style-src ${sha256(HTML_STYLE)}`,
  `script-src ${sha256(HTML_SCRIPT)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function head(meta: ReportMeta): string {
  return (
    `<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${h(HTML_CSP)}">\n` +
    `<meta name="referrer" content="no-referrer">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<link rel="icon" href="data:,">\n` +
    `<title>${h(`${meta.tool.name} ${meta.command} report`)}</title>\n` +
    `<style>${HTML_STYLE}</style>\n</head>\n`
  );
}

function metaList(findings: readonly Finding[], meta: ReportMeta): string {
  const items: string[] = [];
  if (meta.partial)
    items.push('<li><strong>Partial report:</strong> the run stopped before it finished.</li>');
  if (meta.untested?.length) {
    const list = meta.untested.map((u) => `<li>${h(untestedText(u))}</li>`).join('');
    items.push(
      `<li class="untested"><strong>Not tested:</strong> ${plural(meta.untested.length, 'operation')}, throttled by the target<ul>${list}</ul></li>`,
    );
  }
  if (meta.target) items.push(`<li>Target: <code>${h(redactUrl(meta.target))}</code></li>`);
  if (meta.sources?.length)
    items.push(`<li>Sources: ${meta.sources.map((s) => `<code>${h(s)}</code>`).join(', ')}</li>`);
  items.push(
    `<li>${h(meta.tool.name)} ${h(meta.tool.version)}, <time>${h(meta.startedAt)}</time> to <time>${h(meta.endedAt)}</time></li>`,
  );
  const counts = countBySeverity(findings);
  const parts = [...SEVERITIES]
    .reverse()
    .map((s) => `<span class="sev sev-${s}">${s} ${counts[s]}</span>`);
  items.push(`<li>${plural(findings.length, 'finding')}: ${parts.join(' ')}</li>`);
  for (const [name, value] of Object.entries(meta.summary ?? {}))
    items.push(`<li>${h(name)}: ${value}</li>`);
  return `<ul class="meta">${items.join('')}</ul>\n`;
}

function scoreBlock(meta: ReportMeta): string {
  if (!meta.score) return '';
  const score = meta.score;
  const overall = Math.round(score.overall);
  const rows = OWASP_CATEGORIES.filter((c) => score.categories[c] !== undefined)
    .map((c) => {
      const value = Math.round(score.categories[c] as number);
      return `<tr><td>${c}</td><td>${h(OWASP_TITLES[c])}</td><td><meter min="0" max="100" low="50" high="80" optimum="100" value="${value}">${value}</meter></td><td>${value}</td></tr>`;
    })
    .join('');
  return (
    `<section class="score" id="score" aria-label="Security score">` +
    `<div><div class="overall" data-score="${overall}">${overall}/100</div><div>Security score</div></div>` +
    (rows ? `<table><tbody>${rows}</tbody></table>` : '') +
    `</section>\n`
  );
}

function filters(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  const boxes = [...SEVERITIES]
    .reverse()
    .map(
      (s) =>
        `<label><input type="checkbox" id="filter-${s}" data-filter-severity="${s}" checked> <span class="sev sev-${s}">${s}</span> (${counts[s]})</label>`,
    )
    .join('\n');
  return `<fieldset class="filters"><legend>Severity</legend>\n${boxes}\n</fieldset>\n`;
}

function evidenceBlock(finding: Finding, key: string): string {
  const evidence = reportEvidence(finding.evidence);
  if (!evidence) return '';
  let out = '';
  if (evidence.detail) out += `<h4>Proof</h4><pre class="proof">${h(evidence.detail)}</pre>`;
  if (evidence.curl) {
    out +=
      `<h4>Reproduce <button type="button" data-copy="curl-${key}">Copy</button></h4>` +
      `<pre class="curl" id="curl-${key}">${h(evidence.curl)}</pre>`;
  }
  (evidence.exchanges ?? []).forEach((exchange, i) => {
    const text = exchangeText(exchange);
    out += `<details class="exchange"><summary>Request and response ${i + 1}</summary>`;
    out += `<pre class="request">${h(text.request)}</pre>`;
    if (text.response !== undefined) out += `<pre class="response">${h(text.response)}</pre>`;
    out += `</details>`;
  });
  return out;
}

// Shared-component findings can name hundreds of operations: the first few show, the rest fold.
function relatedList(related: readonly string[]): string {
  const item = (r: string) => `<code>${h(r)}</code>`;
  const shown = related.slice(0, 5).map(item).join('<br>');
  if (related.length <= 5) return shown;
  const rest = related.slice(5);
  return `${shown}<details class="more"><summary>${rest.length} more</summary>${rest.map(item).join('<br>')}</details>`;
}

function findingArticle(finding: Finding, key: string): string {
  const where = locationText(finding.location);
  const related = (finding.related ?? []).map(locationText).filter(Boolean);
  return (
    `<article class="finding" data-severity="${finding.severity}" data-rule="${h(finding.id)}">` +
    `<h3><span class="sev sev-${finding.severity}">${finding.severity}</span>${h(finding.title)}</h3>` +
    `<dl><dt>Rule</dt><dd><code>${h(finding.id)}</code></dd><dt>CWE</dt><dd>${h(finding.cwe)}</dd>` +
    `<dt>Confidence</dt><dd>${finding.confidence}</dd>` +
    (where ? `<dt>Location</dt><dd><code>${h(where)}</code></dd>` : '') +
    (related.length ? `<dt>Also</dt><dd>${relatedList(related)}</dd>` : '') +
    `</dl><p class="message">${h(finding.message)}</p>` +
    `<p class="remediation"><strong>Fix:</strong> ${h(finding.remediation)}</p>` +
    evidenceBlock(finding, key) +
    `</article>\n`
  );
}

function categorySection(
  category: OwaspCategory,
  findings: readonly Finding[],
  index: number,
): string {
  const articles = findings.map((f, i) => findingArticle(f, `${index}-${i}`)).join('');
  return (
    `<section class="category" data-category="${category}" id="${category.replace(':', '-')}">\n` +
    `<h2>${category} ${h(OWASP_TITLES[category])} (<span class="visible-count">${findings.length}</span>)</h2>\n` +
    articles +
    `</section>\n`
  );
}

export function renderHtml(findings: readonly Finding[], meta: ReportMeta): string {
  const byCategory = countByCategory(findings);
  const nav = OWASP_CATEGORIES.filter((c) => byCategory[c] > 0)
    .map((c) => `<a href="#${c.replace(':', '-')}">${c} (${byCategory[c]})</a>`)
    .join(' · ');
  const sections = [...groupByCategory(findings)]
    .map(([c, list], i) => categorySection(c, list, i))
    .join('');
  return (
    `<!doctype html>\n<html lang="en">\n${head(meta)}<body>\n<main>\n` +
    `<h1>${h(`${meta.tool.name} ${meta.command} report`)}</h1>\n` +
    metaList(findings, meta) +
    scoreBlock(meta) +
    filters(findings) +
    (nav ? `<nav>${nav}</nav>\n` : '') +
    (findings.length === 0 ? `<p id="no-findings">No findings.</p>\n` : '') +
    `<p id="no-match" hidden>No finding matches the selected severities.</p>\n` +
    sections +
    `</main>\n<script>${HTML_SCRIPT}</script>\n</body>\n</html>\n`
  );
}

export const htmlReport: ReportRenderer = {
  name: 'html',
  extension: 'html',
  mediaType: 'text/html; charset=utf-8',
  description: 'One self-contained HTML file with severity filters, evidence and curl commands.',
  render: renderHtml,
};
