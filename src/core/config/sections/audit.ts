// The `audit` section of bulwark.yaml. Mirrors schema/parts/audit.schema.json (owned by the audit
// tool); test/core/config/sections.test.ts checks the two agree on their keys.
import type { Severity } from '../../finding.js';

export type AuditRuleSetting = 'off' | Severity;

export interface AuditConfig {
  /** Per rule id (`owasp:apiN:slug`): 'off', or a severity replacing the rule's default. */
  readonly rules?: Readonly<Record<string, AuditRuleSetting>>;
  /** Baseline file of known findings, relative to the config file (resolveFromConfig). */
  readonly baseline?: string;
  /** Exit 1 at or above this severity; 'none' never fails. Default 'medium'. */
  readonly failOn?: Severity | 'none';
}

/** Top-level keys, kept in step with the schema part by a test. */
export const AUDIT_KEYS = [
  'rules',
  'baseline',
  'failOn',
] as const satisfies readonly (keyof AuditConfig)[];
