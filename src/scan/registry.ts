// Every scan check, in run order. The engine reaches checks only through this array (lint enforces
// it). Order matters for a live target: read-only checks first; state-changing ones next; checks
// that trip the target's defences last (a burst trips rate limits, failed logins lock accounts), so
// they cannot mask what the others would have seen.
import { authMissing } from './checks/auth-missing.js';
import { banner } from './checks/banner.js';
import { bfla } from './checks/bfla.js';
import { bolaBody } from './checks/bola-body.js';
import { bolaDelete } from './checks/bola-delete.js';
import { bolaRead } from './checks/bola-read.js';
import { bolaWrite } from './checks/bola-write.js';
import { businessFlow } from './checks/business-flow.js';
import { cors } from './checks/cors.js';
import { debugEndpoints } from './checks/debug-endpoints.js';
import { deprecatedOps } from './checks/deprecated.js';
import { fuzzServerError } from './checks/fuzz-server-error.js';
import { graphqlBatchLogin } from './checks/graphql-batch-login.js';
import { graphqlBola } from './checks/graphql-bola.js';
import { graphqlIntrospection } from './checks/graphql-introspection.js';
import { graphqlLimits } from './checks/graphql-limits.js';
import { graphqlSensitiveFields } from './checks/graphql-sensitive-fields.js';
import { graphqlSsrf } from './checks/graphql-ssrf.js';
import { graphqlSuggestions } from './checks/graphql-suggestions.js';
import { graphqlVerboseErrors } from './checks/graphql-verbose-errors.js';
import { httpMethods } from './checks/http-methods.js';
import { jwtForgery } from './checks/jwt-forgery.js';
import { loginAttemptLimit } from './checks/login-attempt-limit.js';
import { loginEnumeration } from './checks/login-enumeration.js';
import { massAssignment } from './checks/mass-assignment.js';
import { methodSwap } from './checks/method-swap.js';
import { oldVersions } from './checks/old-versions.js';
import { oversizedBody } from './checks/oversized-body.js';
import { pageSize } from './checks/page-size.js';
import { rateLimit } from './checks/rate-limit.js';
import { responseConformance } from './checks/response-conformance.js';
import { securityHeaders } from './checks/security-headers.js';
import { sensitiveData } from './checks/sensitive-data.js';
import { slowInput } from './checks/slow-input.js';
import { specExposure } from './checks/spec-exposure.js';
import { ssrf } from './checks/ssrf.js';
import { unsafeConsumption } from './checks/unsafe-consumption.js';
import { verboseErrors } from './checks/verbose-errors.js';
import type { ScanCheck } from './types.js';

export const checks: readonly ScanCheck[] = [
  // Read-only
  bolaRead,
  bolaBody,
  authMissing,
  jwtForgery,
  sensitiveData,
  responseConformance,
  securityHeaders,
  banner,
  cors,
  verboseErrors,
  httpMethods,
  pageSize,
  slowInput,
  oldVersions,
  debugEndpoints,
  specExposure,
  deprecatedOps,
  loginEnumeration,
  bfla,
  graphqlIntrospection,
  graphqlSuggestions,
  graphqlVerboseErrors,
  graphqlSensitiveFields,
  graphqlBola,
  graphqlLimits,
  // State-changing (--intrusive)
  ssrf,
  graphqlSsrf,
  unsafeConsumption,
  bolaWrite,
  methodSwap,
  massAssignment,
  oversizedBody,
  fuzzServerError,
  businessFlow,
  bolaDelete,
  // Trip the target's defences: last
  rateLimit,
  loginAttemptLimit,
  graphqlBatchLogin,
];
