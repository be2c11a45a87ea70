// Bulwark as the bench runs it, in its own process: `none` is the proxy core with no stage (no
// spec enforcement); `full` is the lab spec with examples/lab/bulwark.yaml, plus response
// validation so JSON is validated in both directions. Logs are on (info, JSON to stderr) as in
// production; the runner sends them to /dev/null. A third argument N > 1 runs N cluster workers.
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { announceWorker, isClusterWorker, startPrimary } from '../../src/protect/engine/cluster.js';
import { loadConfig } from '../../src/core/config/index.js';
import type { ProtectConfig } from '../../src/core/config/sections/protect.js';
import { loadSpec } from '../../src/core/openapi/load.js';
import { createLogger } from '../../src/protect/engine/observe.js';
import { resolvePolicy } from '../../src/protect/engine/policy.js';
import { startProtect } from '../../src/protect/engine/server.js';
import { stages } from '../../src/protect/registry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [mode = 'full', upstream = '', workersArg = '1'] = process.argv.slice(2);
const workers = Number(workersArg);
if (workers > 1 && cluster.isPrimary) {
  const primary = await startPrimary(workers, { host: '127.0.0.1', port: 0 });
  console.log(`ready ${new URL(primary.url).port}`);
  const stop = (): void => void primary.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  await worker();
}

async function worker(): Promise<void> {
  const model = await loadSpec('examples/lab/openapi.yaml', { cwd: root });
  // Issue 4's controls only: authentication (issue 5) and rate limits (issue 6) have their own bench
  // cases; a bench token would be refused, and a limit would turn the run into 429s.
  const {
    auth: _auth,
    rateLimit: _rateLimit,
    ...section
  } = (loadConfig('examples/lab/bulwark.yaml', {
    cwd: root,
  }).protect ?? {}) as Record<string, unknown> & ProtectConfig;
  const policy = resolvePolicy({
    ...section,
    upstream,
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    responses: { ...section.responses, validate: 'log' },
  });
  const running = await startProtect({
    model,
    policy,
    stages: mode === 'none' ? [] : stages,
    upstream,
    port: 0,
    adminPort: isClusterWorker() ? null : 0,
    logger: createLogger(undefined, process.env['BULWARK_LOG'] ?? 'info'),
  });
  if (isClusterWorker()) announceWorker(running.url, running.observer.registry);
  else console.log(`ready ${new URL(running.url).port}`);
  const stop = (): void => void running.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
