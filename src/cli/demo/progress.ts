// The demo's progress on stderr: one line per step and per result, and the scan's live counters,
// redrawn in place on a terminal or printed as plain lines (each phase, every ten checks) in logs.
import type { Writable } from 'node:stream';
import type { ScanProgress } from '../../scan/index.js';

/** Redraw the live line at most this often: a fast scan must not spend its time painting. */
const FRAME_MS = 100;
const INDENT = '      ';

export class ProgressLog {
  /** A live line is on screen without its newline; the next line replaces it. */
  private live = false;
  private readonly tty: boolean;

  constructor(
    private readonly stream: Writable & { isTTY?: boolean },
    env: NodeJS.ProcessEnv,
  ) {
    this.tty = stream.isTTY === true && env['TERM'] !== 'dumb';
  }

  line(text: string): void {
    if (this.live) this.stream.write('\r\u001b[2K');
    this.live = false;
    this.stream.write(`${text}\n`);
  }

  /** A line under the current step. */
  note(text: string): void {
    this.line(`${INDENT}${text}`);
  }

  /** A fresh listener for one scan's progress events. */
  scan(): (p: ScanProgress) => void {
    let phase = '';
    let drawnAt = 0;
    let shownChecks = 0;
    return (p) => {
      const text = `${p.phase}: checks ${p.checksDone}/${p.checksTotal}, ${p.requests} requests, ${p.findings} findings`;
      if (this.tty) {
        const now = Date.now();
        if (now - drawnAt < FRAME_MS) return;
        drawnAt = now;
        this.stream.write(`\r\u001b[2K${INDENT}${text}`);
        this.live = true;
      } else if (p.phase !== phase || p.checksDone >= shownChecks + 10) {
        phase = p.phase;
        shownChecks = p.checksDone;
        this.note(text);
      }
    };
  }
}
