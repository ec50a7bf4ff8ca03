import { AlbJwtVerifier } from 'aws-jwt-verify';
import { AlbJwksCache } from 'aws-jwt-verify/alb-cache';
import {
  AlbJwtInvalidClientIdError,
  AlbJwtInvalidSignerError,
  FetchError,
  JwtExpiredError,
  JwtInvalidClaimError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
} from 'aws-jwt-verify/error';
import type { FastifyRequest } from 'fastify';
import type { FlightdeckConfig } from '../../config.js';
import { AuthenticationError, headerValue, type Identity, type IdentityResolver } from './identity.js';

/**
 * Fetches a signing key with the platform's fetch: the library's own fetcher speaks https only,
 * and a key endpoint inside the VPC (or a test's) may be plain http. Keys stay cached by kid.
 */
const keyFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    let response: Response;
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      throw new FetchError(uri, (error as Error).message);
    }
    if (!response.ok) throw new FetchError(uri, `status ${response.status}`);
    return response.arrayBuffer();
  },
};

type AlbClaims = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function groupsOf(claims: AlbClaims): string[] {
  const groups = claims.groups;
  if (Array.isArray(groups)) return groups.filter((g): g is string => typeof g === 'string');
  return typeof groups === 'string' ? groups.split(',').map((g) => g.trim()) : [];
}

/** Says why a token was refused, in words a person can act on, without echoing the token. */
function refusal(error: unknown): string {
  if (error instanceof JwtExpiredError)
    return 'The identity token has expired; reload the page to sign in again.';
  if (error instanceof AlbJwtInvalidSignerError)
    return 'The identity token was signed by a load balancer other than the configured one.';
  if (error instanceof AlbJwtInvalidClientIdError)
    return 'The identity token was issued for another OIDC client than the configured one.';
  if (error instanceof JwtInvalidIssuerError)
    return 'The identity token was issued by another identity provider than the configured one.';
  if (error instanceof JwtInvalidSignatureAlgorithmError) return 'The identity token is not ES256-signed.';
  if (error instanceof JwtInvalidSignatureError) return 'The identity token’s signature does not verify.';
  if (error instanceof FetchError)
    return `The load balancer's public key could not be fetched: ${error.message}`;
  if (error instanceof JwtInvalidClaimError) return `The identity token is not valid: ${error.message}`;
  return 'The load balancer identity token is malformed.';
}

/**
 * The `x-amzn-oidc-data` JWT an Application Load Balancer adds after OIDC sign-in, checked by
 * aws-jwt-verify's ALB verifier: ES256 signature against the region's key endpoint (keys
 * cached by kid), the configured load balancer as signer, the issuer, the client id and expiry.
 */
export class AlbIdentityResolver implements IdentityResolver {
  private readonly verifier;

  constructor(alb: FlightdeckConfig['auth']['alb']) {
    this.verifier = AlbJwtVerifier.create(
      {
        albArn: alb.signerArn!,
        issuer: alb.issuer!,
        clientId: alb.clientId!,
        ...(alb.publicKeysUrl ? { jwksUri: alb.publicKeysUrl.replace(/\/+$/, '') } : {}),
      },
      { jwksCache: new AlbJwksCache({ fetcher: keyFetcher }) },
    );
  }

  async resolve(request: FastifyRequest): Promise<Identity | null> {
    const token = headerValue(request, 'x-amzn-oidc-data');
    if (!token) return null;
    let claims: AlbClaims;
    try {
      claims = (await this.verifier.verify(token)) as AlbClaims;
    } catch (error) {
      throw new AuthenticationError(refusal(error));
    }
    const email = text(claims.email);
    const user = email ?? text(claims.username) ?? text(claims.sub) ?? 'unknown';
    return {
      user,
      name: text(claims.name) ?? user,
      email: email ?? null,
      groups: groupsOf(claims),
      via: 'alb',
    };
  }
}
