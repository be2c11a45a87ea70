// GET /api/v2/admin/users and DELETE /api/v2/admin/users/{userId}
import { problems } from '../http/problem.js';
import { callerOf, type RouteDef } from '../types.js';

export const adminListUsers: RouteDef = {
  auth: true,
  body: false,
  handle(ctx, req) {
    ctx.flaws.functions.requireAdmin(callerOf(req));
    return { status: 200, body: ctx.store.allUsers().map((u) => ctx.flaws.properties.userView(u)) };
  },
};

export const adminDeleteUser: RouteDef = {
  auth: true,
  body: false,
  handle(ctx, req) {
    ctx.flaws.functions.requireAdmin(callerOf(req));
    if (!ctx.store.deleteUser(req.params['userId'] ?? '')) throw problems.notFound('No such user.');
    return { status: 204 };
  },
};
