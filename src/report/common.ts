// Helpers every renderer shares: grouping, rule metadata, location text and evidence preparation.
import {
  OWASP_CATEGORIES,
  findingFingerprint,
  sortFindings,
  type Evidence,
  type Finding,
  type FindingLocation,
  type OwaspCategory,
} from '../core/finding.js';
import { redactExchange, redactSecretValues, redactUrl, toCurl } from '../core/redact.js';
import type { ReportMeta, RuleMeta, UntestedOperation } from './types.js';

/** Findings by OWASP category in category order, each list sorted by severity then id. */
export function groupByCategory(findings: readonly Finding[]): Map<OwaspCategory, Finding[]> {
  const groups = new Map<OwaspCategory, Finding[]>();
  for (const finding of sortFindings(findings)) {
    const list = groups.get(finding.owasp);
    if (list) list.push(finding);
    else groups.set(finding.owasp, [finding]);
  }
  return new Map(
    OWASP_CATEGORIES.filter((c) => groups.has(c)).map((c) => [c, groups.get(c) as Finding[]]),
  );
}

/**
 * Every rule the report mentions: the engine's rule list first (in its order), then rules that only
 * appear on findings, described from the finding itself so a report never lacks a rule entry.
 */
export function collectRules(findings: readonly Finding[], meta: ReportMeta): RuleMeta[] {
  const rules = new Map<string, RuleMeta>();
  for (const rule of meta.rules ?? []) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  for (const f of sortFindings(findings)) {
    if (rules.has(f.id)) continue;
    rules.set(f.id, {
      id: f.id,
      title: f.title,
      owasp: f.owasp,
      cwe: f.cwe,
      severity: f.severity,
      description: f.title,
      remediation: f.remediation,
    });
  }
  return [...rules.values()];
}

/** The finding's fingerprint; a derived one never carries a URL secret (redaction is deterministic). */
export function fingerprintOf(finding: Finding): string {
  if (finding.fingerprint !== undefined) return finding.fingerprint;
  const { url } = finding.location;
  const location =
    url === undefined ? finding.location : { ...finding.location, url: redactUrl(url) };
  return findingFingerprint({ id: finding.id, location });
}

/** `file:line:col`, the form editors and terminals turn into links. */
export function specPosition(location: FindingLocation): string | undefined {
  const spec = location.spec;
  if (!spec) return undefined;
  return `${spec.file}:${Math.max(1, spec.line)}:${Math.max(1, spec.column)}`;
}

/** One line naming where a finding is: spec position, operation and URL, whichever are known. */
export function locationText(location: FindingLocation): string {
  const parts: string[] = [];
  const position = specPosition(location);
  if (position) parts.push(position);
  if (location.operation) parts.push(location.operation);
  if (location.url) parts.push(redactUrl(location.url));
  return parts.join('  ');
}

/**
 * Evidence as a report shows it. Producers redact already (finding.ts); renderers redact again
 * because a report is the last place a leaked credential can be stopped (defence in depth, CWE-532).
 * Redaction is idempotent, so already-clean evidence is unchanged. A curl line is derived from the
 * first exchange when the producer gave none.
 */
export function reportEvidence(evidence: Evidence | undefined): Evidence | undefined {
  if (!evidence) return undefined;
  const exchanges = evidence.exchanges?.map(redactExchange);
  const first = exchanges?.[0];
  const curl =
    evidence.curl !== undefined
      ? redactSecretValues(evidence.curl)
      : first
        ? toCurl(first, { redact: false })
        : undefined;
  return {
    ...(exchanges && exchanges.length > 0 ? { exchanges } : {}),
    ...(curl !== undefined ? { curl } : {}),
    ...(evidence.detail !== undefined ? { detail: redactSecretValues(evidence.detail) } : {}),
  };
}

/** HTTP/1.1-style text of a request or response, for evidence blocks. */
export function exchangeText(exchange: NonNullable<Evidence['exchanges']>[number]): {
  request: string;
  response?: string;
} {
  const { request, response } = exchange;
  const head = (lines: string[], headers: Readonly<Record<string, string>>, body?: string) => {
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    return body === undefined || body === '' ? lines.join('\n') : `${lines.join('\n')}\n\n${body}`;
  };
  const requestText = head([`${request.method} ${request.url}`], request.headers, request.body);
  if (!response) return { request: requestText };
  return {
    request: requestText,
    response: head([`HTTP ${response.status}`], response.headers, response.body),
  };
}

/** Plural-aware count: `1 finding`, `2 findings`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Related places as display lines, at most `limit` of them plus an "and N more" line: a finding on a
 * shared schema component can list hundreds of operations, which would drown a terminal or PR comment.
 */
export function relatedLines(finding: Finding, limit: number): string[] {
  const all = (finding.related ?? []).map(locationText).filter((text) => text !== '');
  if (all.length <= limit) return all;
  return [...all.slice(0, limit), `and ${all.length - limit} more`];
}

/** One line for an operation a check could not test (scan: the target throttled it). */
export function untestedText(u: UntestedOperation): string {
  return `${u.operation}: ${u.check} could not test it (${u.reason})`;
}
