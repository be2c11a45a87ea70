// Counting findings and turning them into the CLI exit code (docs/reports.md, "Exit codes").
import { BulwarkError } from '../core/errors.js';
import {
  OWASP_CATEGORIES,
  SEVERITIES,
  atLeast,
  type Finding,
  type OwaspCategory,
  type Severity,
} from '../core/finding.js';
import { didYouMean } from '../core/suggest.js';

export type FailOn = Severity | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'none'];

/** Counts per severity, every severity present (zero when none). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** Counts per OWASP category, every category present (zero when none). */
export function countByCategory(findings: readonly Finding[]): Record<OwaspCategory, number> {
  const counts = Object.fromEntries(OWASP_CATEGORIES.map((c) => [c, 0])) as Record<
    OwaspCategory,
    number
  >;
  for (const finding of findings) counts[finding.owasp] += 1;
  return counts;
}

/** 0 when no finding is at or above `failOn`, else 1. `none` never fails (report-only runs). */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'none') return 0;
  return findings.some((f) => atLeast(f.severity, failOn)) ? 1 : 0;
}

/** Parses a `--fail-on` value, case-insensitively; unknown values are usage errors with a hint. */
export function parseFailOn(value: string): FailOn {
  const lower = value.trim().toLowerCase();
  const match = FAIL_ON_VALUES.find((v) => v === lower);
  if (match) return match;
  const hint = didYouMean(lower, FAIL_ON_VALUES);
  throw new BulwarkError(
    'BULWARK_ERR_USAGE',
    `unknown --fail-on value '${value}': expected one of ${FAIL_ON_VALUES.join(', ')}`,
    hint === undefined ? {} : { hint },
  );
}
