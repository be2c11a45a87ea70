// JUnit XML for CI dashboards (Jenkins, GitLab, Azure Pipelines). One <testsuite> per OWASP category;
// each finding is a failing <testcase>, and each rule that ran without findings is a passing one, so
// the dashboard shows what was checked, not only what failed. Every value goes through escapeXml.
import {
  OWASP_CATEGORIES,
  OWASP_TITLES,
  type Finding,
  type OwaspCategory,
} from '../core/finding.js';
import {
  collectRules,
  groupByCategory,
  locationText,
  reportEvidence,
  untestedText,
} from './common.js';
import { escapeXml as x } from './escape.js';
import type { ReportMeta, ReportRenderer, RuleMeta } from './types.js';

function seconds(meta: ReportMeta): string {
  const ms = Date.parse(meta.endedAt) - Date.parse(meta.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

function failureCase(finding: Finding): string {
  const where = locationText(finding.location);
  const evidence = reportEvidence(finding.evidence);
  const body = [
    finding.message,
    where ? `Location: ${where}` : '',
    `Rule: ${finding.id} (${finding.owasp}, ${finding.cwe}, ${finding.severity}, ${finding.confidence})`,
    evidence?.detail ? `Proof: ${evidence.detail}` : '',
    evidence?.curl ? `Reproduce: ${evidence.curl}` : '',
    `Fix: ${finding.remediation}`,
  ]
    .filter(Boolean)
    .join('\n');
  const name = where ? `${finding.title} at ${where}` : finding.title;
  return (
    `    <testcase name="${x(name)}" classname="${x(finding.id)}" time="0">\n` +
    `      <failure message="${x(finding.message)}" type="${x(finding.severity)}">${x(body)}</failure>\n` +
    `    </testcase>\n`
  );
}

function passingCase(rule: RuleMeta): string {
  return `    <testcase name="${x(rule.title)}" classname="${x(rule.id)}" time="0"/>\n`;
}

function suite(
  category: OwaspCategory,
  findings: readonly Finding[],
  passing: readonly RuleMeta[],
  meta: ReportMeta,
): string {
  const tests = findings.length + passing.length;
  return (
    `  <testsuite name="${x(`${category} ${OWASP_TITLES[category]}`)}" tests="${tests}" failures="${findings.length}" errors="0" skipped="0" time="0" timestamp="${x(meta.startedAt)}">\n` +
    findings.map(failureCase).join('') +
    passing.map(passingCase).join('') +
    `  </testsuite>\n`
  );
}

export function renderJunit(findings: readonly Finding[], meta: ReportMeta): string {
  const groups = groupByCategory(findings);
  const failing = new Set(findings.map((f) => f.id));
  const passingRules = collectRules([], meta).filter((r) => !failing.has(r.id));
  const suites: string[] = [];
  let tests = 0;
  for (const category of OWASP_CATEGORIES) {
    const list = groups.get(category) ?? [];
    const passing = passingRules.filter((r) => r.owasp === category);
    if (list.length === 0 && passing.length === 0) continue;
    tests += list.length + passing.length;
    suites.push(suite(category, list, passing, meta));
  }
  const name = `${meta.tool.name} ${meta.command}`;
  const untested = meta.untested ?? [];
  if (untested.length > 0) {
    // Throttled operations were neither passed nor failed: skipped cases, so a dashboard shows the gap.
    tests += untested.length;
    suites.push(
      `  <testsuite name="not tested (throttled)" tests="${untested.length}" failures="0" errors="0" skipped="${untested.length}" time="0" timestamp="${x(meta.startedAt)}">\n` +
        untested
          .map(
            (u) =>
              `    <testcase name="${x(u.operation)}" classname="${x(u.check)}" time="0">\n` +
              `      <skipped message="${x(untestedText(u))}"/>\n` +
              `    </testcase>\n`,
          )
          .join('') +
        `  </testsuite>\n`,
    );
  }
  if (suites.length === 0) {
    // A run with no rules and no findings still yields one passing case: an empty report reads as
    // "nothing ran" on most dashboards.
    tests = 1;
    suites.push(
      `  <testsuite name="${x(name)}" tests="1" failures="0" errors="0" skipped="0" time="0" timestamp="${x(meta.startedAt)}">\n` +
        `    <testcase name="no findings" classname="${x(meta.tool.name)}" time="0"/>\n` +
        `  </testsuite>\n`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${x(name)}" tests="${tests}" failures="${findings.length}" errors="0" time="${seconds(meta)}">\n` +
    suites.join('') +
    `</testsuites>\n`
  );
}

export const junitReport: ReportRenderer = {
  name: 'junit',
  extension: 'xml',
  mediaType: 'application/xml',
  description: 'JUnit XML: one test suite per OWASP category, one failing test case per finding.',
  render: renderJunit,
};
