import type { FastifyRequest } from 'fastify';
import { demoUserCookie, demoUsers } from './demo-users.js';
import type { Identity, IdentityResolver } from './identity.js';

/** The demo user picked in the SPA, held in a signed cookie. Exists only while the sandbox runs. */
export class SandboxIdentityResolver implements IdentityResolver {
  resolve(request: FastifyRequest): Identity | null {
    const raw = request.cookies[demoUserCookie];
    if (!raw) return null;
    const unsigned = request.unsignCookie(raw);
    const user = unsigned.valid ? demoUsers.find((u) => u.id === unsigned.value) : undefined;
    if (!user) return null;
    return {
      user: user.email,
      name: user.name,
      email: user.email,
      groups: [],
      via: 'sandbox',
      fixedRole: user.role,
    };
  }
}
