// `bulwark audit`: static security audit of OpenAPI / Swagger descriptions (issue 8). Expands the
// arguments (files, directories, globs, URLs), audits every spec in one process (a worker pool when
// there are several), applies config overrides, inline ignores and the baseline, and writes one
// report. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, input or config error.
import type { AuditRunOutcome } from '../../audit/index.js';
import { BulwarkError } from '../../core/errors.js';
import { exitCodeFor, getRenderer, parseFailOn } from '../../report/index.js';
import { renderReportChunks, writeReportChunks } from '../../report/stream.js';
import { stringOption, type Command, type CommandContext } from '../command.js';
import { useColour } from '../colour.js';
import { configOption, reportOptions } from '../common-options.js';
import { packageVersion } from '../version.js';

const FORMATS = ['text', 'json', 'sarif', 'html', 'md', 'junit'];

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Statically audit OpenAPI/Swagger descriptions for security defects (OWASP API Top 10)',
  usage:
    'audit <spec...> [--config FILE] [--format text|json|sarif|html|md|junit] [--output FILE] [--fail-on SEVERITY] [--baseline FILE] [--write-baseline FILE]',
  allowPositionals: true,
  options: {
    ...configOption,
    ...reportOptions(FORMATS, 'medium'),
    baseline: {
      type: 'string',
      value: 'FILE',
      description: 'suppress the known findings listed in FILE (overrides audit.baseline)',
    },
    'write-baseline': {
      type: 'string',
      value: 'FILE',
      description: 'write every current finding to FILE as the new baseline, then exit 0',
    },
    jobs: {
      type: 'string',
      short: 'j',
      value: 'N',
      description: 'audit up to N specs in parallel worker threads (default 1)',
    },
  },
  details: [
    'Specs may be files, directories (every .yaml/.yml/.json below), globs or http(s) URLs.',
    'Rules: docs/audit/rules.md. Score: docs/audit/score.md. Turn rules off or change their severity under',
    '`audit.rules` in bulwark.yaml; silence one place with `x-bulwark-ignore: { <rule-id>: <reason> }`.',
  ].join('\n'),
  run,
};

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new BulwarkError(
      'BULWARK_ERR_USAGE',
      `--jobs must be a whole number from 1 to 64, not '${value}'`,
    );
  }
  return n;
}

async function run(ctx: CommandContext): Promise<number> {
  const format = stringOption(ctx, 'format') ?? 'text';
  getRenderer(format, FORMATS); // unknown formats fail before any work
  const failOnFlag = stringOption(ctx, 'fail-on');
  if (failOnFlag !== undefined) parseFailOn(failOnFlag);
  const jobs = parseJobs(stringOption(ctx, 'jobs'));
  const startedAt = new Date().toISOString();
  // Loaded on use: `bulwark --help` or another command does not pay for the audit engine.
  const { auditRun } = await import('../../audit/index.js');
  const outcome = await auditRun({
    specs: ctx.positionals,
    cwd: ctx.cwd,
    env: ctx.env,
    signal: ctx.signal,
    ...(stringOption(ctx, 'config') !== undefined
      ? { configFile: stringOption(ctx, 'config') as string }
      : {}),
    ...(stringOption(ctx, 'baseline') !== undefined
      ? { baseline: stringOption(ctx, 'baseline') as string }
      : {}),
    ...(stringOption(ctx, 'write-baseline') !== undefined
      ? { writeBaseline: stringOption(ctx, 'write-baseline') as string }
      : {}),
    ...(jobs !== undefined ? { jobs } : {}),
  });
  for (const note of outcome.notes) ctx.stderr.write(`bulwark: ${note}\n`);
  // Nothing could be audited: the coded error lines above are the whole answer, not a clean report.
  if (outcome.sources.length === 0 && outcome.errors > 0) return 2;
  const failOn = parseFailOn(failOnFlag ?? outcome.failOn ?? 'medium');
  // Streamed: a corpus report can be 100+ MB, which must not be held as one string.
  const report = renderReportChunks(
    format,
    outcome.findings,
    {
      tool: { name: 'bulwark', version: packageVersion() },
      command: 'audit',
      sources: outcome.sources,
      startedAt,
      endedAt: new Date().toISOString(),
      score: outcome.score,
      summary: outcome.summary,
      rules: outcome.rules,
      colour: useColour(ctx.stdout, ctx.env) && stringOption(ctx, 'output') === undefined,
      baseDir: ctx.cwd,
      ...(ctx.signal.aborted ? { partial: true } : {}),
    },
    FORMATS,
  );
  await writeReportChunks(report, {
    output: stringOption(ctx, 'output'),
    stdout: ctx.stdout,
    cwd: ctx.cwd,
  });
  return exitCode(outcome, failOn);
}

function exitCode(outcome: AuditRunOutcome, failOn: ReturnType<typeof parseFailOn>): number {
  if (outcome.errors > 0) return 2;
  if (outcome.wroteBaseline) return 0;
  return exitCodeFor(outcome.findings, failOn);
}
