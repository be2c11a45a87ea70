// The gateway's stage registry: the engine knows stages only through this array. Order here is
// documentation; the engine orders by each stage's phase (engine/types.ts REQUEST_PHASES and
// RESPONSE_PHASES), which keeps slots for authn/authz (issue 5) and rate-limit/quota (issue 6).
import type { StageDefinition } from './engine/types.js';
import { bodyStage } from './stages/body.js';
import { corsStage } from './stages/cors.js';
import { headersStage } from './stages/headers.js';
import { hygieneStage } from './stages/hygiene.js';
import { inventoryStage } from './stages/inventory.js';
import { lifecycleStage } from './stages/lifecycle.js';
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
  // authn, authz: issue 5
  rateLimitStage,
  paramsStage,
  bodyStage,
  ssrfStage,
  rateLimitGuardStage,
  upstreamContractStage,
  // authz-response (ownership after the upstream answers): issue 5
  rateLimitSettleStage,
  projectionStage,
  headersStage,
];
