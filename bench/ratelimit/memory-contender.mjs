// One memory contender, measured in a process of its own: rates of 0.2-0.4 µs per decision are
// moved by up to 25% by whichever other functions the same measuring loop has called before (V8's
// inline caches), so run.mjs gives each contender and round a fresh process.
// Usage: node --import tsx bench/ratelimit/memory-contender.mjs <name> <ops> <sampleEvery>
// Prints measure()'s line, then the row as JSON on the last line.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { MemoryStore } from '../../src/protect/ratelimit/memory-store.ts';
import { measure } from './measure.mjs';

export const KEYS = 10_000;
const fixed = { algorithm: 'fixed-window', limit: 100, periodMs: 1_000, burst: 100 };
const gcra = { algorithm: 'gcra', limit: 100, periodMs: 1_000, burst: 100 };

const contenders = {
  'bulwark memory fixed-window (consume)': () => {
    const mem = new MemoryStore();
    // The same shape as rate-limiter-flexible's row: one promise and one .then per decision.
    return (i) => mem.consume(fixed, `k${i % KEYS}`, 1).then((d) => d.allowed);
  },
  'bulwark memory fixed-window (consumeSync)': () => {
    const mem = new MemoryStore();
    return (i) => mem.consumeSync(fixed, `k${i % KEYS}`, 1).allowed;
  },
  'bulwark memory gcra (consumeSync)': () => {
    const mem = new MemoryStore();
    return (i) => mem.consumeSync(gcra, `k${i % KEYS}`, 1).allowed;
  },
  'rate-limiter-flexible memory (fixed window)': () => {
    const limiter = new RateLimiterMemory({ points: 100, duration: 1 });
    return (i) =>
      limiter.consume(`k${i % KEYS}`, 1).then(
        () => true,
        () => false,
      );
  },
};
export const MEMORY_CONTENDERS = Object.keys(contenders);

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [name, ops, sampleEvery] = process.argv.slice(2);
  const make = contenders[name];
  if (!make) throw new Error(`unknown contender ${name}`);
  const row = await measure(name, Number(ops), 1, make(), Number(sampleEvery));
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
