// The measuring loop shared by bench/ratelimit/run.mjs and the memory contenders it runs in their own
// processes (memory-contender.mjs).
export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Runs `ops` decisions with `concurrency` in flight; returns decisions/s and latency percentiles (µs).
 * Latency is taken on every `sampleEvery`-th decision: reading the clock twice costs more than a
 * memory decision, so timing each one would measure the clock (memory rows sample 1 in 64).
 */
export async function measure(label, ops, concurrency, decide, sampleEvery = 1) {
  // Warm-up: JIT and script cache.
  for (let i = 0; i < Math.min(5_000, ops / 10); i++) await decide(i);
  const lat = new Float64Array(Math.ceil(ops / sampleEvery));
  let next = 0;
  let admitted = 0;
  const start = process.hrtime.bigint();
  async function worker() {
    while (next < ops) {
      const i = next++;
      if (i % sampleEvery !== 0) {
        if (await decide(i)) admitted++;
        continue;
      }
      const t0 = process.hrtime.bigint();
      if (await decide(i)) admitted++;
      lat[i / sampleEvery] = Number(process.hrtime.bigint() - t0) / 1_000;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = Array.from(lat).sort((a, b) => a - b);
  const row = {
    label,
    ops,
    concurrency,
    perSecond: Math.round(ops / seconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    admitted,
  };
  console.log(
    `${label.padEnd(44)} ${String(row.perSecond).padStart(9)} /s  p50 ${row.p50.toFixed(1)} µs  p99 ${row.p99.toFixed(1)} µs`,
  );
  return row;
}
