import type { FastifyRequest } from 'fastify';
import type { AuthMode, Role } from '../../config.js';

/** Who is asking, as the single sign-on in front of Flightdeck says. Flightdeck stores no passwords. */
export interface Identity {
  user: string;
  name: string;
  email: string | null;
  groups: string[];
  /** How the identity was proven: the configured mode, or an API token (any mode). */
  via: AuthMode | 'token';
  /** Demo users and API tokens carry their role; real identities get theirs from the role rules in config. */
  fixedRole?: Role;
  /** An API token's id: its change budget and its Idempotency-Keys are its own. */
  tokenId?: string;
}

/** A claimed identity that must not be believed: answered 401 with the reason. */
export class AuthenticationError extends Error {
  readonly statusCode = 401;
  constructor(
    message: string,
    readonly code: string = 'Unauthenticated',
  ) {
    super(message);
  }
}

export interface IdentityResolver {
  /**
   * null when the request carries no identity at all. Answered at once (no promise) where nothing
   * needs awaiting, as the proxy's headers and the sandbox's cookie: reads run no promise for it.
   */
  resolve(request: FastifyRequest): Identity | null | Promise<Identity | null>;
}

/**
 * An identity header's one value. Node joins repeated headers with ", " ("alice, bob"), and a
 * proxy that appends instead of replacing would pass a person's own copy along with its: a header
 * sent more than once is refused, never joined or picked from.
 */
export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const key = name.toLowerCase();
  const value = request.headers[key];
  if (value === undefined) return undefined;
  // Node keeps the first Authorization and joins repeated x- headers, so the copies are counted in
  // rawHeaders (already parsed; headersDistinct would build a new object of every header).
  const count = Array.isArray(value) ? value.length : timesSent(request.raw.rawHeaders, key);
  if (count > 1) {
    throw new AuthenticationError(
      `The ${key} header came ${count} times in one request; the proxy in front of Flightdeck must remove incoming identity headers before adding its own.`,
    );
  }
  return Array.isArray(value) ? value[0] : value;
}

/** How many times a header (lower-case name) came in rawHeaders' [name, value, name, value …]. */
function timesSent(rawHeaders: string[] | undefined, key: string): number {
  if (!rawHeaders) return 1;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === key.length && name.toLowerCase() === key) count++;
  }
  return count;
}
