// The report format registry: one renderer per file, registered here (ARCHITECTURE.md, "Units and
// registries"). The CLI offers `--format` from this list, narrowed per command.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { BulwarkError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { didYouMean } from '../core/suggest.js';
import { htmlReport } from './html.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import { markdownReport } from './md.js';
import { sarifReport } from './sarif.js';
import { textReport } from './text.js';
import type { ReportMeta, ReportRenderer } from './types.js';

export type { ReportMeta, ReportRenderer, ReportScore, RuleMeta } from './types.js';
export {
  countByCategory,
  countBySeverity,
  exitCodeFor,
  parseFailOn,
  type FailOn,
} from './summary.js';

export const REPORT_RENDERERS: readonly ReportRenderer[] = [
  textReport,
  jsonReport,
  sarifReport,
  junitReport,
  markdownReport,
  htmlReport,
];

export const REPORT_FORMATS: readonly string[] = REPORT_RENDERERS.map((r) => r.name);

/**
 * The renderer for `format`. `allowed` narrows the list for one command (e.g. audit offers no JUnit
 * when its CLI does not); an unknown or disallowed name is BULWARK_ERR_REPORT_FORMAT with a hint.
 */
export function getRenderer(
  format: string,
  allowed: readonly string[] = REPORT_FORMATS,
): ReportRenderer {
  const renderer = REPORT_RENDERERS.find((r) => r.name === format && allowed.includes(r.name));
  if (renderer) return renderer;
  const hint = didYouMean(format, allowed);
  throw new BulwarkError(
    'BULWARK_ERR_REPORT_FORMAT',
    `unknown report format '${format}': expected one of ${allowed.join(', ')}`,
    hint === undefined ? {} : { hint },
  );
}

export function renderReport(
  format: string,
  findings: readonly Finding[],
  meta: ReportMeta,
  allowed?: readonly string[],
): string {
  return getRenderer(format, allowed).render(findings, meta);
}

export interface WriteReportOptions {
  /** `--output`: a file path, resolved against `cwd`. Absent or `-` writes to `stdout`. */
  readonly output?: string | undefined;
  readonly stdout: Writable;
  readonly cwd?: string;
}

/**
 * Writes a rendered report to `--output` (creating parent directories) or to stdout. Failures are
 * BULWARK_ERR_IO naming the path, with the OS error as cause.
 */
export async function writeReport(content: string, options: WriteReportOptions): Promise<void> {
  const { output } = options;
  if (output === undefined || output === '' || output === '-') {
    await new Promise<void>((done, fail) => {
      options.stdout.write(content, (error) =>
        error
          ? fail(
              new BulwarkError('BULWARK_ERR_IO', 'could not write the report to stdout', {
                cause: error,
              }),
            )
          : done(),
      );
    });
    return;
  }
  const path = resolve(options.cwd ?? process.cwd(), output);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new BulwarkError(
      'BULWARK_ERR_IO',
      `could not write the report to ${output} (${reason})`,
      {
        cause: error,
        location: { file: output },
      },
    );
  }
}
