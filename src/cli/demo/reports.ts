// The demo's reports: for each step an HTML file for people and the JSON findings that the printed
// table is computed from (and that the demo's test recomputes the table from).
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { AuditRunOutcome } from '../../audit/index.js';
import type { Finding } from '../../core/finding.js';
import type { ApiModel } from '../../core/openapi/model.js';
import { renderReport, writeReport, type ReportMeta } from '../../report/index.js';
import { checkRules, type ScanResult } from '../../scan/index.js';
import { packageVersion } from '../version.js';

export function auditMeta(outcome: AuditRunOutcome, startedAt: string, cwd: string): ReportMeta {
  return {
    tool: { name: 'bulwark', version: packageVersion() },
    command: 'audit',
    sources: outcome.sources,
    startedAt,
    endedAt: new Date().toISOString(),
    score: outcome.score,
    summary: outcome.summary,
    rules: outcome.rules,
    baseDir: cwd,
  };
}

export function scanMeta(
  result: ScanResult,
  target: string,
  model: ApiModel,
  cwd: string,
): ReportMeta {
  return {
    tool: { name: 'bulwark', version: packageVersion() },
    command: 'scan',
    target,
    sources: [model.source],
    startedAt: new Date(Date.now() - result.durationMs).toISOString(),
    endedAt: new Date().toISOString(),
    summary: {
      operations: model.operations.length,
      checks: result.checksRun.length,
      requests: result.requests,
      seconds: Math.round(result.durationMs / 100) / 10,
    },
    rules: checkRules(result.checksRun),
    baseDir: cwd,
  };
}

/** Writes `<dir>/<name>.html` and `<dir>/<name>.json`; failures are BULWARK_ERR_IO naming the file. */
export async function writeHtmlAndJson(
  dir: string,
  name: string,
  findings: readonly Finding[],
  meta: ReportMeta,
  stdout: Writable,
): Promise<void> {
  for (const format of ['html', 'json'] as const) {
    await writeReport(renderReport(format, findings, meta), {
      output: resolve(dir, `${name}.${format}`),
      stdout,
    });
  }
}
