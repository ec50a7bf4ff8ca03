import { sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Test stand-ins for an Application Load Balancer's OIDC tokens and its public key endpoint. */
export const albSigner =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/flightdeck/50dc6c495c0c9188';
export const albIssuer = 'https://sso.credmate.example';
export const albClientId = 'flightdeck-client';
export const albKeyId = '5bd3a4f6-2c61-4b4e-9d2a-1f0e7c3b8a90';

/** Base64url with padding, as an ALB writes it. */
const encode = (value: unknown) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)))
    .toString('base64')
    .replaceAll('+', '-')
    .replaceAll('/', '_');

/** Mints a token the way an ALB does: JSON header and claims, ES256 signature in raw r||s form. */
export function albToken(
  key: KeyObject,
  header: Record<string, unknown> = {},
  claims: Record<string, unknown> = {},
): string {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const fullHeader = {
    alg: 'ES256',
    typ: 'JWT',
    kid: albKeyId,
    signer: albSigner,
    iss: albIssuer,
    client: albClientId,
    exp,
    ...header,
  };
  const fullClaims = {
    sub: 'abc',
    email: 'ops@credmate.example',
    name: 'Olu Ops',
    iss: albIssuer,
    exp,
    ...claims,
  };
  const head = `${encode(fullHeader)}.${encode(fullClaims)}`;
  const signature = sign('sha256', Buffer.from(head), { key, dsaEncoding: 'ieee-p1363' });
  return `${head}.${encode(signature)}`;
}

/** A stand-in for https://public-keys.auth.elb.<region>.amazonaws.com: PEM public keys by kid. */
export async function startAlbKeyServer(
  publicKey: KeyObject,
): Promise<{ url: string; fetches: () => number; close(): Promise<void> }> {
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches++;
    if (req.url === `/${albKeyId}`) res.end(publicKey.export({ type: 'spki', format: 'pem' }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
