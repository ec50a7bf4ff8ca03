import type { SandboxState } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';

interface ErrorBody {
  error: { code: string; message: string };
}
const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

const apply = '/api/v1/sandbox/migrations/apply';

describe('guards on changes (sandbox identity)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = (headers: Record<string, string>, body = '{}') =>
    fetch(`${app.url}${apply}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const revision = async () => (await app.control<{ revision: unknown }>('GET', 'state')).revision;

  it('refuses a change without the CSRF token, and changes nothing', async () => {
    const before = await revision();
    const { 'x-csrf-token': _token, ...withoutToken } = await app.signIn('ops');
    const response = await post({ ...withoutToken, 'idempotency-key': 'no-csrf-0001' });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('CsrfTokenInvalid');
    const forged = await post({
      ...withoutToken,
      'x-csrf-token': 'forged-token',
      'idempotency-key': 'no-csrf-0002',
    });
    expect(forged.status).toBe(403);
    expect(await revision()).toEqual(before);
  });

  it('refuses a viewer’s change even with a valid token', async () => {
    const response = await post({ ...(await app.signIn('viewer')), 'idempotency-key': 'viewer-0001' });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toMatch(/role viewer.*needs ops/);
  });

  it('needs an Idempotency-Key, and a repeated key replays the first answer instead of changing twice', async () => {
    const ops = await app.signIn('ops');
    const before = await revision();
    const missing = await post(ops);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).code).toBe('IdempotencyKeyRequired');
    expect(await revision()).toEqual(before);

    const first = await post({ ...ops, 'idempotency-key': 'apply-once-0001' });
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as SandboxState;
    expect(firstBody.pending).toEqual([]);
    const again = await post({ ...ops, 'idempotency-key': 'apply-once-0001' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(await again.json()).toEqual(firstBody);
    const reused = await fetch(`${app.url}/api/v1/sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ops, 'idempotency-key': 'apply-once-0001' },
      body: '{"seconds":60}',
    });
    expect(reused.status).toBe(422);
  });

  it('rejects unknown fields and wrong types with a 400 naming the field', async () => {
    const ops = await app.signIn('ops');
    const response = await fetch(`${app.url}/api/v1/sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ops, 'idempotency-key': 'bad-body-0001' },
      body: '{"seconds":"soon"}',
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/seconds/);
    const extra = await fetch(`${app.url}/api/v1/sandbox/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ops, 'idempotency-key': 'bad-body-0002' },
      body: '{"seconds":60,"force":true}',
    });
    expect(extra.status).toBe(400);
    expect((await errorOf(extra)).message).toMatch(/force|additional/);
  });

  it('sends security headers with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${app.url}/healthz`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends them once on every kind of answer: a read, a refusal, a 404 and a hijacked event stream', async () => {
    const viewer = await app.signIn('viewer');
    const abort = new AbortController();
    const answers = [
      await fetch(`${app.url}/api/v1/overview`, { headers: viewer }),
      await fetch(`${app.url}/api/v1/overview`),
      await fetch(`${app.url}/api/v1/no-such-route`, { headers: viewer }),
      // Written by the stream itself on the raw response, not by Fastify's reply.
      await fetch(`${app.url}/api/v1/events`, { headers: viewer, signal: abort.signal }),
    ];
    try {
      expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 200]);
      expect(answers[3]!.headers.get('content-type')).toMatch(/^text\/event-stream/);
      for (const answer of answers) {
        expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      }
    } finally {
      abort.abort();
    }
  });
});

describe('trusted proxy identity', () => {
  it('refuses identity headers from an address that is not a trusted proxy', async () => {
    const app = await buildTestApp({ auth: { mode: 'proxy', proxy: { trustedAddresses: ['10.20.30.40'] } } });
    try {
      const response = await fetch(`${app.url}/api/v1/overview`, {
        headers: { 'x-forwarded-user': 'mallory', 'x-forwarded-email': 'ops@credmate.example' },
      });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).message).toMatch(/not a trusted proxy/);
    } finally {
      await app.close();
    }
  });

  it('believes the headers from a trusted proxy and maps groups to roles', async () => {
    const app = await buildTestApp({
      auth: {
        mode: 'proxy',
        proxy: { trustedAddresses: ['127.0.0.1', '::1'] },
        roles: [{ role: 'ops', groups: ['sre'] }],
      },
    });
    try {
      const response = await fetch(`${app.url}/api/v1/session`, {
        headers: {
          'x-forwarded-user': 'olu',
          'x-forwarded-email': 'olu@credmate.example',
          'x-forwarded-groups': 'dev, sre',
        },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { user: unknown }).user).toMatchObject({
        name: 'olu',
        role: 'ops',
        via: 'proxy',
      });
      const anonymous = await fetch(`${app.url}/api/v1/overview`);
      expect(anonymous.status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('gives two people behind one trusted proxy address separate change limits', async () => {
    const app = await buildTestApp({
      auth: {
        mode: 'proxy',
        proxy: { trustedAddresses: ['127.0.0.1', '::1'] },
        roles: [{ role: 'ops', groups: ['sre'] }],
        mutationsPerMinute: 2,
      },
    });
    // What oauth2-proxy sends for each person; both arrive from the proxy's one address.
    const asPerson = async (user: string) => {
      const identity = {
        'x-forwarded-user': user,
        'x-forwarded-email': `${user}@credmate.example`,
        'x-forwarded-groups': 'sre',
      };
      const session = await fetch(`${app.url}/api/v1/session`, { headers: identity });
      const { csrfToken } = (await session.json()) as { csrfToken: string };
      const cookie = session.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .join('; ');
      let n = 0;
      return () =>
        fetch(`${app.url}/api/v1/sandbox/clock/advance`, {
          method: 'POST',
          headers: {
            ...identity,
            cookie,
            'x-csrf-token': csrfToken,
            'content-type': 'application/json',
            'idempotency-key': `${user}-advance-${n++}`,
          },
          body: '{"seconds":1}',
        });
    };
    try {
      const alice = await asPerson('alice');
      const bob = await asPerson('bob');
      expect((await alice()).status).toBe(200);
      expect((await alice()).status).toBe(200);
      const limited = await alice();
      expect(limited.status).toBe(429);
      expect((await errorOf(limited)).message).toMatch(/at most 2 a minute/);
      // Alice's spent budget is hers alone.
      expect((await bob()).status).toBe(200);
      expect((await bob()).status).toBe(200);
      expect((await bob()).status).toBe(429);
    } finally {
      await app.close();
    }
  });
});
