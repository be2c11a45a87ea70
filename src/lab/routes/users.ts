// POST /api/v2/users, GET and PATCH /api/v2/users/me
import { HttpProblem } from '../http/problem.js';
import { hashPassword } from '../password.js';
import { callerOf, type RouteDef } from '../types.js';

export const register: RouteDef = {
  auth: false,
  body: true,
  async handle(ctx, req) {
    const { properties, objects } = ctx.flaws;
    const body = properties.input('RegisterRequest', req.body);
    const email = String(body['email'] ?? '');
    if (ctx.store.userByEmail(email)) {
      throw new HttpProblem({
        status: 409,
        code: 'email_taken',
        title: 'Conflict',
        detail: 'This email is already registered.',
      });
    }
    const passwordHash = await hashPassword(String(body['password'] ?? ''));
    // Checked again after the await: another registration may have won the race meanwhile.
    if (ctx.store.userByEmail(email)) {
      throw new HttpProblem({ status: 409, code: 'email_taken', title: 'Conflict' });
    }
    const user = ctx.store.insertUser({
      id: objects.newId('users'),
      email,
      name: String(body['name'] ?? ''),
      role: properties.registrationRole(body),
      password_hash: passwordHash,
      internal_notes: '',
    });
    return {
      status: 201,
      body: properties.userView(user),
      headers: { Location: '/api/v2/users/me' },
    };
  },
};

export const getMe: RouteDef = {
  auth: true,
  body: false,
  handle: (ctx, req) => ({ status: 200, body: ctx.flaws.properties.userView(callerOf(req)) }),
};

export const updateMe: RouteDef = {
  auth: true,
  body: true,
  handle(ctx, req) {
    const { properties } = ctx.flaws;
    const caller = callerOf(req);
    const body = properties.input('UserPatch', req.body);
    ctx.store.updateUser(caller.id, properties.userChanges(body));
    const updated = ctx.store.userById(caller.id);
    return { status: 200, body: updated ? properties.userView(updated) : {} };
  },
};
