// Public API of the scanner: `scanApi` runs every registered check against a live API. The CLI
// (`bulwark scan`), the demo and tests all go through here.
import type { ScanConfig } from '../core/config/sections/scan.js';
import type { ApiModel } from '../core/openapi/model.js';
import type { RuleMeta } from '../report/index.js';
import { resolveSettings, type ScanFlags } from './config.js';
import { runScan, type ScanProgress, type ScanResult } from './engine/run.js';
import type { Finding } from '../core/finding.js';
import { checks } from './registry.js';
import type { ScanSettings } from './settings.js';

export type { ScanProgress, ScanResult } from './engine/run.js';
export type { ScanSettings } from './settings.js';
export type { ScanCheck } from './types.js';
export { checks } from './registry.js';
export { resolveSettings, parseTarget } from './config.js';

export interface ScanApiOptions {
  readonly model: ApiModel;
  readonly config?: ScanConfig;
  readonly flags?: ScanFlags;
  /** Overrides applied after the config (tests and the demo pick ports at run time). */
  readonly overrides?: Partial<ScanSettings>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly onFinding?: (finding: Finding) => void;
}

export async function scanApi(
  options: ScanApiOptions,
): Promise<ScanResult & { settings: ScanSettings }> {
  const settings = {
    ...resolveSettings(options.config, options.flags ?? {}, options.model),
    ...options.overrides,
  };
  const result = await runScan({
    model: options.model,
    settings,
    checks,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onFinding ? { onFinding: options.onFinding } : {}),
  });
  return { ...result, settings };
}

/** What each check is, for SARIF rules and JUnit test cases. */
export function checkRules(ids?: readonly string[]): RuleMeta[] {
  return checks
    .filter((c) => ids === undefined || ids.includes(c.id))
    .map((c) => ({
      id: c.id,
      title: c.title,
      owasp: c.owasp,
      cwe: c.cwe,
      severity: c.severity,
      description: c.title,
      remediation: c.remediation,
      helpUri: `https://github.com/bulwark/bulwark/blob/main/docs/scan.md#${c.id.replace(/:/g, '')}`,
    }));
}
