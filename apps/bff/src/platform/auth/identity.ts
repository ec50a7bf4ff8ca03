import type { FastifyRequest } from 'fastify';
import type { AuthMode, Role } from '../../config.js';

/** Who is asking, as the single sign-on in front of Flightdeck says. Flightdeck stores no passwords. */
export interface Identity {
  user: string;
  name: string;
  email: string | null;
  groups: string[];
  via: AuthMode;
  /** Demo users carry their role; real identities get theirs from the role rules in config. */
  fixedRole?: Role;
}

/** A claimed identity that must not be believed: answered 401 with the reason. */
export class AuthenticationError extends Error {
  readonly statusCode = 401;
  readonly code = 'Unauthenticated';
}

export interface IdentityResolver {
  /** null when the request carries no identity at all. */
  resolve(request: FastifyRequest): Promise<Identity | null>;
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
