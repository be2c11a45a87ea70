// The gateway's stage registry: the engine knows stages only through this array. Order here is
// documentation; the engine orders by each stage's phase (engine/types.ts REQUEST_PHASES and
// RESPONSE_PHASES), which keeps slots for authn/authz (issue 5) and rate-limit/quota (issue 6).
import type { StageDefinition } from './engine/types.js';
import { authnStage } from './stages/authn.js';
import { authzBodyStage } from './stages/authz-body.js';
import { authzStage } from './stages/authz.js';
import { bodyStage } from './stages/body.js';
import { corsStage } from './stages/cors.js';
import { graphqlStage } from './stages/graphql.js';
import { headersStage } from './stages/headers.js';
import { hygieneStage } from './stages/hygiene.js';
import { inventoryStage } from './stages/inventory.js';
import { lifecycleStage } from './stages/lifecycle.js';
import { ownershipStage } from './stages/ownership.js';
import { paramsStage } from './stages/params.js';
import { projectionStage } from './stages/projection.js';
import { rateLimitStage } from './stages/ratelimit.js';
import { rateLimitGuardStage } from './stages/ratelimit-guard.js';
import { rateLimitSettleStage } from './stages/ratelimit-settle.js';
import { ssrfStage } from './stages/ssrf.js';
import { upstreamContractStage } from './stages/upstream-contract.js';

export const stages: readonly StageDefinition[] = [
  hygieneStage,
  inventoryStage,
  corsStage,
  lifecycleStage,
  authnStage,
  authzStage,
  rateLimitStage,
  paramsStage,
  bodyStage,
  ssrfStage,
  authzBodyStage,
  graphqlStage,
  rateLimitGuardStage,
  upstreamContractStage,
  ownershipStage,
  rateLimitSettleStage,
  projectionStage,
  headersStage,
];
