// What a loaded config knows about itself beyond its values: the file it came from (to resolve
// relative paths and point errors at lines) and which values are secret. Kept beside the frozen
// object in a WeakMap so BulwarkConfig stays plain data.
//
// Secret values are those that came from ${ENV_VAR} references, and those the schema marks
// `x-bulwark-secret` (tokens, passwords, client secrets), even when written literally. Code that
// logs or reports config must go through redactConfig / isSecretPath / secretValues (CWE-532).
import { isAbsolute, resolve } from 'node:path';
import { BulwarkError } from '../errors.js';
import type { ErrorCode, ErrorLocation } from '../errors.js';
import { formatPath, fromPointer, isRecord, toPointer } from './path.js';
import type { ConfigPath } from './path.js';
import type { ConfigSource } from './source.js';
import type { BulwarkConfig } from './types.js';

export const REDACTED = '[REDACTED]';

export interface ConfigMeta {
  /** The file as the user named it, or undefined when no config file was used. */
  readonly file: string | undefined;
  /** Directory that relative paths in the config are resolved against. */
  readonly dir: string;
  readonly source: ConfigSource | undefined;
  /** JSON pointers of secret values (a secret mapping makes everything under it secret). */
  readonly secrets: ReadonlySet<string>;
  /** Pointers of values that came from ${NAME} references (a subset of `secrets`). */
  readonly fromEnv: ReadonlySet<string>;
}

const META = new WeakMap<object, ConfigMeta>();

export function attachMeta(config: BulwarkConfig, meta: ConfigMeta): void {
  META.set(config, meta);
}

function metaOf(config: BulwarkConfig): ConfigMeta {
  const meta = META.get(config);
  if (!meta) throw new TypeError('not a config returned by loadConfig/parseConfig');
  return meta;
}

/** The config file as named by the user (undefined when running without one). */
export function configFile(config: BulwarkConfig): string | undefined {
  return metaOf(config).file;
}

/** The source locator, to pass to validateValue for a tool's own sub-config checks. */
export function configSource(config: BulwarkConfig): ConfigSource | undefined {
  return metaOf(config).source;
}

/** Resolves a path written in the config (baseline, tls.cert) against the config file's folder. */
export function resolveFromConfig(config: BulwarkConfig, path: string): string {
  return isAbsolute(path) ? path : resolve(metaOf(config).dir, path);
}

/** file:line:column of a config path, for errors raised after loading (e.g. CONFIG_UNSAFE). */
export function locateConfig(config: BulwarkConfig, path: ConfigPath): ErrorLocation | undefined {
  return metaOf(config).source?.locate(path);
}

/** A coded error pointing at `path` in the config file: `protect.cors: <message>`. */
export function configError(
  config: BulwarkConfig,
  path: ConfigPath,
  code: ErrorCode,
  message: string,
  hint?: string,
): BulwarkError {
  const location = locateConfig(config, path);
  return new BulwarkError(code, `${formatPath(path)}: ${message}`, {
    ...(location ? { location } : {}),
    ...(hint ? { hint } : {}),
  });
}

export function isSecretPath(config: BulwarkConfig, path: ConfigPath): boolean {
  const secrets = metaOf(config).secrets;
  for (let length = path.length; length >= 1; length--) {
    if (secrets.has(toPointer(path.slice(0, length)))) return true;
  }
  return false;
}

/** Secret paths in config notation (`scan.identities.alice.auth.header.value`), sorted. */
export function secretPaths(config: BulwarkConfig): string[] {
  return [...metaOf(config).secrets]
    .map((pointer) => formatPath(fromPointer(pointer, config)))
    .sort();
}

/** The secret strings themselves, for scrubbing them out of free text such as logs. */
export function secretValues(config: BulwarkConfig): string[] {
  const out = new Set<string>();
  walk(config, [], (value, path) => {
    if (typeof value === 'object' || value === null || value === '') return;
    if (isSecretPath(config, path)) out.add(String(value));
  });
  return [...out];
}

/** Keys inside a secret mapping (a login body) that hold credentials, not just identifiers. */
const CREDENTIAL_KEY = /pass|secret|token|key|credential|otp|pin/i;

/**
 * Secrets written into the file instead of given as ${NAME} (CWE-798), for tools that lint the
 * config: schema-marked fields holding a literal, and credential-named keys inside a marked
 * mapping such as a login body (`password: hunter2`, but not `username: alice`).
 */
export function plaintextSecretPaths(config: BulwarkConfig): string[] {
  const { fromEnv } = metaOf(config);
  const out: string[] = [];
  walk(config, [], (value, path) => {
    if (typeof value !== 'string' || value === '' || !isSecretPath(config, path)) return;
    if (fromEnv.has(toPointer(path))) return;
    const marked = metaOf(config).secrets.has(toPointer(path));
    const key = path[path.length - 1];
    if (marked || (typeof key === 'string' && CREDENTIAL_KEY.test(key))) out.push(formatPath(path));
  });
  return out.sort();
}

/** A plain deep copy with every secret value replaced by '[REDACTED]', safe to print or log. */
export function redactConfig(config: BulwarkConfig): unknown {
  const copy = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value !== 'object' || value === null) {
      return isSecretPath(config, path) ? REDACTED : value;
    }
    if (Array.isArray(value)) return value.map((item, i) => copy(item, [...path, i]));
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v, [...path, k])]));
    }
    return value;
  };
  return copy(config, []);
}

function walk(
  value: unknown,
  path: (string | number)[],
  visit: (v: unknown, p: ConfigPath) => void,
): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], visit));
  else if (isRecord(value))
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}
