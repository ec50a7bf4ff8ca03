import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbIdentityResolver } from './alb-identity.js';
import { AuthenticationError } from './identity.js';

const signerArn =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/flightdeck/50dc6c495c0c9188';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

/** Mints a token the way an ALB does: base64 JSON header and claims, ES256 signature in raw r||s form. */
function albToken(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const head = `${b64(header)}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(head), { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
  return `${head}.${signature}`;
}

const request = (token?: string) =>
  ({ headers: token ? { 'x-amzn-oidc-data': token } : {} }) as unknown as FastifyRequest;

describe('AlbIdentityResolver', () => {
  const trusted = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let keyServer: Server;
  let resolver: AlbIdentityResolver;
  const now = Date.parse('2026-02-03T06:30:00Z');
  const header = { alg: 'ES256', kid: 'key-1', signer: signerArn, exp: now / 1000 + 60 };
  const claims = { sub: 'abc', email: 'ops@credmate.example', name: 'Olu Ops', exp: now / 1000 + 60 };

  beforeAll(async () => {
    keyServer = createServer((req, res) => {
      if (req.url === '/us-east-1/key-1') res.end(trusted.publicKey.export({ type: 'spki', format: 'pem' }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const port = (keyServer.address() as AddressInfo).port;
    resolver = new AlbIdentityResolver(
      { signerArn, publicKeyUrl: `http://127.0.0.1:${port}/{region}/{kid}` },
      () => now,
    );
  });
  afterAll(() => keyServer.close());

  it('accepts a token signed by the configured load balancer', async () => {
    const identity = await resolver.resolve(request(albToken(trusted.privateKey, header, claims)));
    expect(identity).toMatchObject({ user: 'ops@credmate.example', name: 'Olu Ops', via: 'alb' });
  });

  it('has no identity without the header', async () => {
    expect(await resolver.resolve(request())).toBeNull();
  });

  const refusals: Array<[string, () => string, RegExp]> = [
    [
      'an expired token',
      () => albToken(trusted.privateKey, { ...header, exp: now / 1000 - 1 }, claims),
      /expired/,
    ],
    ['a token signed with another key', () => albToken(stranger.privateKey, header, claims), /signature/],
    [
      'a token from another load balancer',
      () =>
        albToken(trusted.privateKey, { ...header, signer: signerArn.replace('flightdeck', 'other') }, claims),
      /other than the configured/,
    ],
    ['a token with alg none', () => `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`, /ES256/],
    [
      'a key id the endpoint does not know',
      () => albToken(trusted.privateKey, { ...header, kid: 'key-2' }, claims),
      /public key/,
    ],
    ['garbage', () => 'not-a-token', /malformed/],
  ];
  it.each(refusals)('refuses %s', async (_name, token, message) => {
    const attempt = resolver.resolve(request(token()));
    await expect(attempt).rejects.toBeInstanceOf(AuthenticationError);
    await expect(attempt).rejects.toThrow(message);
  });
});
