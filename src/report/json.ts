// JSON report, version 1, described by schema/report.schema.json. The version changes only when a
// consumer could break: removing or renaming a field, or changing a type. Adding optional fields keeps
// version "1" (docs/reports.md, "Versioning").
import type { Finding, FindingLocation } from '../core/finding.js';
import { sortFindings } from '../core/finding.js';
import { redactUrl } from '../core/redact.js';
import { fingerprintOf, reportEvidence } from './common.js';
import { countByCategory, countBySeverity } from './summary.js';
import type { ReportMeta, ReportRenderer } from './types.js';

export const REPORT_SCHEMA_ID = 'urn:bulwark:schema:report:1';
export const REPORT_VERSION = '1';

// Lines and columns are 1-based in every output; a producer's 0 means "unknown line 1" (issue 8:
// 0:0 locations are what other tools emit and no viewer can show).
// URLs may carry credentials in their query (CWE-598), so they are redacted like evidence.
function location(loc: FindingLocation): FindingLocation {
  const url = loc.url === undefined ? {} : { url: redactUrl(loc.url) };
  if (!loc.spec) return { ...loc, ...url };
  const spec = {
    ...loc.spec,
    line: Math.max(1, loc.spec.line),
    column: Math.max(1, loc.spec.column),
  };
  return { ...loc, spec, ...url };
}

function findingJson(finding: Finding): Finding {
  const evidence = reportEvidence(finding.evidence);
  const { evidence: _evidence, fingerprint: _fingerprint, related, ...rest } = finding;
  return {
    ...rest,
    location: location(finding.location),
    ...(related ? { related: related.map(location) } : {}),
    ...(evidence ? { evidence } : {}),
    fingerprint: fingerprintOf(finding),
  };
}

export function renderJson(findings: readonly Finding[], meta: ReportMeta): string {
  const report = {
    $schema: REPORT_SCHEMA_ID,
    version: REPORT_VERSION,
    tool: { name: meta.tool.name, version: meta.tool.version },
    command: meta.command,
    ...(meta.target !== undefined ? { target: redactUrl(meta.target) } : {}),
    sources: [...(meta.sources ?? [])],
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    partial: meta.partial === true,
    summary: {
      total: findings.length,
      bySeverity: countBySeverity(findings),
      byCategory: countByCategory(findings),
      ...(meta.summary ? { counters: { ...meta.summary } } : {}),
    },
    ...(meta.score
      ? { score: { overall: meta.score.overall, categories: { ...meta.score.categories } } }
      : {}),
    findings: sortFindings(findings).map(findingJson),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const jsonReport: ReportRenderer = {
  name: 'json',
  extension: 'json',
  mediaType: 'application/json',
  description: 'Machine-readable report, versioned and described by schema/report.schema.json.',
  render: renderJson,
};
