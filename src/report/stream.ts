// Writing a report piece by piece. A corpus audit produces 100,000+ findings; rendering its JSON
// report as one string held a 100+ MB string plus its UTF-8 copy in memory (issue 8: peak RSS under
// 500 MB). Formats with a streaming renderer are written chunk by chunk, honouring back-pressure;
// the others are rendered whole, as before. The bytes written are the same either way.
import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { BulwarkError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { renderReport, type WriteReportOptions } from './index.js';
import { renderJsonChunks } from './json.js';
import type { ReportMeta } from './types.js';

type ChunkRenderer = (findings: readonly Finding[], meta: ReportMeta) => Iterable<string>;

const STREAMING: Readonly<Record<string, ChunkRenderer>> = { json: renderJsonChunks };

/** The report of `format` as consecutive pieces of text (one piece for formats without streaming). */
export function renderReportChunks(
  format: string,
  findings: readonly Finding[],
  meta: ReportMeta,
  allowed?: readonly string[],
): Iterable<string> {
  // renderReport validates the format against `allowed` first, for the same error either way.
  const streaming = STREAMING[format];
  if (streaming === undefined || (allowed !== undefined && !allowed.includes(format))) {
    return [renderReport(format, findings, meta, allowed)];
  }
  return streaming(findings, meta);
}

/**
 * Like writeReport, for a report in pieces: to `--output` (creating parent directories) or to
 * stdout. Failures are BULWARK_ERR_IO naming the path, with the OS error as cause.
 */
export async function writeReportChunks(
  chunks: Iterable<string>,
  options: WriteReportOptions,
): Promise<void> {
  const { output } = options;
  if (output === undefined || output === '' || output === '-') {
    try {
      await writeAll(options.stdout, chunks);
    } catch (error) {
      throw new BulwarkError('BULWARK_ERR_IO', 'could not write the report to stdout', {
        cause: error,
      });
    }
    return;
  }
  const path = resolve(options.cwd ?? process.cwd(), output);
  try {
    await mkdir(dirname(path), { recursive: true });
    // Synchronous writes: each chunk is garbage as soon as it is written. Queued in a stream, the
    // chunks outlived young-generation collections and piled up in the old generation until a full
    // GC, which made the end of a corpus run its memory peak.
    const fd = openSync(path, 'w');
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new BulwarkError(
      'BULWARK_ERR_IO',
      `could not write the report to ${output} (${reason})`,
      { cause: error, location: { file: output } },
    );
  }
}

/** Writes every chunk, waiting for 'drain' when the stream's buffer is full; rejects on 'error'. */
async function writeAll(stream: Writable, chunks: Iterable<string>): Promise<void> {
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure = error;
  };
  stream.on('error', onError);
  try {
    for (const chunk of chunks) {
      if (failure) throw failure;
      // once() rejects when the stream emits 'error' while waiting.
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    // The last write's callback says whether it reached the destination.
    await new Promise<void>((done, fail) => {
      if (failure) {
        fail(failure);
        return;
      }
      stream.write('', (error) => (error ? fail(error) : done()));
    });
  } finally {
    stream.off('error', onError);
  }
}
