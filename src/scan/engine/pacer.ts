// Caps the scanner's own request rate and concurrency. A scanner that floods its target measures its
// own noise, not the target's defences, and can take a shared environment down.

export class Pacer {
  private nextSlot = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly spacingMs: number;

  constructor(
    requestsPerSecond: number,
    private readonly concurrency: number,
  ) {
    this.spacingMs = 1000 / Math.max(requestsPerSecond, 0.001);
  }

  /** Waits for a concurrency slot and the next rate slot; call `release` when the request ends. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (this.active >= this.concurrency) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const at = this.waiting.indexOf(wake);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal.reason);
        };
        const wake = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiting.push(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    } else {
      this.active++;
    }
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.spacingMs;
    if (slot > now)
      await sleep(slot - now, signal).catch((error: unknown) => {
        this.release();
        throw error;
      });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
