// SARIF 2.1.0 (OASIS Standard, https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for code-scanning
// UIs such as GitHub's. Validated against the official JSON schema in test/report/sarif.test.ts.
// Choices that viewers depend on:
// - physical locations relative to `%SRCROOT%` so the UI can open the spec file at the line;
// - regions are 1-based and never 0 (a 0:0 region is a location no viewer can show, see issue 8);
// - `security-severity` on rules and results, which GitHub uses to rank security alerts;
// - `partialFingerprints` so alerts keep their identity when lines move.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, FindingLocation, HttpExchange, Severity } from '../core/finding.js';
import { sortFindings } from '../core/finding.js';
import { redactUrl } from '../core/redact.js';
import { collectRules, fingerprintOf, reportEvidence, untestedText } from './common.js';
import type { ReportMeta, ReportRenderer, RuleMeta } from './types.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

// GitHub code scanning keeps at most 1,000 related locations per result; more only bloats the log.
const MAX_RELATED = 1000;

export type SarifLevel = 'error' | 'warning' | 'note';

/** SARIF 3.27.10 `level`: error for high and critical, warning for medium, note below. */
export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub's `security-severity` (a CVSS-like score as a string): >= 9.0 critical, 7.0-8.9 high,
 * 4.0-6.9 medium, 0.1-3.9 low. Info findings get none, so GitHub files them as plain notes.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string | undefined>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

const PRECISION = { certain: 'very-high', firm: 'high', tentative: 'medium' } as const;

interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** Turns a spec path into a URI: relative to %SRCROOT% inside the base directory, else absolute. */
export function artifactLocation(file: string, baseDir: string): SarifArtifactLocation {
  // Already a URL (spec fetched over http(s)); a Windows drive letter is not a scheme.
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(file) && !/^[A-Za-z]:[\\/]/.test(file)) return { uri: file };
  const absolute = resolve(baseDir, file);
  const rel = relative(baseDir, absolute);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) {
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(absolute).href };
}

function isAbsoluteUri(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function ruleName(id: string): string {
  const slug = id.split(':').pop() ?? id;
  const name = slug
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
  return name || 'Rule';
}

function cweTag(cwe: string): string | undefined {
  const match = /^CWE-(\d+)$/i.exec(cwe.trim());
  return match ? `external/cwe/cwe-${match[1]}` : undefined;
}

function sarifRule(rule: RuleMeta) {
  const securitySeverity = SECURITY_SEVERITY[rule.severity];
  const tags = ['security', `OWASP-${rule.owasp}`, cweTag(rule.cwe)].filter(
    (t): t is string => !!t,
  );
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    help: {
      text: rule.remediation,
      markdown: `**Remediation.** ${rule.remediation}\n\nOWASP ${rule.owasp}, ${rule.cwe}.`,
    },
    ...(rule.helpUri && isAbsoluteUri(rule.helpUri) ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      tags,
      owasp: rule.owasp,
      cwe: rule.cwe,
      severity: rule.severity,
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      // A relative help link (a docs path) is kept here: SARIF's helpUri must be absolute (3.49.12).
      ...(rule.helpUri && !isAbsoluteUri(rule.helpUri) ? { helpPath: rule.helpUri } : {}),
    },
  };
}

interface SarifLocation {
  physicalLocation?: {
    artifactLocation: SarifArtifactLocation;
    region?: { startLine: number; startColumn: number };
  };
  logicalLocations?: { name?: string; fullyQualifiedName: string; kind: string }[];
}

function sarifLocation(location: FindingLocation, baseDir: string): SarifLocation {
  const out: SarifLocation = {};
  if (location.spec) {
    out.physicalLocation = {
      artifactLocation: artifactLocation(location.spec.file, baseDir),
      region: {
        startLine: Math.max(1, Math.trunc(location.spec.line)),
        startColumn: Math.max(1, Math.trunc(location.spec.column)),
      },
    };
  } else if (location.url) {
    out.physicalLocation = { artifactLocation: { uri: redactUrl(location.url) } };
  }
  const logical: NonNullable<SarifLocation['logicalLocations']> = [];
  if (location.operation) {
    logical.push({
      name: location.operation,
      fullyQualifiedName: location.operation,
      kind: 'function',
    });
  }
  if (location.spec?.pointer) {
    // SARIF 3.33.7 names `object` among the kinds for data (JSON) locations.
    logical.push({ fullyQualifiedName: location.spec.pointer, kind: 'object' });
  }
  if (logical.length > 0) out.logicalLocations = logical;
  return out;
}

function hasContent(location: SarifLocation): boolean {
  return location.physicalLocation !== undefined || location.logicalLocations !== undefined;
}

// SARIF 3.46 webRequest / 3.47 webResponse carry the HTTP evidence natively.
function webEvidence(exchange: HttpExchange) {
  const { request, response } = exchange;
  return {
    webRequest: {
      protocol: 'HTTP',
      method: request.method,
      target: request.url,
      headers: { ...request.headers },
      ...(request.body !== undefined ? { body: { text: request.body } } : {}),
    },
    ...(response
      ? {
          webResponse: {
            protocol: 'HTTP',
            statusCode: response.status,
            headers: { ...response.headers },
            ...(response.body !== undefined ? { body: { text: response.body } } : {}),
          },
        }
      : {}),
  };
}

function sarifResult(finding: Finding, ruleIndex: number, baseDir: string) {
  const evidence = reportEvidence(finding.evidence);
  const location = sarifLocation(finding.location, baseDir);
  const related = (finding.related ?? [])
    .slice(0, MAX_RELATED)
    .map((r, i) => ({
      id: i + 1,
      ...sarifLocation(r, baseDir),
      message: { text: r.operation ?? 'Also affected' },
    }))
    .filter((r) => r.physicalLocation !== undefined || r.logicalLocations !== undefined);
  const securitySeverity = SECURITY_SEVERITY[finding.severity];
  const first = evidence?.exchanges?.[0];
  return {
    ruleId: finding.id,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: { text: finding.message },
    ...(hasContent(location) ? { locations: [location] } : {}),
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { 'bulwarkFinding/v1': fingerprintOf(finding) },
    ...(first ? webEvidence(first) : {}),
    properties: {
      owasp: finding.owasp,
      cwe: finding.cwe,
      severity: finding.severity,
      confidence: finding.confidence,
      precision: PRECISION[finding.confidence],
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      remediation: finding.remediation,
      ...(evidence?.curl ? { curl: evidence.curl } : {}),
      ...(evidence?.detail ? { proof: evidence.detail } : {}),
    },
  };
}

export function renderSarif(findings: readonly Finding[], meta: ReportMeta): string {
  const baseDir = resolve(meta.baseDir ?? process.cwd());
  const rules = collectRules(findings, meta);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const rootUri = pathToFileURL(baseDir.endsWith(sep) ? baseDir : baseDir + sep).href;
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: meta.tool.name,
            version: meta.tool.version,
            semanticVersion: meta.tool.version,
            ...(meta.tool.informationUri ? { informationUri: meta.tool.informationUri } : {}),
            rules: rules.map(sarifRule),
          },
        },
        automationDetails: { id: `${meta.tool.name}/${meta.command}/` },
        invocations: [
          {
            executionSuccessful: meta.partial !== true,
            startTimeUtc: meta.startedAt,
            endTimeUtc: meta.endedAt,
            // SARIF 2.1.0 §3.20.21: what the tool could not do is a notification, not a result.
            ...(meta.untested?.length
              ? {
                  toolExecutionNotifications: meta.untested.map((u) => ({
                    level: 'warning',
                    message: { text: untestedText(u) },
                    descriptor: { id: u.check },
                  })),
                }
              : {}),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results: sortFindings(findings).map((f) =>
          sarifResult(f, index.get(f.id) as number, baseDir),
        ),
        properties: {
          command: meta.command,
          ...(meta.target ? { target: redactUrl(meta.target) } : {}),
          ...(meta.score ? { score: meta.score } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export const sarifReport: ReportRenderer = {
  name: 'sarif',
  extension: 'sarif',
  mediaType: 'application/sarif+json',
  description: 'SARIF 2.1.0 for code-scanning UIs (GitHub, VS Code SARIF viewer).',
  render: renderSarif,
};
