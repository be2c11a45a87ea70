// loadConfig: bulwark.yaml|yml|json -> a validated, deep-frozen BulwarkConfig.
// Order: read (size and text checks) -> parse (YAML/JSON, with locations) -> ${ENV} substitution
// on parsed strings -> JSON Schema validation (schema/bulwark.schema.json) -> freeze.
// Fails fast with one coded, located line: BULWARK_ERR_CONFIG_READ / _INVALID / _ENV.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { BulwarkError } from '../errors.js';
import { substituteEnv } from './env.js';
import type { SubstitutionResult } from './env.js';
import { deepFreeze } from './freeze.js';
import { attachMeta } from './meta.js';
import { fromPointer, isRecord, toPointer } from './path.js';
import type { ConfigPath } from './path.js';
import { parseConfigText } from './source.js';
import type { ConfigSource } from './source.js';
import { SECTION_NAMES } from './types.js';
import type { BulwarkConfig, SectionName } from './types.js';
import { checkValue, throwFirst } from './validate.js';

export const CONFIG_FILE_NAMES = ['bulwark.yaml', 'bulwark.yml', 'bulwark.json'] as const;

/** Far above any real config; refuses a wrong file (a log, a dump) before reading it whole. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadConfigOptions {
  /** Variables for ${NAME} references. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder the file name and config-relative paths resolve against. Default: process.cwd(). */
  readonly cwd?: string;
  /**
   * The sections this run uses. Others are still checked against the schema, but their unset
   * ${NAME} references are tolerated and they are left out of the result, so `bulwark audit` in
   * CI does not need the scanner's secrets.
   */
  readonly sections?: readonly SectionName[];
}

/** The config file in `cwd` when no --config is given, or undefined. Two candidates is an error. */
export function findConfig(cwd: string): string | undefined {
  const found = CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).filter((path) =>
    existsSync(path),
  );
  if (found.length > 1) {
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_READ',
      `found several config files: ${found.map((f) => relative(cwd, f)).join(', ')}`,
      {
        location: { file: cwd },
        hint: 'keep one, or choose with --config',
      },
    );
  }
  return found[0];
}

/**
 * Reads and validates `file` (resolved against options.cwd), or the file findConfig finds when
 * `file` is undefined, or returns the empty config `{ version: 1 }` when there is none.
 */
export function loadConfig(
  file: string | undefined,
  options: LoadConfigOptions = {},
): BulwarkConfig {
  const cwd = options.cwd ?? process.cwd();
  const path = file === undefined ? findConfig(cwd) : resolve(cwd, file);
  if (path === undefined) {
    const config = deepFreeze({ version: 1 } as const);
    const none = new Set<string>();
    attachMeta(config, {
      file: undefined,
      dir: cwd,
      source: undefined,
      secrets: none,
      fromEnv: none,
    });
    return config;
  }
  const shown = file ?? relative(cwd, path);
  return buildConfig(readConfigText(path, shown), shown, dirname(path), options);
}

/** Validates config text held in memory; `file` names it in errors and picks JSON for `.json`. */
export function parseConfig(
  text: string,
  file: string,
  options: LoadConfigOptions = {},
): BulwarkConfig {
  const cwd = options.cwd ?? process.cwd();
  return buildConfig(text, file, dirname(isAbsolute(file) ? file : resolve(cwd, file)), options);
}

function readConfigText(path: string, shown: string): string {
  const fail = (message: string, cause?: unknown): never => {
    throw new BulwarkError('BULWARK_ERR_CONFIG_READ', message, {
      location: { file: shown },
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let size = 0;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) fail('is a directory, not a config file');
    size = stat.size;
  } catch (error) {
    if (error instanceof BulwarkError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code ?? 'error'})`,
      error,
    );
  }
  if (size > MAX_CONFIG_BYTES) fail('config file is too large');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return fail(
      `cannot read config file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      error,
    );
  }
  if (bytes.includes(0)) fail('config file is not text');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    return fail('config file is not valid UTF-8', error);
  }
}

function buildConfig(
  text: string,
  file: string,
  dir: string,
  options: LoadConfigOptions,
): BulwarkConfig {
  const { value, source } = parseConfigText(text, file);
  if (value === null || value === undefined) {
    throw new BulwarkError('BULWARK_ERR_CONFIG_INVALID', 'the config file is empty', {
      location: { file },
      hint: 'it needs at least: version: 1',
    });
  }
  if (!isRecord(value)) {
    throw new BulwarkError(
      'BULWARK_ERR_CONFIG_INVALID',
      `the top level must be a mapping, not ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
      {
        location: source.locate([]),
        hint: 'start with: version: 1',
      },
    );
  }
  const selected = options.sections ? new Set<string>(options.sections) : undefined;
  const unused = (path: ConfigPath) =>
    selected !== undefined &&
    typeof path[0] === 'string' &&
    isSection(path[0]) &&
    !selected.has(path[0]);
  const substituted = substituteEnv(value, {
    env: options.env ?? process.env,
    source,
    lenient: unused,
  });
  const data = substituted.value as Record<string, unknown>;
  const { errors, secrets } = validateWithCoercion(data, substituted);
  const secretSet = new Set([...substituted.fromEnv, ...secrets]);
  // A path is secret when it, or a mapping holding it (a login body), is.
  const isSecret = (path: ConfigPath) =>
    path.some((_, i) => secretSet.has(toPointer(path.slice(0, i + 1))));
  throwFirst(
    errors.filter((e) => !substituted.unresolved.has(e.instancePath)),
    data,
    { source, isSecret },
  );
  if (selected) for (const name of SECTION_NAMES) if (!selected.has(name)) delete data[name];
  const config = deepFreeze(data) as unknown as BulwarkConfig;
  const allSecrets = new Set(
    [...substituted.fromEnv, ...secrets].filter((p) => !substituted.unresolved.has(p)),
  );
  const fromEnv = new Set([...substituted.fromEnv].filter((p) => !substituted.unresolved.has(p)));
  attachMeta(config, { file, dir, source, secrets: allSecrets, fromEnv });
  return config;
}

function isSection(name: string): name is SectionName {
  return (SECTION_NAMES as readonly string[]).includes(name);
}

/**
 * Validates; where a whole-string ${NAME} sits where the schema wants a number or boolean
 * (`port: ${PORT}`), converts the string once and validates again. Literal strings are never
 * converted: `port: "8080"` stays a type error, as the schema says.
 */
function validateWithCoercion(
  data: Record<string, unknown>,
  substituted: SubstitutionResult,
): { errors: readonly ErrorObject[]; secrets: ReadonlySet<string> } {
  const first = checkValue('#', data);
  let changed = false;
  for (const error of first.errors) {
    if (error.keyword !== 'type' || !substituted.wholeRefs.has(error.instancePath)) continue;
    const converted = coerce(error.data, String((error.params as { type: unknown }).type));
    if (converted === undefined) continue;
    setAt(data, fromPointer(error.instancePath, data), converted);
    changed = true;
  }
  return changed ? checkValue('#', data) : first;
}

function coerce(value: unknown, types: string): number | boolean | undefined {
  if (typeof value !== 'string') return undefined;
  const wanted = types.split(',');
  if (wanted.includes('integer') && /^-?(0|[1-9][0-9]*)$/.test(value)) return Number(value);
  if (wanted.includes('number') && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(value)) {
    return Number(value);
  }
  if (wanted.includes('boolean') && (value === 'true' || value === 'false'))
    return value === 'true';
  return undefined;
}

function setAt(root: unknown, path: ConfigPath, value: unknown): void {
  let node = root;
  for (const segment of path.slice(0, -1))
    node = (node as Record<string | number, unknown>)[segment];
  const last = path[path.length - 1];
  if (last !== undefined) (node as Record<string | number, unknown>)[last] = value;
}

export type { ConfigSource };
