// The public face of the audit: one call from CLI arguments to findings, score and notes. Spec and
// config errors are collected per spec (one coded line each) so one broken file does not hide the
// findings of the others; the caller exits 2 when there were any.
import { resolve } from 'node:path';
import { configFile as configFileOf, loadConfig, resolveFromConfig } from '../core/config/index.js';
import type { BulwarkConfig, SectionName } from '../core/config/index.js';
import { isBulwarkError } from '../core/errors.js';
import type { Finding, Severity } from '../core/finding.js';
import type { ReportScore, RuleMeta } from '../report/types.js';
import { baselineMatcher, buildBaseline, readBaseline, writeBaseline } from './baseline.js';
import type { SpecResult } from './audit-one.js';
import { expandInputs } from './inputs.js';
import { rules } from './registry.js';
import { auditInputs } from './runner.js';
import { scoreFindings } from './score.js';

export { rules } from './registry.js';
export { auditModel } from './engine/run.js';
export { scoreFindings } from './score.js';
export type { SpecResult } from './audit-one.js';

export interface AuditRunOptions {
  readonly specs: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly configFile?: string;
  readonly baseline?: string;
  readonly writeBaseline?: string;
  readonly jobs?: number;
  readonly signal?: AbortSignal;
}

export interface AuditRunOutcome {
  readonly findings: Finding[];
  readonly results: SpecResult[];
  readonly sources: string[];
  readonly score: ReportScore;
  readonly summary: Record<string, number>;
  readonly rules: RuleMeta[];
  /** Lines for stderr: spec errors, skipped files, ignores without reasons. */
  readonly notes: string[];
  /** Spec, config or rule errors: the run exits 2. */
  readonly errors: number;
  readonly failOn: Severity | 'none' | undefined;
  readonly wroteBaseline: boolean;
}

export function ruleMeta(): RuleMeta[] {
  return rules.map((r) => ({
    id: r.id,
    title: r.title,
    owasp: r.owasp,
    cwe: r.cwe,
    severity: r.severity,
    description: r.rationale,
    remediation: r.remediation,
    helpUri: `docs/audit/rules.md#${r.id.replace(/[^a-z0-9-]/g, '')}`,
  }));
}

/**
 * The config with the sections the audit reads. Policy rules lint `protect`; when its secrets are
 * not set in this environment (typical in CI), the audit still runs, without the policy rules.
 */
function loadAuditConfig(options: AuditRunOptions, notes: string[]) {
  const load = (sections: SectionName[]) =>
    loadConfig(options.configFile, {
      cwd: options.cwd,
      ...(options.env ? { env: options.env } : {}),
      sections,
    });
  try {
    return { config: load(['audit', 'protect']), sections: ['audit', 'protect'] as SectionName[] };
  } catch (error) {
    if (!isBulwarkError(error) || error.code !== 'BULWARK_ERR_CONFIG_ENV') throw error;
    notes.push(`${error.toLine()}; the policy rules (protect section) are skipped`);
    return { config: load(['audit']), sections: ['audit'] as SectionName[] };
  }
}

export async function auditRun(options: AuditRunOptions): Promise<AuditRunOutcome> {
  const notes: string[] = [];
  const { config, sections } = loadAuditConfig(options, notes);
  const audit = config.audit;
  const baselineFile =
    options.baseline !== undefined
      ? resolve(options.cwd, options.baseline)
      : audit?.baseline !== undefined
        ? resolveFromConfig(config, audit.baseline)
        : undefined;
  const baseline = baselineFile ? await readBaseline(baselineFile) : undefined;
  const inputs = await expandInputs(options.specs, options.cwd);
  const configFile = options.configFile ?? configPath(config);
  const results = await auditInputs(inputs, {
    cwd: options.cwd,
    config,
    ...(configFile ? { configFile, configSections: sections } : {}),
    ...(audit?.rules ? { overrides: audit.rules } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });

  let errors = 0;
  const audited: SpecResult[] = [];
  for (const result of results) {
    if (result.error) {
      // A directory or glob may hold JSON/YAML that is not an API description: skip it.
      if (!result.explicit && result.error.code === 'BULWARK_ERR_SPEC_NOT_API') {
        notes.push(`skipped ${result.source}: not an API description`);
        continue;
      }
      errors++;
      notes.push(result.error.line);
      continue;
    }
    audited.push(result);
    for (const p of result.ignoreProblems) {
      const where = p.location
        ? `${p.location.file}:${p.location.line}:${p.location.column}: `
        : '';
      notes.push(`${where}${p.message}`);
    }
    for (const f of result.failures) {
      errors++;
      notes.push(`${result.source}: BULWARK_ERR_INTERNAL: rule ${f.rule} failed: ${f.message}`);
    }
  }

  if (options.writeBaseline) {
    const file = resolve(options.cwd, options.writeBaseline);
    await writeBaseline(
      file,
      buildBaseline(
        audited.map((r) => ({ spec: r.source, findings: r.findings })),
        file,
      ),
    );
    notes.push(
      `wrote ${audited.reduce((n, r) => n + r.findings.length, 0)} finding(s) to the baseline ${options.writeBaseline}`,
    );
  }

  const known = baseline && baselineFile ? baselineMatcher(baseline, baselineFile) : undefined;
  const findings: Finding[] = [];
  const policySeen = new Set<string>();
  let suppressed = 0;
  for (const result of audited) {
    for (const f of result.findings) {
      if (known?.(result.source, f)) {
        suppressed++;
        continue;
      }
      // Findings about the config file are the same for every spec: report them once.
      if (configFile && f.location.spec?.file === configFile) {
        const key = `${f.fingerprint}|${JSON.stringify(f.related ?? [])}`;
        if (policySeen.has(key)) continue;
        policySeen.add(key);
      }
      findings.push(f);
    }
  }
  const score = scoreFindings(findings);
  return {
    findings,
    results,
    sources: audited.map((r) => r.source),
    score,
    summary: {
      specs: audited.length,
      operations: audited.reduce((n, r) => n + r.operations, 0),
      findings: findings.length,
      ignored: audited.reduce((n, r) => n + r.ignored.length, 0),
      baselined: suppressed,
      errors,
    },
    rules: ruleMeta(),
    notes,
    errors,
    failOn: audit?.failOn,
    wroteBaseline: options.writeBaseline !== undefined,
  };
}

function configPath(config: BulwarkConfig): string | undefined {
  try {
    return configFileOf(config);
  } catch {
    return undefined;
  }
}
