// Shared helpers of the audit benchmark: the corpus list and a timed child process that reports
// wall time and peak RSS (from GNU time -v when present, else by sampling /proc/<pid>/status).
import { spawn } from 'node:child_process';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CORPUS = resolve(ROOT, '../shared/corpus/openapi');
// BENCH_AUDIT_RESULTS redirects every result file (development runs that must not touch the
// committed results).
export const RESULTS = process.env.BENCH_AUDIT_RESULTS
  ? resolve(process.env.BENCH_AUDIT_RESULTS)
  : join(ROOT, 'bench/results/audit');
// The built package the benchmark measures (what the `bulwark` bin runs); BULWARK_DIST points at
// another build of the same sources.
export const DIST = resolve(process.env.BULWARK_DIST ?? join(ROOT, 'dist'));

export function corpusFiles() {
  return readdirSync(CORPUS)
    .filter((name) => /\.(ya?ml|json)$/i.test(name) && name !== 'MANIFEST.json')
    .sort()
    .slice(0, Number(process.env.BENCH_LIMIT ?? Infinity))
    .map((name) => join(CORPUS, name));
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command to completion; resolves with wall time, peak RSS (KB), exit code and stderr tail. */
export function timed(cmd, args, { timeoutMs = 600_000, env = process.env } = {}) {
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? ['-v', cmd, ...args] : args;
  const bin = useTime ? GNU_TIME : cmd;
  return new Promise((resolvePromise) => {
    const start = process.hrtime.bigint();
    const child = spawn(bin, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let sampledKb = 0;
    child.stdout.on('data', (d) => {
      if (stdout.length < 1_000_000) stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const sampler = useTime
      ? undefined
      : setInterval(() => {
          try {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
            if (kb > sampledKb) sampledKb = kb;
          } catch {
            /* the process ended between samples */
          }
        }, 50);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (sampler) clearInterval(sampler);
      const wallMs = Number((process.hrtime.bigint() - start) / 1_000_000n);
      const gnuKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0);
      // CPU seconds do not grow when other jobs share the cores, unlike wall time.
      const user = Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
      const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
      const exit = useTime ? Number(/Exit status: (\d+)/.exec(stderr)?.[1] ?? code) : code;
      resolvePromise({
        wallMs,
        maxRssKb: useTime ? gnuKb : sampledKb,
        cpuMs: useTime ? Math.round((user + sys) * 1000) : undefined,
        exit: signal ? `signal ${signal}` : exit,
        stdout,
        stderrTail: stderr
          .split('\n')
          .filter((l) => !/^\s+\S.*: /.test(l) || !useTime)
          .slice(-5)
          .join('\n'),
      });
    });
  });
}
