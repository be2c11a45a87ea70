// Times a full --intrusive scan of each lab variant with examples/lab/scan.yaml (issue 7 acceptance:
// under 2 minutes on this machine) and writes the result into bench/RESULTS.md between the scan
// markers. No peer scanner is installed here (Schemathesis, ZAP and RESTler need Python/Java), so
// the table holds Bulwark only.
// Usage: node --import tsx bench/scan/lab.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'node:net';
import { format } from 'prettier';
import { loadConfig } from '../../src/core/config/index.js';
import { loadSpec } from '../../src/core/openapi/load.js';
import { startLab, type Variant } from '../../src/lab/index.js';
import { scanApi } from '../../src/scan/index.js';

const root = new URL('../../', import.meta.url);
const results = new URL('bench/RESULTS.md', root);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function once(variant: Variant): Promise<string> {
  const hostilePort = await freePort();
  const lab = await startLab({
    variant,
    port: 0,
    classifierUrl: `http://127.0.0.1:${hostilePort}/`,
  });
  try {
    const model = await loadSpec(new URL('examples/lab/openapi.yaml', root).pathname);
    const config = loadConfig(new URL('examples/lab/scan.yaml', root).pathname, {
      sections: ['scan'],
    });
    const started = performance.now();
    const result = await scanApi({
      model,
      ...(config.scan ? { config: config.scan } : {}),
      flags: { target: lab.url, intrusive: true },
      overrides: { hostilePort },
    });
    const seconds = (performance.now() - started) / 1000;
    const categories = new Set(
      result.findings
        .filter((f) => f.severity !== 'low' && f.severity !== 'info')
        .map((f) => f.owasp),
    );
    const t = result.throttle;
    return `| ${variant} | ${seconds.toFixed(1)} | ${result.requests} | ${result.findings.length} | ${categories.size} | ${t.throttled} | ${t.waits} | ${(t.waitedMs / 1000).toFixed(1)} | ${result.untested.length} |`;
  } finally {
    await lab.close();
  }
}

const rows = [await once('vulnerable'), await once('secure')];
const raw = [
  '<!-- scan:start -->',
  '## Scan of the lab (bench/scan)',
  '',
  `Command: \`node --import tsx bench/scan/lab.ts\` (${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; shared machine).`,
  'Full `--intrusive` scan with examples/lab/scan.yaml, lab in the same process. Goal (issue 7): under 120 s.',
  '',
  '| Variant | Seconds | Requests | Findings | Categories at medium+ | Throttled | Waits | Waited s | Untested |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  "Throttled: answers 429 (or 503 with Retry-After); Waits/Waited s: the scanner's pauses for them, within its 15 s per-scan budget; Untested: operations a check could not test because they stayed throttled (docs/scan.md).",
  '<!-- scan:end -->',
].join('\n');
// Formatted as `prettier --check` expects, so the shared file stays clean.
const section = (await format(raw, { parser: 'markdown' })).trimEnd();
const text = readFileSync(results, 'utf8');
const updated = /<!-- scan:start -->[\s\S]*<!-- scan:end -->/.test(text)
  ? text.replace(/<!-- scan:start -->[\s\S]*<!-- scan:end -->/, section)
  : `${text.trimEnd()}\n\n${section}\n`;
writeFileSync(results, updated);
console.log(section);
