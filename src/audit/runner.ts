// Audits many specs in one process. Independent specs run on a small worker_threads pool when there
// are several and more than one core; results come back in input order, so output is deterministic.
import { Worker } from 'node:worker_threads';
import { collectAbove } from '../core/memory.js';
import type { BulwarkConfig, SectionName } from '../core/config/types.js';
import type { RuleOverride } from './engine/run.js';
import { auditOne, type SpecResult } from './audit-one.js';
import type { SpecInput } from './inputs.js';

export interface RunOptions {
  readonly cwd: string;
  readonly config?: BulwarkConfig;
  /** The config file the workers reload (they cannot receive the frozen config with its source). */
  readonly configFile?: string;
  readonly configSections?: readonly SectionName[];
  readonly overrides?: Readonly<Record<string, RuleOverride>>;
  /** Parallel workers; 1 (the default) audits in this thread. */
  readonly jobs?: number;
  readonly signal?: AbortSignal;
  readonly allowRemoteRefs?: boolean;
}

/**
 * One thread by default. Measured on the shared 2-core machine (bench/RESULTS.md), two workers were
 * slower than one: the cores were already busy, and each worker pays its own start-up. On dedicated
 * cores `--jobs 2` can pay off; it is the user's call.
 */
export function defaultJobs(_specs: number): number {
  return 1;
}

/** Heap in use above which the garbage of earlier specs is collected before the next one. */
const HEAP_COLLECT_BYTES = 256 * 1024 * 1024;

export async function auditInputs(
  inputs: readonly SpecInput[],
  options: RunOptions,
): Promise<SpecResult[]> {
  const jobs = Math.min(options.jobs ?? defaultJobs(inputs.length), inputs.length);
  if (jobs <= 1) {
    const results: SpecResult[] = [];
    for (const input of inputs) {
      if (options.signal?.aborted) break;
      results.push(
        await auditOne(input.source, input.explicit, {
          cwd: options.cwd,
          ...(options.overrides ? { overrides: options.overrides } : {}),
          ...(options.config ? { config: options.config } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.allowRemoteRefs ? { allowRemoteRefs: true } : {}),
        }),
      );
      // Between specs: a spec's model is garbage now; see core/memory.ts for why this is asked.
      collectAbove(HEAP_COLLECT_BYTES);
    }
    return results;
  }
  return runPool(inputs, jobs, options);
}

function workerUrl(): URL {
  // From source (tsx) the sibling is worker.ts; from dist it is worker.js.
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./worker.${ext}`, import.meta.url);
}

function runPool(
  inputs: readonly SpecInput[],
  jobs: number,
  options: RunOptions,
): Promise<SpecResult[]> {
  const results = new Array<SpecResult | undefined>(inputs.length);
  let next = 0;
  let done = 0;
  return new Promise((resolvePromise, reject) => {
    const workers: Worker[] = [];
    const finish = () => {
      for (const w of workers) void w.terminate();
      resolvePromise(results.filter((r): r is SpecResult => r !== undefined));
    };
    const feed = (worker: Worker) => {
      if (next >= inputs.length || options.signal?.aborted) {
        worker.postMessage(null);
        return;
      }
      const index = next++;
      const input = inputs[index] as SpecInput;
      worker.postMessage({ index, source: input.source, explicit: input.explicit });
    };
    options.signal?.addEventListener('abort', finish, { once: true });
    for (let i = 0; i < jobs; i++) {
      const url = workerUrl();
      // Running from source (tests, dev-cli), the worker registers the TypeScript loader first.
      const fromSource = url.pathname.endsWith('.ts');
      const entry = fromSource
        ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`
        : url;
      const worker = new Worker(entry, {
        ...(fromSource ? { eval: true } : {}),
        workerData: {
          cwd: options.cwd,
          ...(options.configFile
            ? { configFile: options.configFile, configSections: options.configSections }
            : {}),
          ...(options.overrides ? { overrides: options.overrides } : {}),
          ...(options.allowRemoteRefs ? { allowRemoteRefs: true } : {}),
        },
      });
      workers.push(worker);
      worker.on('message', (message: { index: number; result: SpecResult }) => {
        results[message.index] = message.result;
        done++;
        if (done === inputs.length) finish();
        else feed(worker);
      });
      worker.on('error', (error) => {
        for (const w of workers) void w.terminate();
        reject(error);
      });
      feed(worker);
    }
  });
}
