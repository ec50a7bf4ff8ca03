import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';

interface ErrorBody {
  error: { code: string; message: string };
}

const person = (user: string) => ({
  'x-forwarded-user': user,
  'x-forwarded-email': `${user}@example.com`,
  'x-forwarded-groups': 'sre',
});

/** A person's session: their identity headers, their CSRF cookie and token, and the raw Set-Cookie. */
async function sessionOf(app: TestApp, identity: Record<string, string>, extra: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/api/v1/session`, { headers: { ...identity, ...extra } });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const setCookies = response.headers.getSetCookie();
  const cookie = setCookies.map((c) => c.split(';')[0]!).join('; ');
  return { identity, cookie, csrfToken, setCookies };
}

describe('CSRF: bound to the person, one header, Secure over HTTPS (behind a trusted proxy)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ auth: { mode: 'proxy', roles: [{ role: 'ops', groups: ['sre'] }] } });
  });
  afterAll(async () => app?.close());

  let n = 0;
  const advance = (headers: Record<string, string>) =>
    fetch(`${app.url}/api/v1/sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `csrf-binding-${n++}`, ...headers },
      body: '{"seconds":1}',
    });

  it('one person’s cookie and token are refused on another’s request', async () => {
    const alice = await sessionOf(app, person('alice'));
    const bob = await sessionOf(app, person('bob'));
    const own = await advance({ ...alice.identity, cookie: alice.cookie, 'x-csrf-token': alice.csrfToken });
    expect(own.status).toBe(200);
    // Bob's request carrying Alice's cookie and token, as a page of Alice's could make him send.
    const borrowed = await advance({
      ...bob.identity,
      cookie: alice.cookie,
      'x-csrf-token': alice.csrfToken,
    });
    expect(borrowed.status).toBe(403);
    expect(((await borrowed.json()) as ErrorBody).error.code).toBe('CsrfTokenInvalid');
    expect(
      (await advance({ ...bob.identity, cookie: bob.cookie, 'x-csrf-token': bob.csrfToken })).status,
    ).toBe(200);
  });

  it('a token issued before signing in does not serve after', async () => {
    const anonymous = await sessionOf(app, {});
    const response = await advance({
      ...person('carol'),
      cookie: anonymous.cookie,
      'x-csrf-token': anonymous.csrfToken,
    });
    expect(response.status).toBe(403);
  });

  it('the token is read from x-csrf-token only', async () => {
    const alice = await sessionOf(app, person('alice'));
    for (const header of ['csrf-token', 'xsrf-token', 'x-xsrf-token']) {
      const response = await advance({ ...alice.identity, cookie: alice.cookie, [header]: alice.csrfToken });
      expect(response.status, header).toBe(403);
    }
  });

  it('the CSRF cookie is Secure when the trusted proxy says the request came over HTTPS', async () => {
    const plain = await sessionOf(app, person('dora'));
    expect(plain.setCookies.join('\n')).toMatch(/_csrf=/);
    expect(plain.setCookies.join('\n')).not.toMatch(/;\s*Secure/i);
    const https = await sessionOf(app, person('erin'), { 'x-forwarded-proto': 'https' });
    expect(https.setCookies.find((c) => c.startsWith('_csrf='))).toMatch(/;\s*Secure/i);
  });
});

describe('CSRF in sandbox mode (demo users)', () => {
  it('the token of the demo user one was before is refused after switching', async () => {
    const app = await buildTestApp();
    try {
      const asViewer = await app.signIn('viewer');
      const asOps = await app.signIn('ops');
      const opsIdentity = asOps.cookie!.split('; ').find((c) => c.startsWith('flightdeck_demo_user='))!;
      const csrfCookie = asViewer.cookie!.split('; ').filter((c) => !c.startsWith('flightdeck_demo_user='));
      const response = await fetch(`${app.url}/api/v1/sandbox/clock/advance`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': 'switched-0001',
          cookie: [opsIdentity, ...csrfCookie].join('; '),
          'x-csrf-token': asViewer['x-csrf-token']!,
        },
        body: '{"seconds":1}',
      });
      expect(response.status).toBe(403);
      expect(((await response.json()) as ErrorBody).error.code).toBe('CsrfTokenInvalid');
    } finally {
      await app.close();
    }
  });
});
