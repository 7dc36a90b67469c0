import type { MiddlewareHandler } from 'hono';
import type { AdminAuth } from '../../auth/admin-token.js';

/** Admin calls: `Authorization: Bearer <COLLOQUY_ADMIN_TOKEN>`, compared in constant time. */
export function adminOnly(admin: AdminAuth): MiddlewareHandler {
  return async (c, next) => {
    admin.require(c);
    await next();
  };
}
