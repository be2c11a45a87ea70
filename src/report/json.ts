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
  // Most locations need nothing: reused as they are (a corpus audit has 100,000+ of them).
  if (loc.url === undefined && (!loc.spec || (loc.spec.line >= 1 && loc.spec.column >= 1)))
    return loc;
  const url = loc.url === undefined ? {} : { url: redactUrl(loc.url) };
  if (!loc.spec) return { ...loc, ...url };
  const spec = {
    ...loc.spec,
    line: Math.max(1, loc.spec.line),
    column: Math.max(1, loc.spec.column),
  };
  return { ...loc, spec, ...url };
}

/**
 * The finding as written: its own fields in their order, with `location` cleaned in place, then
 * `related`, `evidence` (redacted) and `fingerprint` last. Built key by key: a rest-destructuring
 * copy was most of this function's time over a corpus audit's 100,000+ findings.
 */
function findingJson(finding: Finding): Finding {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(finding)) {
    if (key === 'evidence' || key === 'fingerprint' || key === 'related') continue;
    out[key] = key === 'location' ? location(finding.location) : finding[key as keyof Finding];
  }
  if (finding.related) out['related'] = finding.related.map(location);
  const evidence = reportEvidence(finding.evidence);
  if (evidence) out['evidence'] = evidence;
  out['fingerprint'] = fingerprintOf(finding);
  return out as unknown as Finding;
}

/**
 * Findings per chunk of the streamed report. A chunk's text (~1 KB per finding) stays below V8's
 * large-object size (128 KB): large objects are only reclaimed by a full GC.
 */
const FINDINGS_PER_CHUNK = 50;
const BATCH_OPEN = '{\n  "findings": [\n';
const BATCH_CLOSE = '\n  ]\n}';

/**
 * The report as consecutive pieces of text whose concatenation is exactly `renderJson`'s output
 * (`JSON.stringify(report, null, 2)`). A corpus audit can hold 100,000+ findings, a 100+ MB
 * document: writing it piece by piece never builds that string nor every finding's JSON object at
 * once (issue 8, peak memory).
 */
export function* renderJsonChunks(
  findings: readonly Finding[],
  meta: ReportMeta,
): Generator<string> {
  const head = {
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
    ...(meta.untested?.length
      ? {
          untested: meta.untested.map((u) => ({
            check: u.check,
            operation: u.operation,
            reason: u.reason,
          })),
        }
      : {}),
    ...(meta.score
      ? { score: { overall: meta.score.overall, categories: { ...meta.score.categories } } }
      : {}),
    findings: [],
  };
  // `findings` is the last key, so the head ends with `"findings": []` and the closing brace.
  const text = JSON.stringify(head, null, 2);
  if (findings.length === 0) {
    yield `${text}\n`;
    return;
  }
  yield `${text.slice(0, text.lastIndexOf('[]'))}[\n`;
  const sorted = sortFindings(findings);
  for (let at = 0; at < sorted.length; at += FINDINGS_PER_CHUNK) {
    // Stringified under a `findings` key at the same depth as in the report, a batch comes out
    // indented exactly as the report's items; cutting the wrapper off leaves the items.
    const batch = sorted.slice(at, at + FINDINGS_PER_CHUNK).map(findingJson);
    const wrapped = JSON.stringify({ findings: batch }, null, 2);
    const items = wrapped.slice(BATCH_OPEN.length, wrapped.length - BATCH_CLOSE.length);
    yield at === 0 ? items : `,\n${items}`;
  }
  yield '\n  ]\n}\n';
}

export function renderJson(findings: readonly Finding[], meta: ReportMeta): string {
  let out = '';
  for (const chunk of renderJsonChunks(findings, meta)) out += chunk;
  return out;
}

export const jsonReport: ReportRenderer = {
  name: 'json',
  extension: 'json',
  mediaType: 'application/json',
  description: 'Machine-readable report, versioned and described by schema/report.schema.json.',
  render: renderJson,
};
