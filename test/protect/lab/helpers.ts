// The vulnerable lab behind the gateway with examples/lab/bulwark.yaml, as a user would run them.
import type { TestContext } from 'node:test';
import { loadConfig } from '../../../src/core/config/index.js';
import { loadSpec } from '../../../src/core/openapi/load.js';
import { startLab } from '../../../src/lab/index.js';
import { createLogger } from '../../../src/protect/engine/observe.js';
import { startProtect } from '../../../src/protect/index.js';
import { LogSink, ROOT } from './root.js';

export interface LabGateway {
  readonly url: string;
  readonly labUrl: string;
  readonly logs: LogSink;
  token(email?: string, password?: string): Promise<string>;
}

export async function labBehindGateway(t: TestContext): Promise<LabGateway> {
  const lab = await startLab({ variant: 'vulnerable' });
  t.after(() => lab.close());
  const config = loadConfig('examples/lab/bulwark.yaml', { cwd: ROOT });
  const model = await loadSpec('examples/lab/openapi.yaml', { cwd: ROOT });
  const logs = new LogSink();
  const gw = await startProtect({
    model,
    upstream: lab.url,
    port: 0,
    adminPort: 0,
    config: config.protect ?? {},
    logger: createLogger(logs),
  });
  t.after(() => gw.close());
  return {
    url: gw.url,
    labUrl: lab.url,
    logs,
    async token(email = 'alice@lab.test', password = 'alice-password-1') {
      const res = await fetch(`${gw.url}/api/v2/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200)
        throw new Error(`login through the gateway: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
  };
}
