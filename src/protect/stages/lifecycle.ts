// API lifecycle (API9): deprecated operations announce it with `Deprecation` (RFC 9745) and, when a
// sunset date is known (`x-bulwark-sunset` in the spec, or protect.operations.<id>.sunset in config,
// which wins), `Sunset` (RFC 8594). After the sunset date the operation answers 410 Gone.
import { refuse } from '../engine/problem.js';
import type { RequestContext } from '../engine/context.js';
import type { StageDefinition, StageResult } from '../engine/types.js';

interface Plan {
  readonly deprecation: string | undefined;
  readonly sunset: string | undefined;
  readonly sunsetAt: number;
}

/** RFC 9745 §2.1: an RFC 9651 Date, `@` + Unix seconds. */
function sfDate(ms: number): string {
  return `@${Math.floor(ms / 1000)}`;
}

function dateOf(value: unknown): number | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export const lifecycleStage: StageDefinition = {
  name: 'lifecycle',
  summary: 'Deprecation and Sunset headers, 410 Gone after the sunset date',
  phase: 'lifecycle',
  compile({ operations }) {
    const plans: (Plan | undefined)[] = operations.map((op) => {
      const sunsetMs = dateOf(op.policy?.sunset) ?? dateOf(op.op.extensions['x-bulwark-sunset']);
      const deprecatedAt = dateOf(op.op.extensions['x-bulwark-deprecated-at']);
      if (!op.op.deprecated && sunsetMs === undefined) return undefined;
      return {
        // Without a known date the epoch says "deprecated since an unknown time" (docs/protect).
        deprecation: op.op.deprecated ? sfDate(deprecatedAt ?? 0) : undefined,
        sunset: sunsetMs === undefined ? undefined : new Date(sunsetMs).toUTCString(),
        sunsetAt: sunsetMs ?? Number.POSITIVE_INFINITY,
      };
    });
    if (plans.every((p) => p === undefined)) return undefined;
    return {
      request(ctx: RequestContext): StageResult {
        const op = ctx.operation;
        const plan = op === undefined ? undefined : plans[op.index];
        if (plan === undefined) return undefined;
        if (plan.deprecation) ctx.addResponseHeader('deprecation', plan.deprecation);
        if (plan.sunset) ctx.addResponseHeader('sunset', plan.sunset);
        if (Date.now() >= plan.sunsetAt)
          return refuse('BULWARK_DENY_GONE', 'operation past its sunset');
        return undefined;
      },
    };
  },
};
