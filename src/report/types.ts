// The contract between the engines (audit, scan) and the report renderers.
import type { OwaspCategory, Finding, Severity } from '../core/finding.js';

/** What a report says about one rule or check, so SARIF and JUnit can list rules without findings. */
export interface RuleMeta {
  readonly id: string;
  readonly title: string;
  readonly owasp: OwaspCategory;
  /** e.g. `CWE-639` */
  readonly cwe: string;
  readonly severity: Severity;
  /** Why the rule exists: what goes wrong and how an attacker uses it. */
  readonly description: string;
  readonly remediation: string;
  /** Rule documentation: an absolute URL (SARIF helpUri) or a path in the repository's docs. */
  readonly helpUri?: string;
}

/** The audit's security score: 0 (worst) to 100 (best), overall and per OWASP category. */
export interface ReportScore {
  readonly overall: number;
  readonly categories: Readonly<Partial<Record<OwaspCategory, number>>>;
}

export interface ReportMeta {
  readonly tool: {
    readonly name: string;
    readonly version: string;
    readonly informationUri?: string;
  };
  readonly command: 'audit' | 'scan';
  /** The base URL a scan ran against. */
  readonly target?: string;
  /** The API descriptions read (files or URLs). */
  readonly sources?: readonly string[];
  /** ISO 8601 timestamps. */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly score?: ReportScore;
  /** Engine counters shown beside the findings, e.g. `{ operations: 12, requests: 340 }`. */
  readonly summary?: Readonly<Record<string, number>>;
  /** Every rule or check that ran (SARIF lists them; JUnit shows them as passing test cases). */
  readonly rules?: readonly RuleMeta[];
  /** Terminal colour for the text format; every other format ignores it. */
  readonly colour?: boolean;
  /** Directory that spec file paths are made relative to (SARIF `%SRCROOT%`); default the cwd. */
  readonly baseDir?: string;
  /** True when the run stopped early (ctrl-C, time limit): the report is partial. */
  readonly partial?: boolean;
  /**
   * Scan only: operations a check could not test because the target throttled it. Neither passes
   * nor findings, so JUnit lists them as skipped and the other formats list them apart.
   */
  readonly untested?: readonly UntestedOperation[];
}

export interface UntestedOperation {
  /** The check id, or `discovery`. */
  readonly check: string;
  readonly operation: string;
  readonly reason: 'throttled';
}

export interface ReportRenderer {
  /** The `--format` value. */
  readonly name: string;
  readonly extension: string;
  readonly mediaType: string;
  readonly description: string;
  render(findings: readonly Finding[], meta: ReportMeta): string;
}
