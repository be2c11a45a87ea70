// The route table: the documented contract (examples/lab/openapi.yaml) plus the public documents.
// Routes that exist only in one variant come from the inventory flaw (API9).
import { Router } from '../http/router.js';
import type { RouteDef } from '../types.js';
import type { InventoryPolicy } from '../flaws/api9-inventory.js';
import { adminDeleteUser, adminListUsers } from './admin.js';
import { login } from './auth.js';
import {
  classifyDocument,
  createDocument,
  deleteDocument,
  getDocument,
  importDocument,
  listDocuments,
  replaceDocument,
} from './documents.js';
import { graphqlGet, graphqlPost } from '../graphql/route.js';
import { createInvitation, listInvitations } from './invitations.js';
import { jwks, openapi } from './meta.js';
import { getMe, register, updateMe } from './users.js';

export function buildRouter(inventory: InventoryPolicy): Router<RouteDef> {
  const router = new Router<RouteDef>()
    .add('GET', '/openapi.json', openapi)
    .add('GET', '/.well-known/jwks.json', jwks)
    .add('POST', '/graphql', graphqlPost)
    .add('GET', '/graphql', graphqlGet)
    .add('POST', '/api/v2/auth/login', login)
    .add('POST', '/api/v2/users', register)
    .add('GET', '/api/v2/users/me', getMe)
    .add('PATCH', '/api/v2/users/me', updateMe)
    .add('GET', '/api/v2/documents', listDocuments)
    .add('POST', '/api/v2/documents', createDocument)
    .add('POST', '/api/v2/documents/import', importDocument)
    .add('GET', '/api/v2/documents/{documentId}', getDocument)
    .add('PUT', '/api/v2/documents/{documentId}', replaceDocument)
    .add('DELETE', '/api/v2/documents/{documentId}', deleteDocument)
    .add('POST', '/api/v2/documents/{documentId}/classify', classifyDocument)
    .add('GET', '/api/v2/invitations', listInvitations)
    .add('POST', '/api/v2/invitations', createInvitation)
    .add('GET', '/api/v2/admin/users', adminListUsers)
    .add('DELETE', '/api/v2/admin/users/{userId}', adminDeleteUser);
  for (const [method, path, route] of inventory.extraRoutes) router.add(method, path, route);
  return router;
}
