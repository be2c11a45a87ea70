// Defensive readers of the Bulwark config for the policy rules. The protect section is still
// growing (auth, rate limits and stores are being designed), so these rules search by meaning
// rather than by one fixed path, and say nothing when a section is absent.
import type { PolicyConfig } from '../types.js';

export type Path = readonly (string | number)[];

export interface Entry {
  readonly path: Path;
  readonly key: string;
  readonly value: unknown;
}

/** Every key/value under `root`, depth first, with its path; bounded against hostile configs. */
export function* entries(root: unknown, base: Path, maxDepth = 12): Generator<Entry> {
  if (maxDepth < 0 || typeof root !== 'object' || root === null) return;
  const items: [string | number, unknown][] = Array.isArray(root)
    ? root.map((v, i) => [i, v])
    : Object.entries(root as Record<string, unknown>);
  for (const [key, value] of items) {
    const path = [...base, key];
    yield { path, key: String(key), value };
    yield* entries(value, path, maxDepth - 1);
  }
}

export function protectSection(
  config: PolicyConfig | undefined,
): Record<string, unknown> | undefined {
  const protect = (config as { protect?: unknown } | undefined)?.protect;
  return typeof protect === 'object' && protect !== null
    ? (protect as Record<string, unknown>)
    : undefined;
}

/** JWT verifier settings: objects under a `jwt` key, or holding `algorithms`/`jwks*`. */
export function jwtVerifiers(protect: Record<string, unknown>): Entry[] {
  const found: Entry[] = [];
  for (const entry of entries(protect, ['protect'])) {
    if (typeof entry.value !== 'object' || entry.value === null || Array.isArray(entry.value))
      continue;
    const keys = Object.keys(entry.value);
    // protect.auth.schemes.<name> with `type: jwt` (src/core/config/sections/auth.ts), or any
    // object that is plainly a JWT verifier.
    const named = /^jwt$/i.test(entry.key) || (entry.value as { type?: unknown }).type === 'jwt';
    const shaped = keys.some((k) => /^(algorithms|jwks|jwksUri|jwksUrl|jwks_uri)$/i.test(k));
    if (named || shaped) found.push(entry);
  }
  return found;
}
