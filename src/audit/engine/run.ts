// Runs the registered rules over one model and turns their reports into Findings: rule overrides
// (off / severity), inline `x-bulwark-ignore` with a required reason, de-duplication by fingerprint,
// and a real location for every finding (never 0:0, so SARIF viewers can show it).
import { locateConfig } from '../../core/config/meta.js';
import { toPointer } from '../../core/config/path.js';
import { findingFingerprint } from '../../core/finding.js';
import type { Finding, FindingLocation, Severity, SpecLocation } from '../../core/finding.js';
import type { ApiModel } from '../../core/openapi/model.js';
import type { AuditRule, PolicyConfig, Report, RuleContext, SchemaIndex } from '../types.js';
import { readIgnores, type IgnoreProblem } from './ignore.js';
import { buildSchemaIndex } from './schema-index.js';

export type RuleOverride = 'off' | Severity;

export interface ModelAuditOptions {
  readonly rules: readonly AuditRule[];
  readonly overrides?: Readonly<Record<string, RuleOverride>>;
  readonly config?: PolicyConfig;
  /** A prebuilt index, when the caller already has one. */
  readonly schemas?: SchemaIndex;
}

export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: string;
}

export interface RuleFailure {
  readonly rule: string;
  readonly message: string;
}

export interface ModelAuditResult {
  readonly findings: Finding[];
  /** Findings silenced by `x-bulwark-ignore`, with the reason given. */
  readonly ignored: SuppressedFinding[];
  /** `x-bulwark-ignore` entries that were not honoured (no reason, not a rule id). */
  readonly ignoreProblems: IgnoreProblem[];
  /** A rule that threw: a bug, reported instead of aborting the whole audit. */
  readonly failures: RuleFailure[];
}

/** A location a viewer can show: 1-based line and column, never 0:0. */
export function isRealLocation(location: SpecLocation | undefined): location is SpecLocation {
  return location !== undefined && location.line >= 1 && location.column >= 1;
}

export function rootLocation(model: ApiModel): SpecLocation {
  const root = model.locatePointer('');
  return isRealLocation(root) ? root : { file: model.source, line: 1, column: 1, pointer: '' };
}

export function auditModel(model: ApiModel, options: ModelAuditOptions): ModelAuditResult {
  const schemas = options.schemas ?? buildSchemaIndex(model);
  const root = rootLocation(model);
  const byFingerprint = new Map<string, Merged>();
  const ignored: SuppressedFinding[] = [];
  const ignoreProblems: IgnoreProblem[] = [];
  const failures: RuleFailure[] = [];
  const ignoresOf = readIgnores(model, ignoreProblems);

  const locate = (node: object | undefined, fallback?: SpecLocation): SpecLocation => {
    const found = node === undefined ? undefined : (model.locate(node) ?? schemas.locationOf(node));
    if (isRealLocation(found)) return found;
    return isRealLocation(fallback) ? fallback : root;
  };

  for (const rule of options.rules) {
    const override = options.overrides?.[rule.id];
    if (override === 'off') continue;
    const emit = (report: Report) => {
      // An explicit location wins; otherwise the node's own place, then its operation's.
      const spec = isRealLocation(report.location)
        ? report.location
        : locate(report.node, report.operation?.location);
      const finding = toFinding(rule, report, spec, override);
      const reason = ignoresOf(rule.id, [report.node, report.operation?.extensions]);
      if (reason !== undefined) {
        ignored.push({ finding, reason });
        return;
      }
      const key = finding.fingerprint as string;
      const previous = byFingerprint.get(key);
      if (previous) addPlaces(previous, finding);
      else byFingerprint.set(key, { finding, places: undefined });
    };
    const ctx: RuleContext = {
      model,
      schemas,
      config: options.config,
      locateConfig: (path) => configLocation(options.config, path),
      report: emit,
      locate,
    };
    try {
      rule.run(ctx);
    } catch (error) {
      failures.push({
        rule: rule.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const findings: Finding[] = [];
  for (const merged of byFingerprint.values()) findings.push(mergedFinding(merged));
  return { findings, ignored, ignoreProblems, failures };
}

/** A config path's line in the config file; line 1 of the file when the path cannot be found. */
function configLocation(
  config: PolicyConfig | undefined,
  path: readonly (string | number)[],
): SpecLocation {
  const pointer = toPointer(path);
  let found;
  try {
    found = config === undefined ? undefined : locateConfig(config, path);
  } catch {
    found = undefined; // a config built in memory has no source to locate in
  }
  const file = found?.file ?? 'bulwark.yaml';
  return { file, line: found?.line ?? 1, column: found?.column ?? 1, pointer };
}

function toFinding(
  rule: AuditRule,
  report: Report,
  spec: SpecLocation,
  override: RuleOverride | undefined,
): Finding {
  const location: FindingLocation = report.operation
    ? { spec, operation: report.operation.key }
    : { spec };
  // Most reports have neither: no temporary arrays for them (a corpus audit emits 100,000+).
  const related: FindingLocation[] = [];
  if (report.operations)
    for (const operation of report.operations)
      if (operation !== report.operation?.key) related.push({ operation });
  if (report.related)
    for (const where of report.related) if (isRealLocation(where)) related.push({ spec: where });
  const base: Finding = {
    id: rule.id,
    title: rule.title,
    owasp: rule.owasp,
    cwe: rule.cwe,
    severity: (override === 'off' ? undefined : override) ?? report.severity ?? rule.severity,
    confidence: report.confidence ?? rule.confidence ?? 'firm',
    message: report.message,
    location,
    remediation: rule.remediation,
    ...(related.length > 0 ? { related } : {}),
    ...(report.detail === undefined ? {} : { evidence: { detail: report.detail } }),
  };
  return { ...base, fingerprint: findingFingerprint(base) };
}

/**
 * Reports that share a fingerprint are one finding: the first one, plus the places of the others.
 * The places are gathered as they come and de-duplicated once at the end, so a shared component used
 * by thousands of operations costs linear time, not a rebuilt list per report.
 */
interface Merged {
  readonly finding: Finding;
  /** The first finding's related places followed by each later report's; undefined until a merge. */
  places: FindingLocation[] | undefined;
}

function addPlaces(merged: Merged, b: Finding): void {
  const places = (merged.places ??= [...(merged.finding.related ?? [])]);
  if (b.location.operation !== undefined) places.push({ operation: b.location.operation });
  if (b.related) for (const where of b.related) places.push(where);
}

function mergedFinding({ finding: a, places }: Merged): Finding {
  if (places === undefined) return a;
  const seen = new Set<string>();
  const related: FindingLocation[] = [];
  for (const where of places) {
    const key = `${where.operation ?? ''}|${where.spec?.pointer ?? ''}`;
    if (seen.has(key) || (where.operation === a.location.operation && !where.spec)) continue;
    seen.add(key);
    related.push(where);
  }
  return related.length > 0 ? { ...a, related } : a;
}
