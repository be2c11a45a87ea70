// Reads the gateway's Prometheus metrics (text exposition format 0.0.4) to say what it refused during
// the scan through it: `bulwark_requests_total{operation,decision,code}` read before and after.
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every sample of one metric in an exposition text; malformed lines are skipped. */
export function samplesOf(text: string, metric: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match || match[1] !== metric) continue;
    const labels = parseLabels(match[2] ?? '');
    const value = Number(match[3]);
    if (labels && Number.isFinite(value)) samples.push({ labels, value });
  }
  return samples;
}

function parseLabels(body: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let m = LABEL.exec(body); m; m = LABEL.exec(body)) {
    labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) =>
      c === 'n' ? '\n' : c,
    );
    consumed = LABEL.lastIndex;
  }
  return consumed === body.length ? labels : undefined;
}

/** Requests the gateway refused (decision `deny`), by operation and code, counted between two reads. */
export interface Refusals {
  readonly total: number;
  /** `operation` label (the spec's `METHOD /path`, or `undocumented`) -> code -> count. */
  readonly byOperation: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export function refusalsBetween(before: string, after: string): Refusals {
  const key = (s: Sample): string =>
    `${s.labels['operation'] ?? ''}\u0000${s.labels['decision'] ?? ''}\u0000${s.labels['code'] ?? ''}`;
  const base = new Map(samplesOf(before, 'bulwark_requests_total').map((s) => [key(s), s.value]));
  const byOperation = new Map<string, Map<string, number>>();
  let total = 0;
  for (const sample of samplesOf(after, 'bulwark_requests_total')) {
    const decision = sample.labels['decision'] ?? '';
    if (decision !== 'deny') continue;
    const delta = sample.value - (base.get(key(sample)) ?? 0);
    if (delta <= 0) continue;
    const operation = sample.labels['operation'] ?? 'undocumented';
    const code = sample.labels['code'] || 'refused';
    const codes = byOperation.get(operation) ?? new Map<string, number>();
    codes.set(code, (codes.get(code) ?? 0) + delta);
    byOperation.set(operation, codes);
    total += delta;
  }
  return { total, byOperation };
}
