// Markdown report for pull-request comments and wikis (GitHub-flavoured). Untrusted text is escaped
// inline (escapeMarkdown) or put in fenced blocks longer than any backtick run inside (markdownFence),
// so a finding cannot inject links, images or HTML into the rendered page.
import { redactUrl } from '../core/redact.js';
import { OWASP_CATEGORIES, OWASP_TITLES, SEVERITIES, type Finding } from '../core/finding.js';
import {
  exchangeText,
  groupByCategory,
  locationText,
  plural,
  relatedLines,
  reportEvidence,
  untestedText,
} from './common.js';
import { escapeMarkdown as e, markdownFence } from './escape.js';
import { countByCategory, countBySeverity } from './summary.js';
import type { ReportMeta, ReportRenderer } from './types.js';

const RELATED_LIMIT = 10;

function header(findings: readonly Finding[], meta: ReportMeta): string[] {
  const lines = [`# ${e(meta.tool.name)} ${meta.command} report`, ''];
  if (meta.partial) lines.push('> **Partial report:** the run stopped before it finished.', '');
  if (meta.untested?.length) {
    lines.push(
      `> **Not tested:** ${plural(meta.untested.length, 'operation')}, throttled by the target:`,
      ...meta.untested.map((u) => `> - ${e(untestedText(u))}`),
      '',
    );
  }
  if (meta.target) lines.push(`- **Target:** ${e(redactUrl(meta.target))}`);
  if (meta.sources?.length) lines.push(`- **Sources:** ${meta.sources.map(e).join(', ')}`);
  lines.push(`- **Started:** ${e(meta.startedAt)}`, `- **Ended:** ${e(meta.endedAt)}`);
  lines.push(`- **Findings:** ${plural(findings.length, 'finding')}`);
  if (meta.score) lines.push(`- **Score:** ${Math.round(meta.score.overall)}/100`);
  for (const [name, value] of Object.entries(meta.summary ?? {}))
    lines.push(`- **${e(name)}:** ${value}`);
  return lines;
}

function summaryTables(findings: readonly Finding[], meta: ReportMeta): string[] {
  const bySeverity = countBySeverity(findings);
  const severities = [...SEVERITIES].reverse();
  const lines = [
    '',
    '## Summary',
    '',
    `| ${severities.join(' | ')} |`,
    `| ${severities.map(() => '---:').join(' | ')} |`,
  ];
  lines.push(`| ${severities.map((s) => bySeverity[s]).join(' | ')} |`, '');
  const byCategory = countByCategory(findings);
  const withScore = meta.score !== undefined;
  lines.push(`| OWASP API Top 10 (2023) | Findings |${withScore ? ' Score |' : ''}`);
  lines.push(`| --- | ---: |${withScore ? ' ---: |' : ''}`);
  for (const category of OWASP_CATEGORIES) {
    const score = meta.score?.categories[category];
    const scoreCell = !withScore ? '' : score === undefined ? ' |' : ` ${Math.round(score)} |`;
    lines.push(`| ${category} ${OWASP_TITLES[category]} | ${byCategory[category]} |${scoreCell}`);
  }
  return lines;
}

function findingSection(finding: Finding): string[] {
  const lines = ['', `### ${finding.severity.toUpperCase()}: ${e(finding.title)}`, ''];
  lines.push(
    `- **Rule:** \`${finding.id.replace(/`/g, "'")}\` (${e(finding.cwe)}, confidence ${finding.confidence})`,
  );
  const where = locationText(finding.location);
  if (where) lines.push(`- **Location:** ${e(where)}`);
  for (const text of relatedLines(finding, RELATED_LIMIT)) lines.push(`- **Also:** ${e(text)}`);
  lines.push('', e(finding.message), '', `**Fix:** ${e(finding.remediation)}`);
  const evidence = reportEvidence(finding.evidence);
  if (evidence?.detail) lines.push('', '**Proof:**', '', markdownFence(evidence.detail));
  if (evidence?.curl) lines.push('', '**Reproduce:**', '', markdownFence(evidence.curl, 'sh'));
  for (const exchange of evidence?.exchanges ?? []) {
    const text = exchangeText(exchange);
    lines.push(
      '',
      '<details><summary>Request and response</summary>',
      '',
      markdownFence(text.request, 'http'),
    );
    if (text.response !== undefined) lines.push('', markdownFence(text.response, 'http'));
    lines.push('', '</details>');
  }
  return lines;
}

export function renderMarkdown(findings: readonly Finding[], meta: ReportMeta): string {
  const lines = [...header(findings, meta), ...summaryTables(findings, meta)];
  for (const [category, list] of groupByCategory(findings)) {
    lines.push('', `## ${category} ${OWASP_TITLES[category]} (${list.length})`);
    for (const finding of list) lines.push(...findingSection(finding));
  }
  if (findings.length === 0) lines.push('', 'No findings.');
  return `${lines.join('\n')}\n`;
}

export const markdownReport: ReportRenderer = {
  name: 'md',
  extension: 'md',
  mediaType: 'text/markdown; charset=utf-8',
  description: 'Markdown: summary tables, then findings by OWASP category with evidence.',
  render: renderMarkdown,
};
