import type { Deploy, DeployDetail } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../config.js';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';

/** Secrets a lead might paste into a comment: each must be gone from every view of the deploy. */
const secrets = {
  password: 'Hunter2-prod-db',
  awsSecretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKY', // 40 characters
  cookie: 'sid=s%3Aabcdef0123456789',
  connection: 'pg-S3cr3t-pass',
};

describe('sign-off comments and revoke reasons are redacted before they are stored', () => {
  let app: TestApp;
  let deployId: string;
  const change = async (role: Role, path: string, body: unknown = {}) => {
    const headers = await app.signIn(role);
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const text = async (path: string, accept: string, as: Role = 'viewer') => {
    const cookie = app.identityCookie(as);
    const response = await fetch(`${app.url}${path}`, {
      headers: { accept, cookie: `${cookie.name}=${encodeURIComponent(cookie.value)}` },
    });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    app = await buildTestApp({ deploys: { evaluateMs: 3_600_000 } });
    const prepared = await change('ops', '/api/v1/deploys');
    expect(prepared.status).toBe(201);
    deployId = (prepared.body as Deploy).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the redacted text in the deploy detail, the timeline, the report and the audit log', async () => {
    const path = (action: string) => `/api/v1/deploys/${deployId}/items/rollback-procedures/${action}`;
    const signed = await change('lead', path('sign-off'), {
      comment: `reviewed; db password=${secrets.password}, Cookie: ${secrets.cookie}`,
    });
    expect(signed.status).toBe(200);
    const revoked = await change('lead', path('revoke'), {
      reason: `the guide leaks the secret ${secrets.awsSecretKey} and postgres://app:${secrets.connection}@db/x`,
    });
    expect(revoked.status).toBe(200);

    const detail = (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body;
    const views = {
      'sign-off answer': JSON.stringify(signed.body),
      'revoke answer': JSON.stringify(revoked.body),
      'deploy detail': JSON.stringify(detail.checklist),
      timeline: JSON.stringify(detail.timeline),
      'Markdown report': await text(`/api/v1/deploys/${deployId}/report`, 'text/markdown'),
      'printable report': await text(`/api/v1/deploys/${deployId}/report`, 'text/html'),
      audit: await text('/api/v1/audit?format=json', 'application/json', 'lead'),
    };
    for (const [view, shown] of Object.entries(views)) {
      for (const [kind, secret] of Object.entries(secrets))
        expect(shown.includes(secret), `${kind} shown in the ${view}`).toBe(false);
    }
    // What is not secret still reads as written, in every view that shows it.
    const item = detail.checklist.find((i) => i.id === 'rollback-procedures')!;
    expect(item.signOff?.comment).toBe('reviewed; db password=[REDACTED], Cookie: [REDACTED]');
    expect(item.signOff?.revokeReason).toContain('the guide leaks the secret [REDACTED]');
    expect(views.timeline).toContain('[REDACTED]');
    expect(views['Markdown report']).toContain('[REDACTED]');
  });
});
