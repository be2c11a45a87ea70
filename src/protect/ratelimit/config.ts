// The `protect.rateLimit` config section: raw types as written in bulwark.yaml, validation against
// schema/parts/ratelimit.schema.json, and normalisation (defaults applied, durations in ms). The
// protect section embeds this part; validating here as well keeps the library safe to use alone.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { BulwarkError } from '../../core/errors.js';
import { parseDuration } from './duration.js';

// The raw section types live in core so the protect config section can name them (core may not
// import protect); re-exported here for the library's own modules.
export type {
  Duration,
  EnumerationConfig,
  LoginConfig,
  QuotaConfig,
  RateLimitConfig,
  RuleConfig,
} from '../../core/config/sections/ratelimit.js';
import type { RateLimitConfig } from '../../core/config/sections/ratelimit.js';

export const SCHEMA_URL = new URL('../../../schema/parts/ratelimit.schema.json', import.meta.url);

let validator: ReturnType<Ajv2020['compile']> | undefined;

function validate(raw: unknown): void {
  if (!validator) {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
    validator = new Ajv2020({ allErrors: false, strict: true }).compile(schema);
  }
  if (validator(raw)) return;
  const error = validator.errors?.[0] as ErrorObject | undefined;
  const pointer = `/protect/rateLimit${error?.instancePath ?? ''}`;
  throw new BulwarkError(
    'BULWARK_ERR_CONFIG_INVALID',
    `protect.rateLimit${error?.instancePath ?? ''} ${error?.message ?? 'is invalid'}`,
    {
      location: { file: 'bulwark.yaml', pointer },
    },
  );
}

/** Validates the raw section; throws BULWARK_ERR_CONFIG_INVALID on the first problem. */
export function checkRateLimitConfig(raw: unknown): RateLimitConfig {
  validate(raw);
  const config = raw as RateLimitConfig;
  const names = new Set<string>();
  for (const item of [...(config.rules ?? []), ...(config.quotas ?? [])]) {
    if (names.has(item.name)) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        `protect.rateLimit: the name "${item.name}" is used twice`,
        {
          hint: 'rule and quota names must be unique (they name the RateLimit policy and the counters)',
        },
      );
    }
    names.add(item.name);
  }
  for (const rule of config.rules ?? []) {
    if (rule.enforcement === 'block' && !rule.block) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        `protect.rateLimit rule "${rule.name}" has enforcement block but no block settings`,
        {
          hint: 'add block: { after: 5, duration: 15m }',
        },
      );
    }
    if (
      rule.burst !== undefined &&
      rule.algorithm !== 'token-bucket' &&
      rule.algorithm !== 'gcra' &&
      rule.algorithm !== undefined
    ) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        `protect.rateLimit rule "${rule.name}": burst applies only to token-bucket and gcra`,
      );
    }
    // Exact integer arithmetic needs limit * period (and burst * period) below 2^53 (algorithms/*.ts).
    const periodMs = parseDuration(rule.period);
    if (Math.max(rule.limit, rule.burst ?? 0) * periodMs > 2 ** 50) {
      throw new BulwarkError(
        'BULWARK_ERR_CONFIG_INVALID',
        `protect.rateLimit rule "${rule.name}": limit times period is too large`,
        {
          hint: 'use a shorter period or a smaller limit',
        },
      );
    }
  }
  return config;
}
