// Runs selected checks against a purpose-built target with and without a flaw.
import type { ScanConfig } from '../../../src/core/config/sections/scan.js';
import type { Finding } from '../../../src/core/finding.js';
import { scanApi, type ScanResult, type ScanSettings } from '../../../src/scan/index.js';
import { freePort } from './ports.js';
import { targetModel } from './spec.js';
import { startTarget, targetConfig, type Flaw } from './target.js';

export interface CheckRun extends ScanResult {
  readonly findings: Finding[];
}

export async function runChecks(
  include: readonly string[],
  flaws: readonly Flaw[],
  options: {
    intrusive?: boolean;
    config?: Record<string, unknown>;
    consumer?: boolean;
    overrides?: Partial<ScanSettings>;
  } = {},
): Promise<CheckRun> {
  const hostilePort = options.consumer ? await freePort() : 0;
  const target = await startTarget(
    flaws,
    options.consumer ? { classifierUrl: `http://127.0.0.1:${hostilePort}/` } : {},
  );
  try {
    const config = targetConfig({
      checks: { include: [...include] },
      ...options.config,
    }) as ScanConfig;
    return await scanApi({
      model: await targetModel(),
      config,
      flags: { target: target.url, intrusive: options.intrusive ?? false },
      overrides: { hostilePort, ...options.overrides },
    });
  } finally {
    await target.close();
  }
}

export function ids(result: ScanResult): string[] {
  return result.findings.map((f) => f.id);
}
