import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albClientId, albIssuer, albSigner, albToken, startAlbKeyServer } from '../../testing/alb-tokens.js';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';
import { rawRequest } from '../../testing/raw-http.js';

const roles = [{ role: 'ops', groups: ['sre'] }];

/** Sends headers exactly as listed (a repeated name stays two lines); returns status and error code. */
async function ask(app: TestApp, headers: Array<[string, string]>, path = '/api/v1/session') {
  const response = await rawRequest(app.url, { path, headers });
  const body = JSON.parse(response.body) as { error?: { code: string; message: string }; user?: unknown };
  return { status: response.status, body };
}

describe('identity headers repeated in one request are refused, never joined', () => {
  describe('behind a trusted proxy (default header names)', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await buildTestApp({ auth: { mode: 'proxy', roles } });
    });
    afterAll(async () => app?.close());

    it('one of each is believed', async () => {
      const { status, body } = await ask(app, [
        ['x-forwarded-user', 'vera'],
        ['x-forwarded-groups', 'viewer'],
      ]);
      expect(status).toBe(200);
      expect(body.user).toMatchObject({ name: 'vera', role: 'viewer' });
    });

    it('two groups headers (viewer, sre) do not make an ops: 401', async () => {
      const { status, body } = await ask(app, [
        ['x-forwarded-user', 'vera'],
        ['x-forwarded-groups', 'viewer'],
        ['x-forwarded-groups', 'sre'],
      ]);
      expect(status).toBe(401);
      expect(body.error?.message).toMatch(/x-forwarded-groups header came 2 times/);
    });

    it('two user headers do not make "alice, bob": 401, on reads and changes alike', async () => {
      for (const [method, path] of [
        ['GET', '/api/v1/overview'],
        ['POST', '/api/v1/sandbox/migrations/apply'],
      ] as const) {
        const response = await rawRequest(app.url, {
          method,
          path,
          headers: [
            ['x-forwarded-user', 'alice'],
            ['x-forwarded-user', 'bob'],
            ['content-type', 'application/json'],
          ],
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect(response.status, path).toBe(401);
      }
      const email = await ask(app, [
        ['x-forwarded-email', 'alice@example.com'],
        ['x-forwarded-email', 'bob@example.com'],
      ]);
      expect(email.status).toBe(401);
    });
  });

  it('the configured header names are guarded the same way', async () => {
    const app = await buildTestApp({
      auth: { mode: 'proxy', roles, proxy: { userHeader: 'x-auth-user', groupsHeader: 'x-auth-groups' } },
    });
    try {
      expect((await ask(app, [['x-auth-user', 'vera']])).status).toBe(200);
      expect(
        (
          await ask(app, [
            ['x-auth-user', 'vera'],
            ['x-auth-groups', 'viewer'],
            ['x-auth-groups', 'sre'],
          ])
        ).status,
      ).toBe(401);
      expect(
        (
          await ask(app, [
            ['x-auth-user', 'vera'],
            ['x-auth-user', 'olu'],
          ])
        ).status,
      ).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('behind an ALB: two x-amzn-oidc-data tokens, each valid alone, are refused', async () => {
    const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys = await startAlbKeyServer(signing.publicKey);
    const app = await buildTestApp({
      auth: {
        mode: 'alb',
        alb: { signerArn: albSigner, issuer: albIssuer, clientId: albClientId, publicKeysUrl: keys.url },
        roles,
      },
    });
    try {
      const vera = albToken(signing.privateKey, {}, { email: 'vera@example.com' });
      const olu = albToken(signing.privateKey, {}, { email: 'olu@example.com', groups: ['sre'] });
      expect((await ask(app, [['x-amzn-oidc-data', olu]])).body.user).toMatchObject({ role: 'ops' });
      const twice = await ask(app, [
        ['x-amzn-oidc-data', vera],
        ['x-amzn-oidc-data', olu],
      ]);
      expect(twice.status).toBe(401);
      expect(twice.body.error?.message).toMatch(/x-amzn-oidc-data header came 2 times/);
    } finally {
      await app.close();
      await keys.close();
    }
  });
});
