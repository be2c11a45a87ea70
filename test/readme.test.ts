// Every quick start in README.md is executed, so the README cannot rot. The test reads the fenced
// blocks under "## Quick starts" and runs them in a scratch directory (with `examples/` and
// `node_modules/` linked in, so the commands run "from the repository root" as the README says):
//
// - ```sh blocks: one command per line. A line ending in `&` starts a server in the background and
//   waits for its ready line ("... listening on http://..."); servers are stopped at the end.
//   `export NAME=VALUE` lines set the environment of the lines after them. A trailing comment
//   `# exits N` says the expected exit code (default 0), and `# -> TEXT` the expected stdout.
// - ```yaml / ```js blocks whose first line is `# file: NAME` or `// file: NAME` are written to NAME.
//
// Substitutions, so the test runs from source, in parallel with other tests, without a stale build:
// `npx bulwark` runs `scripts/dev-cli.ts` through tsx; `node FILE` preloads tsx; `bulwark/protect` and
// `./dist/X.js` imports point at `src/`; the README's fixed ports get free ones; the Redis key prefix
// is made unique per run. Nothing else in the commands is changed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from './helpers/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TSX = import.meta.resolve('tsx');
const DEV_CLI = `node --import ${TSX} ${join(ROOT, 'scripts', 'dev-cli.ts')}`;
const README_PORTS = [3000, 8080, 8081, 8082, 8083, 9090, 9092, 9093];
const READY_MS = 90_000;
const COMMAND_MS = 180_000;

interface Block {
  readonly lang: string;
  readonly body: string;
}
interface Section {
  readonly title: string;
  readonly blocks: Block[];
}

/** The `###` sections under `## Quick starts` (the text before the first `###` is the preamble). */
function quickStarts(markdown: string): Section[] {
  const start = markdown.indexOf('\n## Quick starts\n');
  assert.ok(start >= 0, 'README.md has a "## Quick starts" section');
  const rest = markdown.slice(start + 1);
  const end = rest.indexOf('\n## ', 3);
  const text = end < 0 ? rest : rest.slice(0, end);
  const sections: Section[] = [{ title: 'preamble', blocks: [] }];
  const fence = /^(#{3} .*)$|^```(\w+)\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(fence)) {
    if (m[1]) sections.push({ title: m[1].slice(4), blocks: [] });
    else sections.at(-1)!.blocks.push({ lang: m[2]!, body: m[3]! });
  }
  return sections;
}

const scratch = mkdtempSync(join(tmpdir(), 'bulwark-readme-'));
symlinkSync(join(ROOT, 'examples'), join(scratch, 'examples'));
symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'));
const servers: ChildProcess[] = [];
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
const ports = new Map<number, number>();
const prefix = `bulwark-readme-${randomUUID()}:`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function substitute(text: string): string {
  return text
    .replace(/\b\d{4}\b/g, (n) => String(ports.get(Number(n)) ?? n))
    .replace(/bulwark-readme:/g, prefix)
    .replace(/'bulwark\/protect'/g, `'${join(ROOT, 'src', 'protect', 'index.ts')}'`)
    .replace(/'\.\/dist\/([^']+)\.js'/g, (_, path: string) => `'${join(ROOT, 'src', path)}.ts'`)
    .replace(/^node /, `node --import ${TSX} `)
    .replace(/^npx bulwark /, `${DEV_CLI} `);
}

function run(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: scratch, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}

/** Starts a background server in its own process group and waits for its ready line. */
function startServer(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `exec ${command}`], {
      cwd: scratch,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    servers.push(child);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail('no ready line'), READY_MS);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`${why}: ${command}\nstdout: ${stdout}\nstderr: ${stderr.slice(-2000)}`));
    };
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 4096)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (/listening on http:\/\/\S+/.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => fail(`exited (${code}) before it was ready`));
  });
}

/** A command line: what to run, and what the README promises about it. */
function parseLine(line: string): {
  command: string;
  background: boolean;
  exit: number;
  output?: string;
} {
  const comment = /\s#\s(.*)$/.exec(line);
  const note = comment?.[1] ?? '';
  let command = comment ? line.slice(0, comment.index).trimEnd() : line.trim();
  const background = command.endsWith('&');
  if (background) command = command.slice(0, -1).trimEnd();
  const exit = Number(/^exits (\d+)\b/.exec(note)?.[1] ?? 0);
  const output = /^(?:exits \d+: )?-> (.*)$/.exec(note)?.[1]?.trim();
  return { command, background, exit, ...(output === undefined ? {} : { output }) };
}

async function runBlock(block: Block): Promise<void> {
  const marker = /^(?:#|\/\/) file: (\S+)\n/.exec(block.body);
  if (marker) {
    writeFileSync(join(scratch, marker[1]!), substitute(block.body));
    return;
  }
  assert.equal(block.lang, 'sh', `a ${block.lang} block without a "file:" line cannot be run`);
  for (const line of block.body.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const step = parseLine(line);
    const command = substitute(step.command);
    const exported = /^export (\w+)=(.*)$/.exec(command);
    if (exported) {
      const value = await run(`${command}; printf %s "$${exported[1]}"`);
      env[exported[1]!] = value.stdout;
      continue;
    }
    if (step.background) {
      await startServer(command);
      continue;
    }
    const result = await run(command);
    assert.equal(
      result.code,
      step.exit,
      `${line}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
    if (step.output !== undefined) assert.equal(result.stdout.trim(), step.output, line);
  }
}

const sections = quickStarts(README);

before(async () => {
  for (const port of README_PORTS) ports.set(port, await freePort());
});

after(async () => {
  for (const server of servers) {
    if (server.exitCode !== null || server.signalCode !== null || server.pid === undefined)
      continue;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-server.pid!, signal);
      } catch {
        // ESRCH: it exited on its own meanwhile.
      }
    };
    signalGroup('SIGTERM');
    const force = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  }
  rmSync(scratch, { recursive: true, force: true });
});

test('the README opens with what Bulwark is and the two set-up commands', () => {
  const [title, intro] = README.split('\n\n');
  assert.equal(title, '# Bulwark');
  assert.equal(intro?.split(/(?<=\.)\s/).length, 2, 'two sentences');
  const setup = /## Set up \(Node\.js 20\)\n\n```sh\n([\s\S]*?)```/.exec(README);
  assert.deepEqual(setup?.[1]?.trim().split('\n'), ['npm ci && npx bulwark demo', 'npm test']);
});

test('every relative link in the README and docs/demo.md points at a file that exists', () => {
  for (const file of ['README.md', join('docs', 'demo.md')]) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue;
      const path = join(ROOT, dirname(file), target!.split('#')[0]!);
      assert.ok(existsSync(path), `${file} links to ${target}, which does not exist`);
    }
  }
});

test('the README has the four quick starts', () => {
  assert.deepEqual(
    sections.slice(1).map((s) => s.title),
    [
      'Audit your spec',
      'Scan your API with an identities config',
      'Put `protect` in front of your API',
      'Run distributed with Redis',
    ],
  );
});

// One test per quick start, in README order: later ones use the lab the preamble started.
for (const section of sections) {
  test(`README quick start: ${section.title}`, async () => {
    assert.ok(section.blocks.length > 0, 'has commands');
    for (const block of section.blocks) await runBlock(block);
  });
}
