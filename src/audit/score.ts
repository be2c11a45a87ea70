// The audit score: 0 (worst) to 100 (best), overall and per OWASP category. The method is
// documented in docs/audit/score.md and is stable: the same findings always give the same score,
// and it only changes with a documented version bump of SCORE_METHOD.
import { OWASP_CATEGORIES } from '../core/finding.js';
import type { Finding, OwaspCategory, Severity } from '../core/finding.js';

export const SCORE_METHOD = 1;

/** Points one rule costs at its most severe finding. */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = {
  critical: 40,
  high: 20,
  medium: 8,
  low: 2,
  info: 0,
};

/** Repeats of one rule cost more, but with diminishing returns: 1 + log2(n), at most 4 times. */
export const MAX_REPEAT_FACTOR = 4;

export interface AuditScore {
  readonly overall: number;
  readonly categories: Readonly<Record<OwaspCategory, number>>;
}

const severityOrder: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** The penalty of each rule: weight of its worst finding × min(1 + log2(count), 4). */
export function rulePenalties(
  findings: readonly Finding[],
): Map<string, { owasp: OwaspCategory; penalty: number }> {
  const byRule = new Map<string, { owasp: OwaspCategory; worst: Severity; count: number }>();
  for (const f of findings) {
    const entry = byRule.get(f.id);
    if (!entry) byRule.set(f.id, { owasp: f.owasp, worst: f.severity, count: 1 });
    else {
      entry.count++;
      if (severityOrder.indexOf(f.severity) > severityOrder.indexOf(entry.worst))
        entry.worst = f.severity;
    }
  }
  const out = new Map<string, { owasp: OwaspCategory; penalty: number }>();
  for (const [id, { owasp, worst, count }] of byRule) {
    const factor = Math.min(1 + Math.log2(count), MAX_REPEAT_FACTOR);
    out.set(id, { owasp, penalty: SEVERITY_WEIGHT[worst] * factor });
  }
  return out;
}

export function scoreFindings(findings: readonly Finding[]): AuditScore {
  const penalties = rulePenalties(findings);
  const lost = new Map<OwaspCategory, number>();
  let worstRule = 0;
  for (const { owasp, penalty } of penalties.values()) {
    lost.set(owasp, (lost.get(owasp) ?? 0) + penalty);
    worstRule = Math.max(worstRule, penalty);
  }
  const categories = Object.fromEntries(
    OWASP_CATEGORIES.map((c) => [c, Math.max(0, Math.round(100 - (lost.get(c) ?? 0)))]),
  ) as Record<OwaspCategory, number>;
  const values = Object.values(categories);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  // One serious problem must not be averaged away by nine clean categories.
  const overall = Math.max(0, Math.round(Math.min(mean, 100 - worstRule)));
  return { overall, categories };
}
