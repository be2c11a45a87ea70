// The whole bulwark.yaml, as `loadConfig` returns it: validated against schema/bulwark.schema.json
// and deep-frozen. Each tool's section type lives in sections/<tool>.ts beside its schema part.
import type { AuditConfig } from './sections/audit.js';
import type { ProtectConfig } from './sections/protect.js';
import type { ScanConfig } from './sections/scan.js';

export type { AuditConfig, ProtectConfig, ScanConfig };

export const SECTION_NAMES = ['protect', 'scan', 'audit'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export interface BulwarkConfig {
  readonly $schema?: string;
  readonly version: 1;
  readonly protect?: ProtectConfig;
  readonly scan?: ScanConfig;
  readonly audit?: AuditConfig;
}
