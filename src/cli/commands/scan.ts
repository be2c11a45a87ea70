// `bulwark scan`: active testing of a live API with several identities. Loads the spec (a file, a URL,
// or the target's own /openapi.json), the config's `scan` section, runs every check, and writes the
// report. ctrl-C stops cleanly and still writes what was found (marked partial), exit 130.
import { loadConfig } from '../../core/config/index.js';
import { BulwarkError } from '../../core/errors.js';
import { loadSpec } from '../../core/openapi/load.js';
import type { ApiModel } from '../../core/openapi/model.js';
import { exitCodeFor, parseFailOn, renderReport, writeReport } from '../../report/index.js';
import { progressReporter } from '../../scan/progress.js';
import { stringOption, type Command, type CommandContext } from '../command.js';
import { useColour } from '../colour.js';
import { configOption, reportOptions } from '../common-options.js';
import { packageVersion } from '../version.js';

const FORMATS = ['text', 'json', 'sarif', 'junit', 'html', 'md'];
/** Where a spec is looked for on the target when --spec is not given. */
const SPEC_PATHS = ['/openapi.json', '/openapi.yaml', '/swagger.json', '/v3/api-docs'];

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Actively test a running API with several identities and prove each finding',
  usage:
    'scan --spec FILE|URL --target URL [--graphql URL] [--config scan.yaml] [--intrusive] [--format json|sarif|junit|html|md|text] [--output FILE] [--fail-on SEVERITY]',
  allowPositionals: false,
  options: {
    spec: {
      type: 'string',
      value: 'FILE|URL',
      description: 'the OpenAPI description (or fetched from the target)',
    },
    target: { type: 'string', value: 'URL', description: 'base URL of the API under test' },
    graphql: {
      type: 'string',
      value: 'URL',
      description: 'a GraphQL endpoint to test (graphql-* checks; docs/graphql.md)',
    },
    ...configOption,
    intrusive: { type: 'boolean', description: 'also run checks that change state' },
    ...reportOptions(FORMATS, 'high'),
  },
  details:
    'Without --spec the description is fetched from the target (/openapi.json, /swagger.json, ...).\nIdentities, scope, rate and the API10 hostile upstream are configured under `scan` (docs/scan.md).\nExit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or config error, 130 interrupted.',
  run,
};

async function run(ctx: CommandContext): Promise<number> {
  const str = (name: string): string | undefined => stringOption(ctx, name);
  const format = str('format') ?? 'text';
  if (!FORMATS.includes(format)) {
    throw new BulwarkError(
      'BULWARK_ERR_REPORT_FORMAT',
      `unknown report format '${format}': expected one of ${FORMATS.join(', ')}`,
    );
  }
  const failOn = parseFailOn(str('fail-on') ?? 'high');
  // The scanner is loaded on use: `bulwark audit` or `--help` does not pay for it.
  const [{ checkRules, parseTarget, scanApi }, { graphqlModel }] = await Promise.all([
    import('../../scan/index.js'),
    import('../../scan/graphql/model.js'),
  ]);
  const config = loadConfig(str('config'), { env: ctx.env, cwd: ctx.cwd, sections: ['scan'] });
  const graphql = str('graphql');
  const endpoint = graphql === undefined ? undefined : parseTarget(graphql);
  const target = parseTarget(str('target') ?? config.scan?.target ?? endpoint?.origin);
  // --graphql without --spec: a one-operation model of that endpoint (src/scan/graphql/model.ts).
  const model =
    endpoint !== undefined && str('spec') === undefined
      ? graphqlModel(endpoint)
      : await loadModel(str('spec'), target, ctx);
  const startedAt = new Date().toISOString();
  const tty = ctx.stderr.isTTY === true && ctx.env['TERM'] !== 'dumb';
  const progress = progressReporter(ctx.stderr, tty);
  const stop = interruption(ctx.signal);
  const result = await scanApi({
    model,
    ...(config.scan ? { config: config.scan } : {}),
    flags: { target: target.href, intrusive: ctx.values['intrusive'] === true },
    signal: stop.signal,
    onProgress: (p) => progress.update(p),
  }).finally(() => stop.dispose());
  progress.finish();
  if (result.partial)
    ctx.stderr.write('scan: interrupted; the report holds what was confirmed so far\n');
  for (const skipped of result.checksSkipped) {
    if (ctx.argv.includes('--debug'))
      ctx.stderr.write(`scan: skipped ${skipped.id}: ${skipped.why}\n`);
  }
  if (ctx.argv.includes('--debug'))
    for (const note of result.notes) ctx.stderr.write(`scan: note: ${note}\n`);
  // Throttled operations are neither passes nor findings: always say which were not tested.
  for (const u of result.untested)
    ctx.stderr.write(`scan: could not test ${u.operation} (${u.check}): ${u.reason}\n`);
  if (result.throttle.throttled > 0)
    ctx.stderr.write(
      `scan: the target throttled ${result.throttle.throttled} requests; waited ${Math.round(result.throttle.waitedMs / 100) / 10} s of a ${result.throttle.budgetMs / 1000} s budget\n`,
    );
  const report = renderReport(
    format,
    result.findings,
    {
      tool: { name: 'bulwark', version: packageVersion() },
      command: 'scan',
      target: target.href,
      sources: [model.source],
      startedAt,
      endedAt: new Date().toISOString(),
      summary: {
        operations: model.operations.length,
        checks: result.checksRun.length,
        requests: result.requests,
        seconds: Math.round(result.durationMs / 100) / 10,
      },
      rules: checkRules(result.checksRun),
      colour: format === 'text' && useColour(ctx.stdout, ctx.env) && str('output') === undefined,
      baseDir: ctx.cwd,
      partial: result.partial,
      untested: result.untested,
    },
    FORMATS,
  );
  await writeReport(report, { output: str('output'), stdout: ctx.stdout, cwd: ctx.cwd });
  if (result.partial) return 130;
  return exitCodeFor(result.findings, failOn);
}

/**
 * Aborts on the context's signal or on SIGINT/SIGTERM: the first ctrl-C stops the scan and still
 * writes the partial report. Listeners are removed afterwards so the process can exit.
 */
function interruption(parent: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('interrupted'));
  parent.addEventListener('abort', stop, { once: true });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      parent.removeEventListener('abort', stop);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

async function loadModel(
  spec: string | undefined,
  target: URL,
  ctx: CommandContext,
): Promise<ApiModel> {
  if (spec !== undefined) return loadSpec(spec, { cwd: ctx.cwd, signal: ctx.signal });
  let last: unknown;
  for (const path of SPEC_PATHS) {
    try {
      return await loadSpec(new URL(path, target).href, {
        cwd: ctx.cwd,
        signal: ctx.signal,
        timeoutMs: 10_000,
      });
    } catch (error) {
      last = error;
    }
  }
  throw new BulwarkError(
    'BULWARK_ERR_SPEC_READ',
    `no --spec given and none found on the target (${SPEC_PATHS.join(', ')})`,
    {
      cause: last,
      hint: 'pass --spec FILE|URL',
    },
  );
}
