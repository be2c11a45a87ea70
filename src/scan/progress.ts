// Scan progress on stderr: one live line redrawn in place on a TTY (operations, checks, requests,
// findings), or one plain line per phase and per finished check otherwise (CI logs stay readable).
import type { Writable } from 'node:stream';
import type { ScanProgress } from './engine/run.js';

/** Redraw at most this often: a fast scan must not spend its time painting. */
const FRAME_MS = 100;

export interface ProgressReporter {
  update(progress: ScanProgress): void;
  finish(): void;
}

export function progressReporter(
  stream: Writable & { isTTY?: boolean },
  tty: boolean,
): ProgressReporter {
  let last: ScanProgress | undefined;
  let drawnAt = 0;
  let phase = '';
  let checksDone = -1;
  const line = (p: ScanProgress): string =>
    `scan: ${p.phase} · ${p.operations} operations · checks ${p.checksDone}/${p.checksTotal}${p.check ? ` (${p.check})` : ''} · ${p.requests} requests · ${p.findings} findings`;
  return {
    update(p) {
      last = p;
      if (tty) {
        const now = Date.now();
        if (now - drawnAt < FRAME_MS && p.phase !== 'done') return;
        drawnAt = now;
        stream.write(`\r\u001b[2K${line(p)}`);
        return;
      }
      if (p.phase !== phase || p.checksDone !== checksDone) {
        phase = p.phase;
        checksDone = p.checksDone;
        stream.write(`${line(p)}\n`);
      }
    },
    finish() {
      if (tty && last) stream.write(`\r\u001b[2K${line(last)}\n`);
    },
  };
}
