// Public face of `bulwark/protect`: start the gateway, or embed its pipeline through an adapter.
import type { ApiModel } from '../core/openapi/model.js';
import { createGateway, type Gateway } from './engine/gateway.js';
import { resolvePolicy, type ProtectPolicy } from './engine/policy.js';
import {
  startProtect as startEngine,
  type RunningProtect,
  type StartOptions,
} from './engine/server.js';
import { stages } from './registry.js';
import { prepareGraphql } from './graphql/prepare.js';
import type { ProtectConfig } from '../core/config/sections/protect.js';

export { resolvePolicy, stages };
export type { ProtectPolicy, RunningProtect, Gateway };
export { REQUEST_PHASES, RESPONSE_PHASES } from './engine/types.js';
export type { StageDefinition, StageRuntime, Reply } from './engine/types.js';
export type { RequestContext, Identity, Decision } from './engine/context.js';
export { PROBLEMS } from './engine/problem.js';

/** Compiles a gateway with the registered stages (for adapters and tests). */
export function compileGateway(
  model: ApiModel,
  config: ProtectConfig | ProtectPolicy = {},
): Gateway {
  const policy =
    'limits' in config &&
    'timeouts' in config &&
    'ssrf' in config &&
    'fields' in (config as ProtectPolicy).ssrf
      ? (config as ProtectPolicy)
      : resolvePolicy(config as ProtectConfig);
  return createGateway(model, policy, stages);
}

export async function startProtect(
  options: Omit<StartOptions, 'stages' | 'policy'> & { readonly config?: ProtectConfig },
): Promise<RunningProtect> {
  // The effective upstream (flag or config) is part of the policy: stages that call the upstream
  // themselves (issue 5's ownership preflight) read it there.
  const resolved = resolvePolicy({ ...options.config, upstream: options.upstream });
  // GraphQL schemas fetched by introspection are resolved before the (synchronous) compile.
  const policy = await prepareGraphql(options.model, resolved, options.upstream);
  return startEngine({ ...options, policy, stages });
}

export { prepareGraphql };

export { protectHandler } from './adapters/node.js';
export { protectExpress } from './adapters/express.js';
export { protectFastify, type FastifyProtectOptions } from './adapters/fastify.js';
export { announceWorker, isClusterWorker, startPrimary } from './engine/cluster.js';
