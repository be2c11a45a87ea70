// Terminal report: a headline, findings grouped by OWASP category with `file:line:col` locations (so
// terminals and editors can jump to them), then counts. Colour only when meta.colour is true; the CLI
// decides that from the TTY and NO_COLOR (https://no-color.org).
import { redactUrl } from '../core/redact.js';
import {
  OWASP_CATEGORIES,
  OWASP_TITLES,
  SEVERITIES,
  type Finding,
  type Severity,
} from '../core/finding.js';
import {
  groupByCategory,
  locationText,
  plural,
  relatedLines,
  reportEvidence,
  untestedText,
} from './common.js';
import { terminalSafe } from './escape.js';
import { countByCategory, countBySeverity } from './summary.js';
import type { ReportMeta, ReportRenderer } from './types.js';

const RELATED_LIMIT = 5;

interface Style {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
}

const SEVERITY_SGR: Readonly<Record<Severity, string>> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
};

function style(colour: boolean): Style {
  const sgr = (code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    bold: (text) => sgr('1', text),
    dim: (text) => sgr('2', text),
    severity: (severity, text) => sgr(SEVERITY_SGR[severity], text),
  };
}

function severityList(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  return [...SEVERITIES]
    .reverse()
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

function headline(findings: readonly Finding[], meta: ReportMeta, s: Style): string[] {
  const what =
    findings.length === 0
      ? 'no findings'
      : `${plural(findings.length, 'finding')} (${severityList(findings)})`;
  const lines = [s.bold(`${meta.tool.name} ${meta.command}: ${what}`)];
  if (meta.partial)
    lines.push(s.severity('medium', 'Partial report: the run stopped before it finished.'));
  const untested = meta.untested ?? [];
  if (untested.length > 0) {
    lines.push(
      s.severity(
        'medium',
        `Not tested: ${plural(untested.length, 'operation')}, throttled by the target:`,
      ),
    );
    for (const u of untested) lines.push(`  ${terminalSafe(untestedText(u))}`);
  }
  if (meta.target) lines.push(`Target:  ${terminalSafe(redactUrl(meta.target))}`);
  if (meta.sources && meta.sources.length > 0)
    lines.push(`Sources: ${meta.sources.map((x) => terminalSafe(x)).join(', ')}`);
  if (meta.score) lines.push(`Score:   ${s.bold(`${Math.round(meta.score.overall)}/100`)}`);
  return lines;
}

function findingLines(finding: Finding, s: Style): string[] {
  const indent = '    ';
  const sev = s.severity(finding.severity, finding.severity.toUpperCase().padEnd(8));
  const lines = [
    `  ${sev} ${s.bold(terminalSafe(finding.title))}  ${s.dim(`${terminalSafe(finding.id)} ${terminalSafe(finding.cwe)}`)}`,
  ];
  const where = locationText(finding.location);
  if (where) lines.push(`${indent}${terminalSafe(where)}`);
  for (const text of relatedLines(finding, RELATED_LIMIT)) {
    lines.push(`${indent}${s.dim(`also: ${terminalSafe(text)}`)}`);
  }
  lines.push(`${indent}${terminalSafe(finding.message)}`);
  const evidence = reportEvidence(finding.evidence);
  if (evidence?.detail) lines.push(`${indent}${s.dim('Proof:')} ${terminalSafe(evidence.detail)}`);
  if (evidence?.curl) lines.push(`${indent}${s.dim('Reproduce:')} ${terminalSafe(evidence.curl)}`);
  lines.push(`${indent}${s.dim('Fix:')} ${terminalSafe(finding.remediation)}`);
  return lines;
}

function summaryLines(findings: readonly Finding[], meta: ReportMeta, s: Style): string[] {
  const bySeverity = countBySeverity(findings);
  const byCategory = countByCategory(findings);
  const lines = [s.bold('Summary')];
  lines.push(
    `  ${[...SEVERITIES]
      .reverse()
      .map((sev) => s.severity(sev, `${sev} ${bySeverity[sev]}`))
      .join('  ')}`,
  );
  for (const category of OWASP_CATEGORIES) {
    const score = meta.score?.categories[category];
    if (byCategory[category] === 0 && score === undefined) continue;
    const scoreText = score === undefined ? '' : `  score ${Math.round(score)}/100`;
    lines.push(
      `  ${category.padEnd(10)} ${OWASP_TITLES[category].padEnd(48)} ${String(byCategory[category]).padStart(4)}${scoreText}`,
    );
  }
  for (const [name, value] of Object.entries(meta.summary ?? {}))
    lines.push(`  ${terminalSafe(name)}: ${value}`);
  return lines;
}

export function renderText(findings: readonly Finding[], meta: ReportMeta): string {
  const s = style(meta.colour === true);
  const out = headline(findings, meta, s);
  for (const [category, list] of groupByCategory(findings)) {
    out.push('', s.bold(`${category} ${OWASP_TITLES[category]} (${list.length})`));
    for (const finding of list) out.push(...findingLines(finding, s));
  }
  out.push('', ...summaryLines(findings, meta, s));
  return `${out.join('\n')}\n`;
}

export const textReport: ReportRenderer = {
  name: 'text',
  extension: 'txt',
  mediaType: 'text/plain; charset=utf-8',
  description: 'Terminal summary grouped by OWASP category, with file:line:col locations.',
  render: renderText,
};
