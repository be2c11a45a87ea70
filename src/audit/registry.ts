// The rule table: the audit engine knows rules only through this array (ARCHITECTURE.md).
// Ids are unique and never reused; test/audit/registry.test.ts checks both, and docs/audit/rules.md
// is generated from this table (scripts/gen-audit-docs.ts).
import type { AuditRule } from './types.js';
import { adminNotStricter } from './rules/admin-not-stricter.js';
import { adminSecurityUnique } from './rules/admin-security-unique.js';
import { arrayLimit } from './rules/array-limit.js';
import { authInsecureSchemes } from './rules/auth-insecure-schemes.js';
import { concerningUrlParameter } from './rules/concerning-url-parameter.js';
import { constrainedAdditionalProperties } from './rules/constrained-additional-properties.js';
import { constrainedUnevaluatedProperties } from './rules/constrained-unevaluated-properties.js';
import { defineCorsOrigin } from './rules/define-cors-origin.js';
import { defineErrorResponses401 } from './rules/define-error-responses-401.js';
import { defineErrorResponses500 } from './rules/define-error-responses-500.js';
import { defineErrorValidation } from './rules/define-error-validation.js';
import { graphqlIntrospectionEnabled } from './rules/graphql-introspection-enabled.js';
import { graphqlMutationUnauthenticated } from './rules/graphql-mutation-unauthenticated.js';
import { graphqlSensitiveField } from './rules/graphql-sensitive-field.js';
import { graphqlUnboundedList } from './rules/graphql-unbounded-list.js';
import { deprecatedWithoutSunset } from './rules/deprecated-without-sunset.js';
import { integerFormat } from './rules/integer-format.js';
import { integerLimit } from './rules/integer-limit.js';
import { inventoryAccess } from './rules/inventory-access.js';
import { inventoryEnvironment } from './rules/inventory-environment.js';
import { jwtBestPractices } from './rules/jwt-best-practices.js';
import { massAssignment } from './rules/mass-assignment.js';
import { multipleVersions } from './rules/multiple-versions.js';
import { noAdditionalProperties } from './rules/no-additional-properties.js';
import { noApiKeysInUrl } from './rules/no-api-keys-in-url.js';
import { noCredentialsInUrl } from './rules/no-credentials-in-url.js';
import { noHttpBasic } from './rules/no-http-basic.js';
import { noNumericIds } from './rules/no-numeric-ids.js';
import { noSchemeHttp } from './rules/no-scheme-http.js';
import { noServerHttp } from './rules/no-server-http.js';
import { noUnevaluatedProperties } from './rules/no-unevaluated-properties.js';
import { policyCorsCredentials } from './rules/policy-cors-credentials.js';
import { policyFailOpen } from './rules/policy-fail-open.js';
import { policyHs256Shared } from './rules/policy-hs256-shared.js';
import { policyJwtAlgorithms } from './rules/policy-jwt-algorithms.js';
import { policyLoginRateLimit } from './rules/policy-login-rate-limit.js';
import { rateLimitResponses429 } from './rules/rate-limit-responses-429.js';
import { rateLimitRetryAfter } from './rules/rate-limit-retry-after.js';
import { rateLimit } from './rules/rate-limit.js';
import { readRestricted } from './rules/read-restricted.js';
import { requestBodyLimits } from './rules/request-body-limits.js';
import { secretsInExamples } from './rules/secrets-in-examples.js';
import { sensitiveResponseFields } from './rules/sensitive-response-fields.js';
import { serverUrls } from './rules/server-urls.js';
import { shortLivedAccessTokens } from './rules/short-lived-access-tokens.js';
import { stringLimit } from './rules/string-limit.js';
import { stringRestricted } from './rules/string-restricted.js';
import { unboundedLists } from './rules/unbounded-lists.js';
import { weakOauthFlows } from './rules/weak-oauth-flows.js';
import { writeRestricted } from './rules/write-restricted.js';

export const rules: readonly AuditRule[] = [
  noNumericIds,
  authInsecureSchemes,
  jwtBestPractices,
  noApiKeysInUrl,
  noCredentialsInUrl,
  noHttpBasic,
  policyHs256Shared,
  policyJwtAlgorithms,
  readRestricted,
  secretsInExamples,
  shortLivedAccessTokens,
  weakOauthFlows,
  graphqlMutationUnauthenticated,
  writeRestricted,
  constrainedAdditionalProperties,
  constrainedUnevaluatedProperties,
  massAssignment,
  noAdditionalProperties,
  noUnevaluatedProperties,
  sensitiveResponseFields,
  graphqlSensitiveField,
  arrayLimit,
  integerFormat,
  integerLimit,
  policyLoginRateLimit,
  rateLimit,
  rateLimitResponses429,
  rateLimitRetryAfter,
  requestBodyLimits,
  stringLimit,
  stringRestricted,
  unboundedLists,
  graphqlUnboundedList,
  adminNotStricter,
  adminSecurityUnique,
  concerningUrlParameter,
  defineCorsOrigin,
  defineErrorResponses401,
  defineErrorResponses500,
  defineErrorValidation,
  graphqlIntrospectionEnabled,
  noSchemeHttp,
  noServerHttp,
  policyCorsCredentials,
  policyFailOpen,
  deprecatedWithoutSunset,
  inventoryAccess,
  inventoryEnvironment,
  multipleVersions,
  serverUrls,
];

export function ruleById(id: string): AuditRule | undefined {
  return rules.find((rule) => rule.id === id);
}
