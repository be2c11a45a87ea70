// A worker_threads entry: audits the specs the parent sends, one at a time, and posts plain results.
// The parent (runner.ts) spreads independent specs over workers; YAML parsing and $ref resolution are
// CPU-bound, so two cores audit a directory nearly twice as fast.
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../core/config/load.js';
import type { SectionName } from '../core/config/types.js';
import type { RuleOverride } from './engine/run.js';
import { auditOne, specError } from './audit-one.js';
import { collectAbove } from '../core/memory.js';

const WORKER_HEAP_COLLECT_BYTES = 112 * 1024 * 1024;

interface Init {
  readonly cwd: string;
  readonly configFile?: string;
  readonly configSections?: readonly SectionName[];
  readonly overrides?: Readonly<Record<string, RuleOverride>>;
  readonly allowRemoteRefs?: boolean;
}

interface Job {
  readonly index: number;
  readonly source: string;
  readonly explicit: boolean;
}

const init = workerData as Init;
// The parent validated the same file already; loading it here gives the policy rules its locations.
const config =
  init.configFile === undefined
    ? undefined
    : loadConfig(init.configFile, {
        cwd: init.cwd,
        ...(init.configSections ? { sections: init.configSections } : {}),
      });

parentPort?.on('message', (job: Job | null) => {
  if (job === null) {
    parentPort?.close();
    return;
  }
  auditOne(job.source, job.explicit, {
    cwd: init.cwd,
    ...(init.overrides ? { overrides: init.overrides } : {}),
    ...(config ? { config } : {}),
    ...(init.allowRemoteRefs ? { allowRemoteRefs: true } : {}),
  })
    .then((result) => {
      parentPort?.postMessage({ index: job.index, result });
      // Two heaps and the parent share the process: each collects its specs' garbage sooner (memory.ts).
      collectAbove(WORKER_HEAP_COLLECT_BYTES);
    })
    .catch((error: unknown) =>
      parentPort?.postMessage({
        index: job.index,
        result: {
          source: job.source,
          explicit: job.explicit,
          findings: [],
          ignored: [],
          ignoreProblems: [],
          failures: [],
          operations: 0,
          error: specError(error),
          ms: 0,
        },
      }),
    );
});
