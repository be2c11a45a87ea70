import type { LimitRequest } from '../../../src/protect/ratelimit/request.js';

export function makeRequest(
  over: Partial<Omit<LimitRequest, 'header' | 'claim'>> & {
    headers?: Record<string, string>;
    claims?: Record<string, unknown>;
  } = {},
): LimitRequest {
  const { headers = {}, claims = {}, ...rest } = over;
  return {
    operationId: 'listDocuments',
    operationKey: 'GET /documents',
    group: undefined,
    subject: 'alice',
    clientAddress: '203.0.113.7',
    cost: 1,
    header: (name) => headers[name],
    claim: (name) => claims[name],
    ...rest,
  };
}
