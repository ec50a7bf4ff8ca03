import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FlightdeckConfig } from '../config.js';
import { AuthenticationError, headerValue, type Identity, type IdentityResolver } from './identity.js';

interface AlbHeader {
  alg?: string;
  kid?: string;
  signer?: string;
  exp?: number;
}

interface AlbClaims {
  sub?: string;
  email?: string;
  name?: string;
  username?: string;
  groups?: string[] | string;
  exp?: number;
}

// ALB writes base64 with padding; Node's decoder takes both that and base64url.
const decodeJson = <T>(part: string): T => JSON.parse(Buffer.from(part, 'base64').toString('utf8')) as T;

/**
 * The `x-amzn-oidc-data` JWT an Application Load Balancer adds after OIDC sign-in: ES256,
 * signed by the configured load balancer, not expired, verified against the region's public key.
 */
export class AlbIdentityResolver implements IdentityResolver {
  private readonly keys = new Map<string, Promise<KeyObject>>();
  private readonly region: string;

  constructor(
    private readonly alb: FlightdeckConfig['auth']['alb'],
    private readonly now: () => number = Date.now,
  ) {
    // arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>
    this.region = alb.signerArn?.split(':')[3] ?? '';
  }

  async resolve(request: FastifyRequest): Promise<Identity | null> {
    const token = headerValue(request, 'x-amzn-oidc-data');
    if (!token) return null;
    const parts = token.split('.');
    if (parts.length !== 3) throw new AuthenticationError('The load balancer identity token is malformed.');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    let header: AlbHeader;
    let claims: AlbClaims;
    try {
      header = decodeJson<AlbHeader>(headerPart);
      claims = decodeJson<AlbClaims>(payloadPart);
    } catch {
      throw new AuthenticationError('The load balancer identity token is malformed.');
    }
    if (header.alg !== 'ES256')
      throw new AuthenticationError('The load balancer identity token is not ES256-signed.');
    if (header.signer !== this.alb.signerArn) {
      throw new AuthenticationError(
        'The identity token was signed by a load balancer other than the configured one.',
      );
    }
    const exp = header.exp ?? claims.exp;
    if (typeof exp !== 'number' || exp * 1000 <= this.now()) {
      throw new AuthenticationError('The identity token has expired; reload the page to sign in again.');
    }
    if (!header.kid || !/^[A-Za-z0-9-]+$/.test(header.kid)) {
      throw new AuthenticationError('The identity token names no valid key.');
    }
    const key = await this.keyFor(header.kid);
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart, 'base64');
    if (!verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
      throw new AuthenticationError('The identity token’s signature does not verify.');
    }
    const groups = Array.isArray(claims.groups)
      ? claims.groups
      : claims.groups
        ? claims.groups.split(',')
        : [];
    const user = claims.email ?? claims.username ?? claims.sub ?? 'unknown';
    return { user, name: claims.name ?? user, email: claims.email ?? null, groups, via: 'alb' };
  }

  private keyFor(kid: string): Promise<KeyObject> {
    let key = this.keys.get(kid);
    if (!key) {
      const url = this.alb.publicKeyUrl.replace('{region}', this.region).replace('{kid}', kid);
      key = fetch(url, { signal: AbortSignal.timeout(5_000) }).then(async (response) => {
        if (!response.ok) throw new Error(`status ${response.status}`);
        return createPublicKey(await response.text());
      });
      key.catch(() => this.keys.delete(kid));
      this.keys.set(kid, key);
    }
    return key.catch((error: unknown) => {
      throw new AuthenticationError(
        `The load balancer's public key could not be fetched: ${(error as Error).message}`,
      );
    });
  }
}
