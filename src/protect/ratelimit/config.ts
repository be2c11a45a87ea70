// The `protect.rateLimit` config section: raw types as written in bulwark.yaml, validation against
// schema/fragments/ratelimit.schema.json, and normalisation (defaults applied, durations in ms). The
// protect section embeds this part; validating here as well keeps the library safe to use alone.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { BulwarkError } from '../../core/errors.js';
import { parseDuration } from './duration.js';
import type { Algorithm, Enforcement } from './types.js';
import type { FailMode } from './resilient-store.js';

export type Duration = number | string;

/** The section as written (after ${ENV} substitution). */
export interface RateLimitConfig {
  readonly store?:
    | { readonly type: 'memory'; readonly maxKeys?: number }
    | {
        readonly type: 'redis';
        readonly url: string;
        readonly prefix?: string;
        readonly timeout?: Duration;
        readonly failMode?: FailMode;
        readonly breaker?: { readonly failures?: number; readonly cooldown?: Duration };
      };
  readonly headers?: boolean;
  readonly exposePolicy?: boolean;
  readonly revealLimits?: boolean;
  readonly rules?: readonly RuleConfig[];
  readonly quotas?: readonly QuotaConfig[];
  readonly login?: LoginConfig;
  readonly enumeration?: EnumerationConfig;
}

export interface RuleConfig {
  readonly name: string;
  readonly key: readonly string[];
  readonly algorithm?: Algorithm;
  readonly limit: number;
  readonly period: Duration;
  readonly burst?: number;
  readonly operations?: readonly string[];
  readonly groups?: readonly string[];
  readonly enforcement?: Enforcement;
  readonly block?: {
    readonly after: number;
    readonly within?: Duration;
    readonly duration: Duration;
  };
  readonly onMissingKey?: 'address' | 'skip' | 'shared';
}

export interface QuotaConfig {
  readonly name: string;
  readonly operations: readonly string[];
  readonly key?: readonly string[];
  readonly limit: number;
  readonly period: Duration;
  readonly algorithm?: 'sliding-window-log' | 'fixed-window' | 'sliding-window-counter';
}

export interface LoginConfig {
  readonly operations: readonly string[];
  readonly account?: { readonly body?: string; readonly header?: string };
  readonly failureStatuses?: readonly number[];
  readonly perAccount?: { readonly failures: number; readonly within: Duration };
  readonly perAddress?: { readonly failures: number; readonly within: Duration };
  readonly penalty?: 'backoff' | 'lockout';
  readonly base?: Duration;
  readonly max?: Duration;
  readonly lockout?: Duration;
  readonly maxKeys?: number;
}

export interface EnumerationConfig {
  readonly operations?: readonly string[];
  readonly window?: Duration;
  readonly maxDistinctIds?: number;
  readonly maxErrorRatio?: number;
  readonly minRequests?: number;
  readonly sequentialRun?: number;
  readonly block?: Duration;
  readonly maxKeys?: number;
}

export const SCHEMA_URL = new URL(
  '../../../schema/fragments/ratelimit.schema.json',
  import.meta.url,
);

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
