import { generateKeyPairSync } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albClientId, albIssuer, albSigner, albToken, startAlbKeyServer } from '../../testing/alb-tokens.js';
import { AlbIdentityResolver } from './alb-identity.js';
import { AuthenticationError } from './identity.js';

/** A request as Node hands it over: headers, and each header's values apart (a repeat is refused). */
const request = (token?: string) =>
  ({
    headers: token ? { 'x-amzn-oidc-data': token } : {},
    raw: { headersDistinct: token ? { 'x-amzn-oidc-data': [token] } : {} },
  }) as unknown as FastifyRequest;

describe('AlbIdentityResolver (aws-jwt-verify)', () => {
  const trusted = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let keys: Awaited<ReturnType<typeof startAlbKeyServer>>;
  let resolver: AlbIdentityResolver;

  beforeAll(async () => {
    keys = await startAlbKeyServer(trusted.publicKey);
    resolver = new AlbIdentityResolver({
      signerArn: albSigner,
      issuer: albIssuer,
      clientId: albClientId,
      publicKeysUrl: keys.url,
    });
  });
  afterAll(() => keys.close());

  it('accepts a token signed by the configured load balancer, and fetches its key once', async () => {
    const identity = await resolver.resolve(request(albToken(trusted.privateKey)));
    expect(identity).toMatchObject({ user: 'ops@credmate.example', name: 'Olu Ops', via: 'alb' });
    await resolver.resolve(request(albToken(trusted.privateKey, {}, { email: 'lead@credmate.example' })));
    expect(keys.fetches()).toBe(1);
  });

  it('has no identity without the header', async () => {
    expect(await resolver.resolve(request())).toBeNull();
  });

  const past = () => Math.floor(Date.now() / 1000) - 600;
  const refusals: Array<[string, () => string, RegExp]> = [
    ['an expired token', () => albToken(trusted.privateKey, { exp: past() }, { exp: past() }), /expired/],
    ['a token signed with another key', () => albToken(stranger.privateKey), /signature/],
    [
      'a token from another load balancer',
      () => albToken(trusted.privateKey, { signer: albSigner.replace('flightdeck', 'other') }),
      /load balancer other than the configured/,
    ],
    [
      'a token from another issuer',
      () => albToken(trusted.privateKey, { iss: 'https://evil.example' }, { iss: 'https://evil.example' }),
      /another identity provider/,
    ],
    [
      'a token for another OIDC client',
      () => albToken(trusted.privateKey, { client: 'someone-else' }),
      /another OIDC client/,
    ],
    [
      'a token with alg none',
      () => albToken(trusted.privateKey, { alg: 'none' }).replace(/\.[^.]*$/, '.'),
      /ES256|malformed|signature/,
    ],
    [
      'a key id the endpoint does not know',
      () => albToken(trusted.privateKey, { kid: '00000000-0000-4000-8000-000000000000' }),
      /public key could not be fetched/,
    ],
    ['garbage', () => 'not-a-token', /malformed/],
  ];
  it.each(refusals)('refuses %s', async (_name, token, message) => {
    const attempt = resolver.resolve(request(token()));
    await expect(attempt).rejects.toBeInstanceOf(AuthenticationError);
    await expect(attempt).rejects.toThrow(message);
  });
});
