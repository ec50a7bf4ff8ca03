import { parseConfig, startFlightdeck, type RunningFlightdeck } from '@flightdeck/bff';
import { startSandbox, type Sandbox } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsModeConfig } from '../support/aws-mode-config.js';

const viewer = { 'x-forwarded-user': 'oncall', 'x-forwarded-email': 'oncall@example.com' };

/** aws mode behind the proxy, in this process: the session's cookies and the API's map. */
describe('aws mode: Secure cookies, and /api/docs for signed-in people only', () => {
  let sandbox: Sandbox;
  let running: RunningFlightdeck;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    // The SDK's default chain, as in production; the sandbox accepts any key.
    process.env.AWS_ACCESS_KEY_ID = 'sandbox';
    process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
    sandbox = await startSandbox({ host: '127.0.0.1', awsPort: 0, dbPort: 0, quiet: true });
    running = await startFlightdeck(
      parseConfig(
        awsModeConfig(sandbox, {
          store: { dataDir: 'memory://' },
          auth: { mode: 'proxy', proxy: { trustedAddresses: ['127.0.0.1', '::1'] } },
        }),
      ),
      { logger: false },
    );
  });
  afterAll(async () => {
    await running?.close();
    await sandbox?.close();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  it('the CSRF cookie is Secure even when the proxy does not say https', async () => {
    const response = await fetch(`${running.url}/api/v1/session`, { headers: viewer });
    expect(response.status).toBe(200);
    const csrf = response.headers.getSetCookie().find((c) => c.startsWith('_csrf='));
    expect(csrf).toMatch(/;\s*Secure/i);
    expect(csrf).toMatch(/HttpOnly/i);
  });

  it('/api/docs needs a signed-in viewer', async () => {
    const anonymous = await fetch(`${running.url}/api/docs`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'Unauthenticated' } });
    const signedIn = await fetch(`${running.url}/api/docs`, { headers: viewer });
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { openapi?: string }).openapi).toMatch(/^3\./);
  });
});
