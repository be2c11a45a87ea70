// Durations in config: integer milliseconds, or "500ms", "30s", "15m", "24h", "7d".
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^([1-9][0-9]{0,9})(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new RangeError(`not a duration: ${JSON.stringify(value)}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
