// API tokens as an identity source in every auth mode. The platform reads the Authorization
// header and refuses what it can tell on its own (malformed, a second identity); whether a token
// is known, live and whose it is, the tokens module answers through `BearerTokenVerifier`.
import type { FastifyRequest } from 'fastify';
import type { FlightdeckConfig } from '../../config.js';
import { BadInput } from '../errors/errors.js';
import { demoUserCookie } from './demo-users.js';
import { AuthenticationError, headerValue, type Identity } from './identity.js';

/** `fd_` and base64url of 32 random bytes (256 bits): 43 characters. */
export const apiTokenPattern = /^fd_[A-Za-z0-9_-]{43}$/;

/** Why a bearer token was not believed; each is said to the caller and logged without the secret. */
export type TokenRefusal = 'malformed' | 'unknown' | 'expired' | 'revoked' | 'unavailable';

/** A refused bearer token: 401 with a message that says which refusal, and what to log instead of it. */
export class BearerTokenRefused extends AuthenticationError {
  constructor(
    readonly refusal: TokenRefusal,
    message: string,
    /** The token's id when it is known, else a short hash of it: never the secret. */
    readonly hint: string,
  ) {
    super(message, `Token${refusal[0]!.toUpperCase()}${refusal.slice(1)}`);
  }
}

/** Who a live token is: checked by the module that keeps tokens, asked by the platform. */
export interface BearerTokenVerifier {
  /**
   * The identity of a well-formed `fd_…` token, or throws BearerTokenRefused (unknown, expired,
   * revoked). `from` is the client address, kept as where the token was last used.
   */
  verify(token: string, from: string): Promise<Identity>;
}

/** The one place a module plugs its verifier in; without one, every bearer token is refused. */
export class BearerTokens {
  private verifier: BearerTokenVerifier | null = null;

  use(verifier: BearerTokenVerifier): void {
    if (this.verifier) throw new Error('A bearer token verifier is already in use');
    this.verifier = verifier;
  }

  async verify(token: string, from: string): Promise<Identity> {
    if (!this.verifier)
      throw new BearerTokenRefused('unavailable', 'API tokens are not enabled on this Flightdeck.', 'none');
    return this.verifier.verify(token, from);
  }
}

/**
 * The bearer token of a request, null when it carries none. Any other Authorization scheme, or a
 * bearer value that is not an `fd_` token, is refused as malformed (the value is never echoed).
 */
export function bearerToken(request: FastifyRequest): string | null {
  const header = headerValue(request, 'authorization');
  if (header === undefined) return null;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match || !apiTokenPattern.test(match[1]!)) {
    throw new BearerTokenRefused(
      'malformed',
      'The Authorization header is malformed: send "Authorization: Bearer fd_…" with a token issued on the Tokens page (fd_ and 43 letters, digits, - or _).',
      'malformed',
    );
  }
  return match[1]!;
}

/**
 * A bearer token speaks for the request alone: proxy or load balancer identity headers, or a demo
 * user's cookie, beside it would make two people of one request, so it is refused (400).
 */
export function refuseSecondIdentity(request: FastifyRequest, auth: FlightdeckConfig['auth']): void {
  const headers = [
    auth.proxy.userHeader,
    auth.proxy.emailHeader,
    auth.proxy.groupsHeader,
    'x-amzn-oidc-data',
  ];
  const others = headers.filter((name) => request.headers[name.toLowerCase()] !== undefined);
  if (auth.mode === 'sandbox' && request.cookies[demoUserCookie] !== undefined)
    others.push(`the ${demoUserCookie} cookie`);
  if (others.length > 0) {
    throw new BadInput(
      'OneIdentityPerRequest',
      `One identity per request: this request carries an API token and also ${others.join(', ')}. A pipeline sends only its token (route it past the sign-in proxy); a person signs in without one.`,
    );
  }
}
