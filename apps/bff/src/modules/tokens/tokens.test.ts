// Issue 19, evidence 2 and the API token rules on one BFF (embedded store): who may issue what,
// one identity per request, and the refusals a pipeline can act on (401 saying which, never 500).
import { randomUUID } from 'node:crypto';
import type { ApiToken, IssuedToken, TokenList } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';

type Answer = {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
};

async function call(
  app: TestApp,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...headers,
      ...(method === 'GET' ? {} : { 'idempotency-key': randomUUID() }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API tokens on the sandbox picker', () => {
  let app: TestApp;
  let ops: Record<string, string>;
  const issue = async (body: unknown, as = ops) => call(app, 'POST', '/api/v1/tokens', as, body);

  beforeAll(async () => {
    app = await buildTestApp({ auth: { mutationsPerMinute: 1_000, tokens: { maxDays: 120 } } });
    ops = await app.signIn('ops');
  });
  afterAll(async () => app?.close());

  it('issues fd_ and 256 random bits once, 90 days by default capped by config, and lists it without the secret', async () => {
    const capped = await issue({ name: 'too-long', role: 'viewer', expiresInDays: 121 });
    expect(capped).toMatchObject({ status: 400, body: { error: { code: 'ExpiryTooLong' } } });
    expect(capped.body.error!.message).toContain('at most 120 days');

    const issued = await issue({ name: 'nightly-report', role: 'viewer', expiresInDays: 7 });
    expect(issued.status).toBe(201);
    const token = issued.body as unknown as IssuedToken;
    expect(token.token).toMatch(/^fd_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.token.slice(3), 'base64url').length).toBe(32);
    expect(token).toMatchObject({ name: 'nightly-report', role: 'viewer' });

    const again = await issue({ name: 'nightly-report', role: 'lead', expiresInDays: 1 });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'TokenNameTaken' } } });

    const list = await call(app, 'GET', '/api/v1/tokens', ops);
    expect(list.status).toBe(200);
    const listed = (list.body as unknown as TokenList).tokens.find((t) => t.id === token.id)!;
    expect(listed).toMatchObject({
      name: 'nightly-report',
      role: 'viewer',
      issuer: 'omar@sandbox.flightdeck',
      state: 'active',
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(token.token);
    const days = (Date.parse(listed.expiresAt) - Date.parse(listed.createdAt)) / 86_400_000;
    expect(days).toBe(7);
  });

  it('a token acts with its role and no cookie or CSRF token; a viewer token cannot prepare; each one keeps its last use', async () => {
    const viewer = (await issue({ name: 'dashboards', role: 'viewer' })).body as unknown as IssuedToken;
    const read = await call(app, 'GET', '/api/v1/deploys', bearer(viewer.token));
    expect(read.status).toBe(200);
    const prepare = await call(app, 'POST', '/api/v1/deploys', bearer(viewer.token), {
      release: { name: 'v9.9.9' },
    });
    expect(prepare.status).toBe(403);
    expect(prepare.body.error!.message).toContain('token dashboards (issued by omar@sandbox.flightdeck)');

    const session = await call(app, 'GET', '/api/v1/session', bearer(viewer.token));
    expect(session.body.user).toMatchObject({ role: 'viewer', via: 'token' });

    const list = (await call(app, 'GET', '/api/v1/tokens', ops)).body as unknown as TokenList;
    const used = list.tokens.find((t) => t.id === viewer.id)!;
    expect(used.lastUsedAt).not.toBeNull();
    expect(used.lastUsedFrom).toMatch(/127\.0\.0\.1/);
    const issuedDays = (Date.parse(used.expiresAt) - Date.parse(used.createdAt)) / 86_400_000;
    expect(issuedDays).toBe(90);
  });

  it('a lead token cannot issue an ops token (nor any: issuing is for ops)', async () => {
    const lead = (await issue({ name: 'lead-script', role: 'lead' })).body as unknown as IssuedToken;
    const refused = await issue({ name: 'escalated', role: 'ops' }, bearer(lead.token));
    expect(refused.status).toBe(403);
    const names = ((await call(app, 'GET', '/api/v1/tokens', ops)).body as unknown as TokenList).tokens.map(
      (t) => t.name,
    );
    expect(names).not.toContain('escalated');
  });

  it('refuses a token beside a demo user cookie or proxy headers: 400, one identity per request', async () => {
    const token = (await issue({ name: 'mixed', role: 'ops' })).body as unknown as IssuedToken;
    const withCookie = await call(app, 'GET', '/api/v1/deploys', {
      ...bearer(token.token),
      cookie: ops.cookie!,
    });
    expect(withCookie).toMatchObject({ status: 400, body: { error: { code: 'OneIdentityPerRequest' } } });
    const withProxy = await call(app, 'GET', '/api/v1/deploys', {
      ...bearer(token.token),
      'x-forwarded-user': 'omar',
    });
    expect(withProxy.status).toBe(400);
    expect(withProxy.body.error!.message).toContain('One identity per request');
  });

  it('says which refusal: malformed, unknown, revoked (never a 500)', async () => {
    for (const header of [
      'Bearer nope',
      'Basic b21hcjpwdw==',
      'Bearer fd_short',
      `Bearer fd_${'x'.repeat(44)}`,
    ]) {
      const answer = await call(app, 'GET', '/api/v1/deploys', { authorization: header });
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'TokenMalformed' } } });
    }
    const unknown = await call(app, 'GET', '/api/v1/deploys', bearer(`fd_${'A'.repeat(43)}`));
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'TokenUnknown' } } });
    expect(unknown.body.error!.message).toContain('unknown');

    const token = (await issue({ name: 'short-lived', role: 'viewer' })).body as unknown as IssuedToken;
    const revoked = await call(app, 'DELETE', `/api/v1/tokens/${token.id}`, ops);
    expect(revoked.status).toBe(200);
    expect(revoked.body as unknown as ApiToken).toMatchObject({
      state: 'revoked',
      revokedBy: 'omar@sandbox.flightdeck',
    });
    const refused = await call(app, 'GET', '/api/v1/deploys', bearer(token.token));
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'TokenRevoked' } } });
    expect(refused.body.error!.message).toContain('revoked');
    expect((await call(app, 'DELETE', `/api/v1/tokens/${token.id}`, ops)).status).toBe(409);
    expect((await call(app, 'DELETE', `/api/v1/tokens/no-such-token`, ops)).status).toBe(404);
    // Its name is free again.
    expect((await issue({ name: 'short-lived', role: 'viewer' })).status).toBe(201);
  });

  it('a retried issue (same Idempotency-Key) never shows the secret again', async () => {
    const headers = { ...ops, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
    const send = () =>
      fetch(`${app.url}/api/v1/tokens`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'retried', role: 'viewer' }),
      });
    const first = (await (await send()).json()) as IssuedToken;
    const replay = await send();
    expect(replay.status).toBe(409);
    const text = await replay.text();
    expect(text).toContain('SecretShownOnce');
    expect(text).toContain(first.id);
    expect(text).not.toContain(first.token);
  });
});

describe('API tokens behind the sign-in proxy', () => {
  let app: TestApp;
  const omar = {
    'x-forwarded-user': 'omar',
    'x-forwarded-email': 'omar@example.com',
    'x-forwarded-groups': 'sre',
  };

  beforeAll(async () => {
    app = await buildTestApp({ auth: { mode: 'proxy', roles: [{ role: 'ops', groups: ['sre'] }] } });
  });
  afterAll(async () => app?.close());

  it('a token works without proxy headers and is refused with them', async () => {
    const session = await fetch(`${app.url}/api/v1/session`, { headers: omar });
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const csrfCookie = session.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const issued = await call(
      app,
      'POST',
      '/api/v1/tokens',
      { ...omar, cookie: csrfCookie, 'x-csrf-token': csrfToken },
      {
        name: 'release-pipeline',
        role: 'ops',
      },
    );
    expect(issued.status).toBe(201);
    const token = (issued.body as unknown as IssuedToken).token;
    const alone = await call(app, 'GET', '/api/v1/session', bearer(token));
    expect(alone.body.user).toMatchObject({ name: 'token release-pipeline (issued by omar)', role: 'ops' });
    const both = await call(app, 'GET', '/api/v1/session', { ...bearer(token), 'x-forwarded-user': 'omar' });
    expect(both).toMatchObject({ status: 400, body: { error: { code: 'OneIdentityPerRequest' } } });
  });
});
