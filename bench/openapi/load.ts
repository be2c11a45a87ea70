// Loader benchmark: the whole corpus and a synthetic 6.8 MB description, loaded by Bulwark and by
// peer parsers side by side, each peer in a fresh child process (no shared JIT or heap).
//   node --import tsx bench/openapi/load.ts            # all peers, updates bench/RESULTS.md
//   node --import tsx bench/openapi/load.ts --peer bulwark
// Peers do less than Bulwark: yaml.parse keeps no positions and resolves no $ref; Spectral's
// parseWithPointers keeps positions but resolves no $ref and normalises nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWithPointers as jsonWithPointers } from '@stoplight/json';
import { parseWithPointers as yamlWithPointers } from '@stoplight/yaml';
import { parse as yamlParse, stringify } from 'yaml';
import { loadSpec } from '../../src/core/openapi/load.js';
import { syntheticSpec } from '../../test/core/openapi/synthetic.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = resolve(ROOT, '../shared/corpus/openapi');
const RESULTS = join(ROOT, 'bench/RESULTS.md');

type Peer = (file: string) => Promise<unknown>;
const PEERS: Record<string, { label: string; run: Peer }> = {
  bulwark: {
    label: 'Bulwark loadSpec (parse + positions + $ref + model + freeze)',
    run: (f) => loadSpec(f),
  },
  'yaml.parse': {
    label: 'yaml.parse (eemeli/yaml 2, values only)',
    run: async (f) => yamlParse(readFileSync(f, 'utf8'), { uniqueKeys: false, maxAliasCount: -1 }),
  },
  'stoplight-pointers': {
    label: 'Spectral parseWithPointers (@stoplight/yaml or /json)',
    run: async (f) =>
      (f.endsWith('.json') ? jsonWithPointers : yamlWithPointers)(readFileSync(f, 'utf8')),
  },
};

async function child(peer: string, files: string[]): Promise<void> {
  const run = PEERS[peer]?.run;
  if (!run) throw new Error(`unknown peer ${peer}`);
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const file of files) {
    try {
      await run(file);
      ok++;
    } catch {
      failed++;
    }
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  process.stdout.write(JSON.stringify({ ms: performance.now() - start, cpuMs, ok, failed }));
}

function spawnPeer(peer: string, listFile: string) {
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--peer', peer, '--list', listFile],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      timeout: 600_000,
    },
  );
  if (out.status !== 0) throw new Error(`${peer} failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as { ms: number; cpuMs: number; ok: number; failed: number };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const peerIndex = args.indexOf('--peer');
  const listIndex = args.indexOf('--list');
  if (peerIndex >= 0) {
    const list = JSON.parse(readFileSync(args[listIndex + 1] ?? '', 'utf8')) as string[];
    return child(args[peerIndex + 1] ?? '', list);
  }
  if (!existsSync(CORPUS)) throw new Error(`corpus missing at ${CORPUS}`);
  const tmp = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  try {
    const corpus = readdirSync(CORPUS)
      .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'MANIFEST.json')
      .map((f) => join(CORPUS, f));
    const doc = syntheticSpec(6000);
    writeFileSync(join(tmp, 'large.yaml'), stringify(doc));
    writeFileSync(join(tmp, 'large.json'), JSON.stringify(doc, null, 1));
    const sets: [string, string[]][] = [
      [`corpus (${corpus.length} files, 46 MB)`, corpus],
      ['synthetic 6.8 MB YAML', [join(tmp, 'large.yaml')]],
      ['synthetic 6.9 MB JSON', [join(tmp, 'large.json')]],
    ];
    const rows: string[][] = [];
    for (const [name, files] of sets) {
      const listFile = join(tmp, 'list.json');
      writeFileSync(listFile, JSON.stringify(files));
      for (const [peer, { label }] of Object.entries(PEERS)) {
        const r = spawnPeer(peer, listFile);
        const row = [
          name,
          label,
          `${(r.ms / 1000).toFixed(2)} s`,
          `${(r.cpuMs / 1000).toFixed(2)} s`,
          `${r.ok}/${r.ok + r.failed}`,
        ];
        console.log(row.join(' | '));
        rows.push(row);
      }
    }
    writeSection(rows);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A Markdown table padded the way Prettier formats it, so the format check stays green. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) =>
    Math.max(h.length, 3, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function writeSection(rows: string[][]): void {
  const begin = '<!-- openapi-load:begin -->';
  const end = '<!-- openapi-load:end -->';
  const section = [
    begin,
    '',
    '## OpenAPI loader (`bench/openapi/load.ts`)',
    '',
    `Command: \`node --import tsx bench/openapi/load.ts\` on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    'Each peer runs in its own child process over the whole set, sequentially. CPU time (user + system,',
    'all threads, GC included) is the fair comparison when the machine is shared; wall time is also shown.',
    `Load average when this ran: ${loadavg()[0]?.toFixed(1)}.`,
    '',
    ...table(['input', 'peer', 'wall', 'CPU', 'loaded'], rows),
    '',
    end,
  ].join('\n');
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next =
    start >= 0 && stop > start
      ? `${current.slice(0, start)}${section}${current.slice(stop + end.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS, next);
}

await main();
